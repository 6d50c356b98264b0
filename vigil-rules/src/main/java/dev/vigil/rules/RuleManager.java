package dev.vigil.rules;

import dev.vigil.model.Appendable;
import dev.vigil.model.Queryable;
import dev.vigil.promql.Engine;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the rule groups of a set of rule files: Prometheus' rule manager.
 *
 * <pre>{@code
 * RuleManager rules = RuleManager.builder(db, db).evaluationInterval(Duration.ofSeconds(15)).build();
 * rules.reload(List.of("rules/*.yml"), configDir); // RuleFileException: the old rules keep running
 * rules.start();
 * List<GroupStatus> groups = rules.groups();
 * rules.stop();
 * }</pre>
 *
 * <p>Each group runs on its own interval, at a phase fixed by a hash of its file and name, on a
 * virtual thread of its own, with its own PromQL engine (own concurrency slots and timeout), so
 * neither slow HTTP queries nor a slow group hold the others back. A rule whose query fails or
 * times out is reported in its health and the next rules still run.
 *
 * <p>Thread-safe. {@link #reload} and {@link #update} are serialized.
 */
public final class RuleManager {
  /* Reload, as Prometheus' Manager.Update: a group whose file, name, interval and rules are
   * unchanged keeps running untouched; a changed group with the same file and name replaces the
   * old one after it stopped (waiting for a running evaluation) and takes its state (alerts,
   * health, series for staleness: RuleGroup.copyState); a group no longer configured stops and
   * marks its series stale. 'for' state is restored from ALERTS_FOR_STATE only for the groups of
   * the first load (a start), after their second evaluation, as Prometheus does. */

  private static final Logger LOG = Logger.getLogger(RuleManager.class.getName());

  private final Queryable queryable;
  private final Queryable restoreFrom;
  private final Appendable appendable;
  private final Clock clock;
  private volatile long defaultIntervalMs;
  private final long defaultQueryOffsetMs;
  private final long outageToleranceMs;
  private final long gracePeriodMs;
  private final Map<String, String> externalLabels;
  private final String externalUrl;
  private final AlertListener listener;
  private final AnnotationExpander templates;
  private final QueryFunction query;
  private final RuleMetrics metrics = new RuleMetrics();
  private final ReentrantLock updateLock = new ReentrantLock();

  /** Guarded by updateLock for writes; read by the API. */
  private volatile Map<String, Runner> runners = new LinkedHashMap<>();

  private volatile boolean loaded;
  private volatile boolean running;
  private volatile String lastReloadError;
  private ScheduledExecutorService timer;
  private ExecutorService workers;

  private RuleManager(Builder b) {
    this.queryable = b.queryable;
    this.restoreFrom = b.restoreFrom != null ? b.restoreFrom : b.queryable;
    this.appendable = b.appendable;
    this.clock = b.clock;
    this.defaultIntervalMs = b.evaluationInterval.toMillis();
    this.defaultQueryOffsetMs = b.queryOffset.toMillis();
    this.outageToleranceMs = b.outageTolerance.toMillis();
    this.gracePeriodMs = b.forGracePeriod.toMillis();
    this.externalLabels = Map.copyOf(b.externalLabels);
    this.externalUrl = b.externalUrl;
    this.listener = b.listener;
    Engine engine =
        Engine.builder(b.queryable)
            .timeout(b.queryTimeout)
            .maxConcurrent(b.maxConcurrentQueries)
            .build();
    this.query = b.query != null ? b.query : QueryFunction.of(engine);
    this.templates =
        b.templates != null
            ? b.templates
            : new GoTemplates(
                dev.vigil.rules.template.Expander.builder()
                    .externalLabels(dev.vigil.model.Labels.of(b.externalLabels))
                    .externalUrl(b.externalUrl)
                    .queryFunction(dev.vigil.rules.template.EngineQueryFunction.of(engine))
                    .build());
  }

  /** A builder reading from {@code queryable} and writing rule output to {@code appendable}. */
  public static Builder builder(Queryable queryable, Appendable appendable) {
    return new Builder(queryable, appendable);
  }

  /**
   * Loads the files {@code globs} match (relative to {@code base}) and applies them. On any problem
   * nothing changes: the running rules keep running, the problem is logged and kept for {@link
   * #lastReloadError()}, and {@code vigil_rule_config_last_reload_successful} drops to 0.
   *
   * @throws RuleFileException listing every problem
   */
  public void reload(List<String> globs, Path base) throws RuleFileException {
    List<RuleFile> files;
    try {
      files = RuleFiles.load(globs, base, templates);
    } catch (RuleFileException e) {
      reloadFailed(e);
      throw e;
    }
    update(files);
  }

  /**
   * Records a reload that failed elsewhere (the server's config loader read the same files):
   * logged, kept for {@link #lastReloadError()}, and {@code
   * vigil_rule_config_last_reload_successful} drops to 0. The running rules stay.
   */
  public void reloadFailed(RuleFileException e) {
    lastReloadError = e.getMessage();
    metrics.reloaded(false, clock.millis());
    LOG.log(
        Level.SEVERE,
        () -> "rule files not loaded, the previous rules keep running:\n" + e.getMessage());
  }

  /**
   * Changes the interval of groups that set none ({@code global.evaluation_interval} after a
   * reload); takes effect at the next {@link #reload} or {@link #update}, as in Prometheus.
   */
  public void evaluationInterval(Duration d) {
    if (d.toMillis() <= 0) {
      throw new IllegalArgumentException("evaluation interval must be positive, got " + d);
    }
    defaultIntervalMs = d.toMillis();
  }

  /** Applies parsed rule files (see the class notes for what a reload keeps). */
  public void update(List<RuleFile> files) {
    updateLock.lock();
    try {
      boolean firstLoad = !loaded;
      Map<String, Runner> old = runners;
      Map<String, Runner> next = new LinkedHashMap<>();
      for (RuleFile f : files) {
        for (RuleGroupSpec spec : f.groups()) {
          String key = f.file() + ";" + spec.name();
          if (next.containsKey(key)) {
            continue; // the parser refuses duplicate names in one file; a file listed twice
          }
          Runner prev = old.get(key);
          long interval =
              spec.interval() != null && !spec.interval().isZero()
                  ? spec.interval().toMillis()
                  : defaultIntervalMs;
          long offset =
              spec.queryOffset() != null ? spec.queryOffset().toMillis() : defaultQueryOffsetMs;
          if (prev != null
              && prev.group.spec.equals(spec)
              && prev.group.intervalMs == interval
              && prev.group.queryOffsetMs == offset) {
            next.put(key, prev);
            continue;
          }
          RuleGroup g =
              new RuleGroup(
                  spec,
                  f.file(),
                  interval,
                  offset,
                  !firstLoad,
                  appendable,
                  query,
                  clock,
                  metrics,
                  templates,
                  externalLabels,
                  externalUrl,
                  listener);
          g.shouldRestore = firstLoad;
          next.put(key, new Runner(g));
        }
      }
      // Stop what is replaced or removed before the new groups start.
      for (Map.Entry<String, Runner> e : old.entrySet()) {
        Runner prev = e.getValue();
        Runner now = next.get(e.getKey());
        if (now == prev) {
          continue;
        }
        prev.stop();
        if (now != null) {
          now.group.copyState(prev.group);
        } else {
          prev.group.markStale(clock.millis());
          metrics.remove(e.getKey());
        }
      }
      runners = next;
      loaded = true;
      lastReloadError = null;
      metrics.reloaded(true, clock.millis());
      if (running) {
        for (Runner r : next.values()) {
          r.start();
        }
      }
    } finally {
      updateLock.unlock();
    }
  }

  /** Starts evaluating every group on its schedule. */
  public void start() {
    updateLock.lock();
    try {
      if (running) {
        return;
      }
      running = true;
      timer =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "vigil-rules-timer");
                t.setDaemon(true);
                return t;
              });
      workers =
          Executors.newThreadPerTaskExecutor(
              Thread.ofVirtual().name("vigil-rule-group-", 0).factory());
      for (Runner r : runners.values()) {
        r.start();
      }
    } finally {
      updateLock.unlock();
    }
  }

  /** Stops every group, waiting for running evaluations. Alert state is kept in memory. */
  public void stop() {
    updateLock.lock();
    try {
      if (!running) {
        return;
      }
      running = false;
      for (Runner r : runners.values()) {
        r.stop();
      }
      timer.shutdownNow();
      workers.shutdown();
    } finally {
      updateLock.unlock();
    }
  }

  /** Every group's status, in file order then group order. */
  public List<GroupStatus> groups() {
    List<GroupStatus> out = new ArrayList<>();
    for (Runner r : runners.values()) {
      out.add(r.group.status());
    }
    return out;
  }

  /** Every pending and firing alert of every alerting rule. */
  public List<Alert> alerts() {
    List<Alert> out = new ArrayList<>();
    for (Runner r : runners.values()) {
      for (Rule rule : r.group.rules) {
        if (rule instanceof AlertingRule ar) {
          out.addAll(ar.activeAlerts());
        }
      }
    }
    return out;
  }

  /** How many alerts are firing now. */
  public int firingAlerts() {
    int n = 0;
    for (Alert a : alerts()) {
      if (a.state() == AlertState.FIRING) {
        n++;
      }
    }
    return n;
  }

  /** The problems of the last failed reload, or null when the last load succeeded. */
  public String lastReloadError() {
    return lastReloadError;
  }

  /** The self-metrics. */
  public RuleMetrics metrics() {
    return metrics;
  }

  /**
   * Evaluates every group once at {@code ts} (ms), as its scheduled tick would: tests and tools
   * drive evaluations with this instead of waiting for the schedule.
   */
  public void evaluateAt(long ts) {
    for (Runner r : runners.values()) {
      r.evalOnce(ts);
    }
  }

  /** The running group with that file and name (tests). */
  RuleGroup group(String file, String name) {
    Runner r = runners.get(file + ";" + name);
    return r == null ? null : r.group;
  }

  /** One group's schedule. */
  private final class Runner {
    final RuleGroup group;
    private final ReentrantLock evalLock = new ReentrantLock();
    private volatile boolean stopped;
    private ScheduledFuture<?> next;
    private long evalTs;
    private boolean started;

    Runner(RuleGroup group) {
      this.group = group;
    }

    synchronized void start() {
      if (started) {
        return;
      }
      started = true;
      long now = clock.millis();
      evalTs = group.evalTimestamp(now) + group.intervalMs;
      schedule(evalTs - now);
    }

    private synchronized void schedule(long delayMs) {
      if (stopped) {
        return;
      }
      next =
          timer.schedule(
              () -> {
                try {
                  workers.execute(this::tick);
                } catch (java.util.concurrent.RejectedExecutionException stopping) {
                  // stop() is under way
                }
              },
              Math.max(0, delayMs),
              TimeUnit.MILLISECONDS);
    }

    private void tick() {
      long now = clock.millis();
      long missed = (now - evalTs) / group.intervalMs - 1;
      if (missed > 0) {
        group.missed(missed);
        evalTs += missed * group.intervalMs;
      }
      try {
        evalOnce(evalTs);
      } finally {
        // Even after an Error in an evaluation, the group keeps its schedule.
        evalTs += group.intervalMs;
        schedule(evalTs - clock.millis());
      }
    }

    void evalOnce(long ts) {
      evalLock.lock();
      try {
        if (stopped) {
          return;
        }
        group.eval(ts);
        if (group.shouldRestore && ++group.iterationsSinceStart >= 2) {
          group.shouldRestore = false;
          group.restoreForState(restoreFrom, clock.millis(), outageToleranceMs, gracePeriodMs);
        }
      } catch (RuntimeException e) {
        LOG.log(Level.SEVERE, "rule group " + group.key() + " evaluation failed", e);
      } finally {
        evalLock.unlock();
      }
    }

    void stop() {
      synchronized (this) {
        stopped = true;
        if (next != null) {
          next.cancel(false);
        }
      }
      evalLock.lock(); // waits for a running evaluation
      evalLock.unlock();
    }
  }

  /** Configures a {@link RuleManager}; defaults follow Prometheus. */
  public static final class Builder {
    private final Queryable queryable;
    private final Appendable appendable;
    private Clock clock = Clock.systemUTC();
    private Duration evaluationInterval = Duration.ofMinutes(1);
    private Duration queryOffset = Duration.ZERO;
    private Duration queryTimeout = Duration.ofMinutes(2);
    private int maxConcurrentQueries = 20;
    private Duration outageTolerance = Duration.ofHours(1);
    private Duration forGracePeriod = Duration.ofMinutes(10);
    private Map<String, String> externalLabels = Map.of();
    private String externalUrl = "";
    private AlertListener listener = AlertListener.NONE;
    private AnnotationExpander templates;
    private QueryFunction query;
    private Queryable restoreFrom;

    private Builder(Queryable queryable, Appendable appendable) {
      this.queryable = Objects.requireNonNull(queryable);
      this.appendable = Objects.requireNonNull(appendable);
    }

    /** The clock evaluation times and schedules are read from (default: the system's, UTC). */
    public Builder clock(Clock c) {
      clock = Objects.requireNonNull(c);
      return this;
    }

    /** The interval of groups that set none: {@code global.evaluation_interval} (default 1 m). */
    public Builder evaluationInterval(Duration d) {
      if (d.toMillis() <= 0) {
        throw new IllegalArgumentException("evaluation interval must be positive, got " + d);
      }
      evaluationInterval = d;
      return this;
    }

    /** The query offset of groups that set none (default 0). */
    public Builder queryOffset(Duration d) {
      queryOffset = Objects.requireNonNull(d);
      return this;
    }

    /** The timeout of one rule's query (default 2 m, Prometheus' {@code query.timeout}). */
    public Builder queryTimeout(Duration d) {
      queryTimeout = Objects.requireNonNull(d);
      return this;
    }

    /** Rule queries evaluating at once, across all groups (default 20). */
    public Builder maxConcurrentQueries(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxConcurrentQueries must be at least 1, got " + n);
      }
      maxConcurrentQueries = n;
      return this;
    }

    /**
     * How long the server may have been down for {@code for} state to be restored (default 1 h,
     * Prometheus' {@code rules.alert.for-outage-tolerance}).
     */
    public Builder outageTolerance(Duration d) {
      outageTolerance = Objects.requireNonNull(d);
      return this;
    }

    /**
     * The minimum wait between a restart and a restored alert firing (default 10 m, Prometheus'
     * {@code rules.alert.for-grace-period}).
     */
    public Builder forGracePeriod(Duration d) {
      forGracePeriod = Objects.requireNonNull(d);
      return this;
    }

    /** {@code $externalLabels} in templates. */
    public Builder externalLabels(Map<String, String> labels) {
      externalLabels = Objects.requireNonNull(labels);
      return this;
    }

    /** {@code $externalURL} in templates. */
    public Builder externalUrl(String url) {
      externalUrl = Objects.requireNonNull(url);
      return this;
    }

    /** Receives every alert state change; called again, adds another listener (called in order). */
    public Builder listener(AlertListener l) {
      Objects.requireNonNull(l);
      listener = listener == AlertListener.NONE ? l : AlertListener.both(listener, l);
      return this;
    }

    /**
     * Expands labels and annotations of alerts (default: Prometheus' Go templates, with the
     * external labels and URL, {@code query} on the rules' engine).
     */
    public Builder templates(AnnotationExpander t) {
      templates = Objects.requireNonNull(t);
      return this;
    }

    /**
     * Where {@code for} state is restored from at a start ({@code ALERTS_FOR_STATE}); default: the
     * queryable the rules read. A server reading a remote backend passes its local store merged
     * with the backend, so the state survives the loss of either.
     */
    public Builder restoreFrom(Queryable q) {
      restoreFrom = Objects.requireNonNull(q);
      return this;
    }

    Builder query(QueryFunction q) {
      query = q;
      return this;
    }

    public RuleManager build() {
      return new RuleManager(this);
    }
  }
}
