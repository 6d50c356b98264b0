package dev.vigil.rules;

import dev.vigil.model.Appendable;
import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.model.StaleMarker;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One running rule group: its rules evaluated in order at each tick of its interval, each rule's
 * output appended and committed before the next rule runs (so a recording rule's output is seen by
 * the rules after it in the same evaluation).
 *
 * <p>Thread safety: {@link #eval} runs on one thread at a time (the group's scheduler never
 * overlaps two ticks); {@link #status()} may be called from any thread.
 */
final class RuleGroup {
  /* Staleness as Prometheus' rules/group.go: the series each rule wrote at the last evaluation are
   * remembered (seriesInPreviousEval); one not written again gets a stale marker at this
   * evaluation's time, so queries stop seeing it at once instead of 5 minutes later. Series of
   * rules removed by a reload are marked stale at the new group's first evaluation (staleSeries),
   * those of a removed group when it stops. */

  private static final Logger LOG = Logger.getLogger(RuleGroup.class.getName());

  final String name;
  final String file;
  final long intervalMs;
  final int limit;
  final long queryOffsetMs;
  final List<Rule> rules;
  final RuleGroupSpec spec;
  private final Appendable storage;
  private final QueryFunction query;
  private final Clock clock;
  private final RuleMetrics.Group metrics;
  private final Context context;

  /** Per rule, the series written at the last evaluation. Touched by the evaluating thread only. */
  private final List<Map<Labels, Boolean>> seriesInPreviousEval;

  /** Series of rules a reload removed, to mark stale at the next evaluation. */
  private List<Labels> staleSeries = new ArrayList<>();

  private volatile double evaluationSeconds;
  private volatile Instant lastEvaluation;
  final AtomicLong lastEvalTs = new AtomicLong(Long.MIN_VALUE);

  /** Set for the groups of a start: 'for' state is restored after the second evaluation. */
  boolean shouldRestore;

  int iterationsSinceStart;

  RuleGroup(
      RuleGroupSpec spec,
      String file,
      long intervalMs,
      long queryOffsetMs,
      boolean restored,
      Appendable storage,
      QueryFunction query,
      Clock clock,
      RuleMetrics metrics,
      AnnotationExpander templates,
      Map<String, String> externalLabels,
      String externalUrl,
      AlertListener listener) {
    this.spec = spec;
    this.name = spec.name();
    this.file = file;
    this.intervalMs = intervalMs;
    this.limit = spec.limit();
    this.queryOffsetMs = queryOffsetMs;
    this.storage = storage;
    this.query = query;
    this.clock = clock;
    List<Rule> rs = new ArrayList<>();
    for (RuleSpec r : spec.rules()) {
      rs.add(
          switch (r) {
            case RecordingRuleSpec rr -> new RecordingRule(rr);
            case AlertingRuleSpec ar -> new AlertingRule(ar, restored);
          });
    }
    this.rules = List.copyOf(rs);
    this.seriesInPreviousEval = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      seriesInPreviousEval.add(new HashMap<>());
    }
    this.metrics = metrics.group(key(), intervalMs, rules.size());
    this.context =
        new Context(templates, externalLabels, externalUrl, name, file, new ArrayList<>());
    this.listener = listener;
  }

  private final AlertListener listener;

  /** Prometheus' group key: {@code file;name}. */
  String key() {
    return file + ";" + name;
  }

  /**
   * The group's first evaluation time at or after {@code nowMs}: Prometheus spreads groups over
   * their interval by a hash of file and name, so every restart evaluates a group at the same phase
   * and many groups do not start at once.
   */
  long evalTimestamp(long nowMs) {
    long intervalNs = intervalMs * 1_000_000;
    long offsetNs =
        Long.remainderUnsigned(Labels.of("name", name, "file", file).prometheusHash(), intervalNs);
    long adjNow = nowMs * 1_000_000 - offsetNs;
    long base = adjNow - Math.floorMod(adjNow, intervalNs);
    return Math.floorDiv(base + offsetNs, 1_000_000);
  }

  /**
   * Evaluates every rule at {@code ts} (ms), queries at {@code ts - query_offset}. Rules run in
   * order; a failing rule is recorded in its health and the others still run.
   */
  void eval(long ts) {
    Instant start = clock.instant();
    long startNanos = System.nanoTime();
    long queryTs = ts - queryOffsetMs;
    long samples = 0;
    List<AlertEvent> events = context.events();
    for (int i = 0; i < rules.size(); i++) {
      Rule rule = rules.get(i);
      Instant ruleStart = clock.instant();
      long ruleNanos = System.nanoTime();
      metrics.evaluations.increment();
      List<Rule.Out> out;
      events.clear();
      try {
        out = rule.eval(ts, queryTs, query, limit, context);
      } catch (RuntimeException e) {
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        metrics.failures.increment();
        double secs = (System.nanoTime() - ruleNanos) / 1e9;
        rule.recordResult(msg, secs, ruleStart);
        metrics.observeRule(secs);
        LOG.log(
            Level.FINE, () -> "rule group " + key() + ": rule " + rule.name + " failed: " + msg);
        notifyListener(events);
        continue;
      }
      notifyListener(events);
      samples += out.size();
      String error = append(i, out, queryTs);
      double secs = (System.nanoTime() - ruleNanos) / 1e9;
      if (error != null) {
        metrics.failures.increment();
      }
      rule.recordResult(error, secs, ruleStart);
      metrics.observeRule(secs);
    }
    if (!staleSeries.isEmpty()) {
      appendStale(staleSeries, queryTs);
      staleSeries = new ArrayList<>();
    }
    double secs = (System.nanoTime() - startNanos) / 1e9;
    evaluationSeconds = secs;
    lastEvaluation = start;
    lastEvalTs.set(ts);
    metrics.finish(secs, ts, samples);
    notifyEvaluated(ts);
  }

  private void notifyEvaluated(long ts) {
    List<GroupEvaluation.RuleAlerts> alerting = new ArrayList<>();
    for (Rule rule : rules) {
      if (rule instanceof AlertingRule ar) {
        alerting.add(new GroupEvaluation.RuleAlerts(ar.name, ar.query, ar.keptAlerts()));
      }
    }
    if (alerting.isEmpty()) {
      return;
    }
    try {
      listener.onGroupEvaluated(new GroupEvaluation(file, name, ts, intervalMs, alerting));
    } catch (RuntimeException ex) {
      LOG.log(Level.WARNING, "alert listener failed after group " + key(), ex);
    }
  }

  private void notifyListener(List<AlertEvent> events) {
    for (AlertEvent e : events) {
      try {
        listener.onStateChange(e);
      } catch (RuntimeException ex) {
        LOG.log(Level.WARNING, "alert listener failed on " + e.labels(), ex);
      }
    }
    events.clear();
  }

  /**
   * Appends one rule's output and stale markers for what it no longer returns; an error or null.
   */
  private String append(int i, List<Rule.Out> out, long queryTs) {
    Map<Labels, Boolean> returned = new HashMap<>(out.size() * 2);
    Appender app = storage.appender();
    int rejected = 0;
    String firstRejection = null;
    for (Rule.Out s : out) {
      try {
        app.append(0, s.labels(), s.t(), s.v());
      } catch (RuntimeException e) {
        // Out of order or duplicate: Prometheus warns and goes on.
        if (rejected++ == 0) {
          firstRejection = e.getMessage();
        }
      }
      returned.put(s.labels(), Boolean.TRUE);
    }
    for (Labels l : seriesInPreviousEval.get(i).keySet()) {
      if (!returned.containsKey(l)) {
        try {
          app.append(0, l, queryTs, StaleMarker.VALUE);
        } catch (RuntimeException e) {
          // A newer sample already exists: nothing to mark.
        }
      }
    }
    seriesInPreviousEval.set(i, returned);
    if (rejected > 0) {
      String first = firstRejection;
      int n = rejected;
      LOG.log(
          Level.WARNING,
          () -> "rule group " + key() + ": " + n + " samples refused by storage: " + first);
    }
    try {
      app.commit();
      return null;
    } catch (RuntimeException e) {
      app.rollback();
      return "storage commit failed: " + e.getMessage();
    }
  }

  private void appendStale(List<Labels> series, long t) {
    Appender app = storage.appender();
    for (Labels l : series) {
      try {
        app.append(0, l, t, StaleMarker.VALUE);
      } catch (RuntimeException e) {
        // A newer sample already exists: nothing to mark.
      }
    }
    try {
      app.commit();
    } catch (RuntimeException e) {
      app.rollback();
      LOG.log(Level.WARNING, "rule group " + key() + ": stale markers not stored", e);
    }
  }

  /** Marks every series of this group stale at {@code t}: the group was removed by a reload. */
  void markStale(long t) {
    List<Labels> all = new ArrayList<>();
    for (Map<Labels, Boolean> m : seriesInPreviousEval) {
      all.addAll(m.keySet());
    }
    all.addAll(staleSeries);
    appendStale(all, t);
  }

  /**
   * Takes over the state of the group this one replaces at a reload (same file and name):
   * Prometheus' {@code CopyState}. Rules are matched by name and labels, in order; a matched
   * alerting rule keeps its alerts; series of unmatched old rules are marked stale at the next
   * evaluation.
   */
  void copyState(RuleGroup from) {
    evaluationSeconds = from.evaluationSeconds;
    lastEvaluation = from.lastEvaluation;
    lastEvalTs.set(from.lastEvalTs.get());
    Map<String, List<Integer>> byIdentity = new HashMap<>();
    for (int fi = 0; fi < from.rules.size(); fi++) {
      byIdentity.computeIfAbsent(from.rules.get(fi).identity(), k -> new ArrayList<>()).add(fi);
    }
    for (int i = 0; i < rules.size(); i++) {
      Rule rule = rules.get(i);
      List<Integer> idx = byIdentity.get(rule.identity());
      if (idx == null || idx.isEmpty()) {
        continue;
      }
      int fi = idx.remove(0);
      seriesInPreviousEval.set(i, from.seriesInPreviousEval.get(fi));
      Rule old = from.rules.get(fi);
      rule.copyHealth(old);
      if (rule instanceof AlertingRule ar && old instanceof AlertingRule far) {
        ar.copyAlerts(far);
      }
    }
    staleSeries = new ArrayList<>(from.staleSeries);
    for (List<Integer> left : byIdentity.values()) {
      for (int fi : left) {
        staleSeries.addAll(from.seriesInPreviousEval.get(fi).keySet());
      }
    }
  }

  /**
   * Restores the {@code for} state of every alerting rule (after the start's second evaluation).
   */
  void restoreForState(
      dev.vigil.model.Queryable storage, long ts, long outageToleranceMs, long gracePeriodMs) {
    for (Rule r : rules) {
      if (r instanceof AlertingRule ar) {
        ar.restoreForState(storage, ts, outageToleranceMs, gracePeriodMs);
      }
    }
  }

  void missed(long n) {
    metrics.missed.add(n);
    metrics.iterations.add(n);
  }

  GroupStatus status() {
    List<RuleStatus> rs = new ArrayList<>(rules.size());
    for (Rule r : rules) {
      rs.add(r.status());
    }
    return new GroupStatus(
        name,
        file,
        java.time.Duration.ofMillis(intervalMs),
        limit,
        java.time.Duration.ofMillis(queryOffsetMs),
        rs,
        evaluationSeconds,
        lastEvaluation);
  }

  /** Used by tests: every series the last evaluation of rule {@code i} wrote. */
  Set<Labels> seriesOf(int i) {
    return Set.copyOf(seriesInPreviousEval.get(i).keySet());
  }
}
