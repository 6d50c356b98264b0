package dev.vigil.server.demo;

import dev.vigil.collectors.recorders.Recorders;
import dev.vigil.metrics.MetricRegistry;
import dev.vigil.model.Appendable;
import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.server.api.MetricsRoutes;
import dev.vigil.server.scrape.ScrapeFormat;
import dev.vigil.server.scrape.ScrapeParser;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Simulated applications for {@code vigil serve --demo}: every second they call every recorder of
 * {@code vigil-collectors} (API requests across services with log-normal latency and error bursts,
 * model generations with tokens and cost, sessions, workflows, file operations, caches, agents with
 * heartbeats and, now and then, a stalled agent) and feed the seeds' own metric names ({@link
 * SeedMetrics}), so every widget shows live data on a fresh machine.
 *
 * <pre>{@code
 * DemoApplications demo = new DemoApplications(recorders, registry, 42, System::currentTimeMillis);
 * demo.backfill(storage, Duration.ofHours(24), "vigil", "127.0.0.1:9470");  // a day of history
 * demo.start();                                                              // then live
 * }</pre>
 *
 * <p>Thread-safe: one scheduler thread drives {@link #tick()}.
 */
public final class DemoApplications implements AutoCloseable {
  /** The model prices the demo's generations are costed at (pass to the recorders' builder). */
  public static final List<Object[]> PRICES =
      List.of(
          new Object[] {"gpt-4o", 0.0025, 0.01},
          new Object[] {"claude-sonnet", 0.003, 0.015},
          new Object[] {"llama2-7b", 0.0, 0.0});

  private static final String[][] SERVICES = {
    {"comfyui", "/generate", "POST"},
    {"ollama", "/api/chat", "POST"},
    {"auth", "/login", "POST"},
    {"files", "/upload", "PUT"},
    {"api", "/users/{id}", "GET"}
  };
  private static final String[][] MODELS = {
    {"gpt-4o", "openai"}, {"claude-sonnet", "anthropic"}, {"llama2-7b", "ollama"}
  };
  private static final String[] AGENTS = {"planner", "coder", "reviewer", "indexer"};

  private final Recorders rec;
  private final SeedMetrics seeds;
  private final SplittableRandom rnd;
  private final LongSupplier clock;
  private final Deque<String> sessions = new ArrayDeque<>();
  private ScheduledExecutorService timer;
  private long ticks;
  private int burstLeft;
  private int stalledLeft;
  private long sessionSeq;

  public DemoApplications(Recorders rec, MetricRegistry registry, long seed, LongSupplier clock) {
    this.rec = rec;
    this.rnd = new SplittableRandom(seed);
    this.seeds = new SeedMetrics(registry, new java.util.Random(seed));
    this.clock = clock;
  }

  /**
   * The registry's exposition plus the seed series the registry cannot hold: what the self-scrape
   * of a demo Vigil should read (see {@code DemoMode}).
   */
  public byte[] exposition(MetricRegistry registry) throws IOException {
    byte[] a = MetricsRoutes.text(registry);
    byte[] b = seeds.extraText().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** Only the seed series the registry cannot hold, as Prometheus text. */
  public byte[] extraExposition() {
    return seeds.extraText().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Starts ticking every second. */
  public synchronized void start() {
    if (timer == null) {
      timer =
          Executors.newSingleThreadScheduledExecutor(
              Thread.ofVirtual().name("vigil-demo").factory());
      timer.scheduleAtFixedRate(this::tickQuietly, 0, 1, TimeUnit.SECONDS);
    }
  }

  private void tickQuietly() {
    try {
      tick();
    } catch (RuntimeException e) {
      // A demo must not take the server down; the next tick goes on.
    }
  }

  /** One second of every simulated application. */
  public synchronized void tick() {
    ticks++;
    if (burstLeft == 0 && rnd.nextDouble() < 0.01) {
      burstLeft = 20 + rnd.nextInt(40); // an error burst of 20-60 s every ~100 s
    }
    boolean burst = burstLeft > 0;
    if (burst) {
      burstLeft--;
    }
    for (String[] s : SERVICES) {
      int n = 1 + rnd.nextInt(s[0].equals("api") ? 8 : 3);
      for (int i = 0; i < n; i++) {
        boolean fail =
            burst && s[0].equals("comfyui") ? rnd.nextDouble() < 0.6 : rnd.nextDouble() < 0.02;
        int status = fail ? (rnd.nextBoolean() ? 500 : 503) : s[2].equals("PUT") ? 201 : 200;
        double median = s[0].equals("comfyui") ? 1.2 : s[0].equals("ollama") ? 0.6 : 0.04;
        rec.recordApiRequest(s[0], s[1], s[2], status, lognormal(median, 0.6));
        if (fail && rnd.nextDouble() < 0.5) {
          rec.recordError(
              status == 503 ? "service_unavailable" : "connection_timeout",
              "Failed to reach " + s[0] + " (status " + status + ")",
              s[0],
              rnd.nextDouble() < 0.1 ? "critical" : "error");
        }
      }
    }
    if (rnd.nextDouble() < 0.05) {
      rec.recordError("validation_error", "Invalid request payload", "api", "warning");
    }
    if (rnd.nextDouble() < 0.6) {
      String[] m = MODELS[rnd.nextInt(MODELS.length)];
      boolean ok = rnd.nextDouble() < (burst ? 0.7 : 0.96);
      rec.recordModelGeneration(
          m[0],
          m[1],
          lognormal(m[1].equals("ollama") ? 8 : 3, 0.5),
          ok,
          100 + rnd.nextInt(900),
          ok ? 50 + rnd.nextInt(1500) : 0);
    }
    for (String[] m : MODELS) {
      rec.setModelQueueSize(m[0], rnd.nextInt(m[1].equals("ollama") ? 6 : 2));
    }
    // Sessions: a new one now and then, each lasting minutes.
    if (rnd.nextDouble() < 0.15 || sessions.isEmpty()) {
      String id = "demo-" + (++sessionSeq);
      rec.startUserSession(id, "Mozilla/5.0 (demo)");
      sessions.addLast(id);
    }
    if (sessions.size() > 3 && rnd.nextDouble() < 0.12) {
      rec.endUserSession(sessions.removeFirst());
    }
    for (String id : sessions) {
      if (rnd.nextDouble() < 0.3) {
        rec.touchUserSession(id);
      }
    }
    if (rnd.nextDouble() < 0.1) {
      int steps = 3 + rnd.nextInt(4);
      boolean ok = rnd.nextDouble() < 0.9;
      rec.recordWorkflowExecution(
          rnd.nextBoolean() ? "image_generation" : "code_review",
          lognormal(20, 0.5),
          ok,
          ok ? steps : rnd.nextInt(steps),
          steps);
    }
    for (String op : new String[] {"upload", "download", "write", "read"}) {
      if (rnd.nextDouble() < 0.5) {
        boolean ok = rnd.nextDouble() < 0.97;
        long bytes = (long) lognormal(50_000, 1.2);
        rec.recordFileOperation(
            op,
            "/data/demo/file-" + rnd.nextInt(100),
            bytes,
            lognormal(0.02, 0.8),
            ok,
            ok ? null : "EACCES");
      }
    }
    rec.setFileOperationQueueLength(rnd.nextInt(5));
    rec.recordCacheOperation("prompts", "get", rnd.nextDouble() < 0.8, lognormal(0.001, 0.5));
    rec.recordCacheOperation("embeddings", "get", rnd.nextDouble() < 0.6, lognormal(0.003, 0.5));
    agents();
    rec.recordEventProcessed("file_changed", lognormal(0.05, 0.8));
    rec.setQueueSize("events", rnd.nextInt(20));
    int active = rec.activeSessions();
    seeds.tick(
        30 + 25 * Math.sin(ticks / 300.0) + 10 * rnd.nextDouble(),
        55 + 10 * Math.sin(ticks / 900.0),
        62 + ticks / 86_400.0,
        active,
        burst);
  }

  private void agents() {
    if (stalledLeft == 0 && rnd.nextDouble() < 0.003) {
      stalledLeft = 120 + rnd.nextInt(180); // the indexer stalls for 2-5 minutes now and then
    }
    for (String a : AGENTS) {
      boolean stalled = a.equals("indexer") && stalledLeft > 0;
      if (stalled) {
        rec.setAgentStatus(a, "error");
        rec.setAgentQueueDepth(a, 20 + rnd.nextInt(30));
        continue;
      }
      rec.recordAgentHeartbeat(a);
      boolean busy = rnd.nextDouble() < 0.5;
      rec.setAgentStatus(a, busy ? "running" : "idle");
      if (busy && rnd.nextDouble() < 0.3) {
        double r = rnd.nextDouble();
        rec.recordAgentRun(
            a, r < 0.95 ? "success" : r < 0.98 ? "failure" : "error", lognormal(5, 0.7));
      }
      rec.setAgentQueueDepth(a, rnd.nextInt(6));
      if (rnd.nextDouble() < 0.4) {
        rec.recordAgentMessage(a, lognormal(0.2, 0.6));
      }
      if (rnd.nextDouble() < 0.01) {
        rec.recordAgentError(a);
      }
    }
    if (stalledLeft > 0 && --stalledLeft == 0) {
      rec.recordAgentRecovery("indexer", 150);
    }
  }

  private double lognormal(double median, double sigma) {
    return median * Math.exp(sigma * nextGaussian());
  }

  private double nextGaussian() {
    // Box-Muller from the splittable generator, so a seed reproduces a run.
    double u = Math.max(1e-12, rnd.nextDouble());
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd.nextDouble());
  }

  /**
   * Writes {@code hours} of history ending now into {@code storage}: the demo ticks through the
   * past (one scrape per 15 s, or per longer step so that at most ~1,500 scrapes are made), and
   * each scrape of the registry is stored under {@code job}/{@code instance} as the self-scrape
   * would, with host gauges so the resources widget has history too. Run it before {@link
   * #start()}.
   *
   * @return samples written
   */
  public long backfill(
      Appendable storage, MetricRegistry registry, double hours, String job, String instance)
      throws IOException {
    long end = clock.getAsLong();
    long start = end - (long) (hours * 3_600_000);
    long written = 0;
    // At most ~1,500 scrapes whatever the span (24 h: one per minute), so a day takes seconds.
    long step = Math.max(15_000, (end - start) / 1_500 / 15_000 * 15_000);
    java.util.Set<Labels> last = new java.util.HashSet<>();
    long lastT = 0;
    for (long t = start / step * step; t < end - step; t += step) {
      tick();
      long at = t;
      lastT = t;
      last.clear();
      long[] n = {0};
      Appender app = storage.appender();
      try {
        ScrapeParser.parse(
            exposition(registry),
            ScrapeFormat.PROMETHEUS_TEXT,
            (key, name, labels, value, ts) -> {
              Labels.Builder b = Labels.builder().set(Labels.METRIC_NAME, name);
              for (int i = 0; i < labels.size(); i += 2) {
                b.set(labels.get(i), labels.get(i + 1));
              }
              b.set("job", job).set("instance", instance);
              Labels l = b.build();
              app.append(0, l, at, value);
              last.add(l);
              n[0]++;
            });
      } catch (ScrapeParser.ParseException e) {
        throw new IOException("demo backfill: the registry's exposition did not parse", e);
      }
      double hour = (at / 3_600_000.0) % 24;
      double cpu = 0.25 + 0.2 * Math.sin((hour - 9) / 24 * 2 * Math.PI) + 0.05 * rnd.nextDouble();
      Labels host = Labels.of("job", job, "instance", instance);
      app.append(
          0, host.toBuilder().set(Labels.METRIC_NAME, "vigil_cpu_usage_ratio").build(), at, cpu);
      app.append(
          0,
          host.toBuilder().set(Labels.METRIC_NAME, "vigil_memory_usage_ratio").build(),
          at,
          0.5 + 0.1 * cpu);
      app.append(
          0,
          host.toBuilder()
              .set(Labels.METRIC_NAME, "vigil_filesystem_usage_ratio")
              .set("mountpoint", "/")
              .build(),
          at,
          0.62);
      app.append(
          0,
          host.toBuilder().set(Labels.METRIC_NAME, "vigil_health_score").build(),
          at,
          burstLeft > 0 ? 70 : 95 - 20 * cpu);
      app.commit();
      written += n[0] + 4;
    }
    // End the history cleanly: the live series (another instance) take over from here.
    Appender app = storage.appender();
    for (Labels l : last) {
      app.append(0, l, lastT + 1, dev.vigil.model.StaleMarker.VALUE);
    }
    app.commit();
    return written;
  }

  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
  }
}
