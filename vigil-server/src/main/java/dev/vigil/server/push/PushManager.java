package dev.vigil.server.push;

import dev.vigil.metrics.Collector;
import dev.vigil.metrics.model.CounterDataPoint;
import dev.vigil.metrics.model.GaugeDataPoint;
import dev.vigil.metrics.model.Labels;
import dev.vigil.metrics.model.MetricMetadata;
import dev.vigil.metrics.model.MetricSnapshot;
import dev.vigil.metrics.model.MetricType;
import dev.vigil.model.Queryable;
import dev.vigil.server.config.ConfigException;
import dev.vigil.server.config.PushConfig;
import dev.vigil.server.scrape.ScrapeTls;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@code push} targets: each pushes the newest samples of its series every {@code
 * interval} (docs/push.md), and {@link #collector()} exposes {@code vigil_push_*}.
 *
 * <pre>{@code
 * PushManager push = new PushManager(PushConfig.bind(node, dir), () -> db, labels, clock);
 * push.start();
 * registry.register(push.collector());
 * }</pre>
 *
 * <p>{@link #apply} replaces the targets at a reload. Thread-safe.
 */
public final class PushManager implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PushManager.class);

  private final Supplier<Queryable> storage;
  private final Supplier<Map<String, String>> external;
  private final LongSupplier clockMillis;
  private volatile List<PushExporter> exporters;
  private boolean started;
  private boolean closed;
  private ScheduledExecutorService scheduler;

  /**
   * @param external the {@code global.external_labels} in force (read per push)
   * @param clockMillis epoch milliseconds: the end of each push's window
   * @throws ConfigException when a target's TLS files cannot be used
   */
  public PushManager(
      PushConfig config,
      Supplier<Queryable> storage,
      Supplier<Map<String, String>> external,
      LongSupplier clockMillis) {
    this.storage = storage;
    this.external = external;
    this.clockMillis = clockMillis;
    this.exporters = exporters(config, List.of());
  }

  /**
   * The exporters of {@code config}: a target unchanged since the running one (and without TLS
   * files to read again) keeps its exporter, so its counters and what it sent last; any other is
   * new.
   */
  private List<PushExporter> exporters(PushConfig config, List<PushExporter> running) {
    List<PushExporter> out = new ArrayList<>();
    for (PushConfig.Target t : config.targets()) {
      PushExporter same = null;
      for (PushExporter e : running) {
        if (t.tls() == null && e.target().equals(t)) {
          same = e;
        }
      }
      if (same != null) {
        out.add(same);
        continue;
      }
      SSLContext ssl = null;
      SSLParameters params = null;
      if (t.tls() != null) {
        try {
          ssl = ScrapeTls.context(t.tls());
          params = ScrapeTls.parameters(t.tls());
        } catch (GeneralSecurityException | RuntimeException e) {
          throw new ConfigException(t + ": tls_config: " + e.getMessage(), e);
        }
      }
      out.add(new PushExporter(t, storage, external, ssl, params));
    }
    return List.copyOf(out);
  }

  /** Starts pushing every target at its interval (the first push one interval from now). */
  public synchronized void start() {
    if (started || closed) {
      return;
    }
    started = true;
    schedule();
  }

  private void schedule() {
    List<PushExporter> all = exporters;
    if (all.isEmpty()) {
      return;
    }
    scheduler =
        Executors.newScheduledThreadPool(
            1, Thread.ofPlatform().name("vigil-push").daemon().factory());
    for (PushExporter e : all) {
      long ms = e.target().interval().toMillis();
      scheduler.scheduleWithFixedDelay(() -> run(e), ms, ms, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Replaces the targets with those of {@code config} (a reload): removed ones stop, new ones start
   * one interval from now, unchanged ones keep their counters and go on at their interval from now.
   * A push under way finishes first on its own.
   *
   * @throws ConfigException when a new target's TLS files cannot be used; the running targets stay
   */
  public synchronized void apply(PushConfig config) {
    List<PushExporter> next = exporters(config, exporters);
    if (closed) {
      return;
    }
    if (scheduler != null) {
      scheduler.shutdown(); // no new pushes; one under way ends (an exporter pushes one at a time)
      scheduler = null;
    }
    exporters = next;
    if (started) {
      schedule();
    }
  }

  /** Pushes every target once now, on the caller's thread; for tests and shutdown. */
  public void pushAll() throws InterruptedException {
    for (PushExporter e : exporters) {
      synchronized (e) {
        log(e, e.pushOnce(clockMillis.getAsLong()));
      }
    }
  }

  private void run(PushExporter e) {
    try {
      synchronized (e) {
        log(e, e.pushOnce(clockMillis.getAsLong()));
      }
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException ex) {
      // A query failure must not end the schedule.
      e.requestsFailed.increment();
      LOG.warn("{}: push failed: {}", e.target(), ex.toString());
    }
  }

  private static void log(PushExporter e, PushExporter.Result r) {
    if (!r.ok()) {
      LOG.warn("{}: push of {} samples failed: {}", e.target(), r.samples(), r.error());
    }
  }

  /** {@code vigil_push_*}: samples sent and dropped, failed requests, last success. */
  public Collector collector() {
    return () -> {
      List<PushExporter> all = exporters; // one set of targets per scrape, across a reload
      List<MetricSnapshot> out = new ArrayList<>();
      out.add(
          counter(
              all,
              "vigil_push_samples_sent",
              "Samples the push target took.",
              e -> e.samplesSent.sum()));
      out.add(
          counter(
              all,
              "vigil_push_samples_dropped",
              "Samples not pushed for good: refused by the target with a 4xx other than 429, or"
                  + " not representable (NaN or infinite values in line protocol).",
              e -> e.samplesDropped.sum()));
      out.add(
          counter(
              all,
              "vigil_push_requests_failed",
              "Pushes that failed (network error, timeout, non-2xx answer); the next interval"
                  + " sends the then-newest samples.",
              e -> e.requestsFailed.sum()));
      List<GaugeDataPoint> ps = new ArrayList<>();
      for (PushExporter e : all) {
        ps.add(new GaugeDataPoint(labels(e), e.lastSuccessMs.get() / 1000.0));
      }
      out.add(
          new MetricSnapshot(
              new MetricMetadata(
                  "vigil_push_last_success_timestamp_seconds",
                  "When the target last took a push, in seconds since the epoch (0: never).",
                  ""),
              MetricType.GAUGE,
              ps));
      return out;
    };
  }

  private static MetricSnapshot counter(
      List<PushExporter> all, String name, String help, ToDoubleFunction<PushExporter> f) {
    List<CounterDataPoint> ps = new ArrayList<>();
    for (PushExporter e : all) {
      ps.add(CounterDataPoint.of(labels(e), f.applyAsDouble(e)));
    }
    return new MetricSnapshot(new MetricMetadata(name, help, ""), MetricType.COUNTER, ps);
  }

  private static Labels labels(PushExporter e) {
    return Labels.of("name", e.target().name(), "kind", e.target().kind());
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }
}
