package dev.vigil.server.demo;

import dev.vigil.collectors.recorders.ModelPrice;
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
 * <p>An incident recurs every {@link #INCIDENT_EVERY}: for {@link #INCIDENT_LENGTH} DevLoop's
 * production agents fail a quarter of their runs and take seconds, so the DevLoop SLOs' error
 * budgets visibly burn and their page alerts fire. The first one began {@link #INCIDENT_LEAD}
 * before the demo started: a fresh demo shows it at once, a backfilled one also the earlier ones.
 *
 * <pre>{@code
 * DemoApplications demo = new DemoApplications(recorders, registry, 42, System::currentTimeMillis);
 * demo.backfill(storage, 24, "vigil", "demo-backfill");  // a day of history
 * demo.start();                                          // then live
 * }</pre>
 *
 * <p>Thread-safe: one scheduler thread drives {@link #tick()}.
 */
/*
 * One model, past and present: every simulated second is one call of tick(at), whose rates,
 * error ratios and latency distributions depend only on the time of day of `at` (a diurnal load
 * factor, see load()). The live demo ticks once per real second; the backfill runs a second copy
 * of the model (its own recorders and registry on a simulated clock) through every second of the
 * past and stores a scrape of it every step. So a chart across the boundary is continuous: the
 * backfill used to tick once per scrape step (one second of traffic per minute of history), so a
 * day of history averaged 1/60 of the live rate, and its registry was the live one, so the live
 * self-scrape saw a day of counts arrive in the seconds the backfill ran.
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

  /** The sessions' browsers, in turn (DinoAir's session distribution), not drawn at random. */
  private static final String[] USER_AGENTS = {
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7) AppleWebKit/605.1.15 Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Edg/131.0"
  };

  /** How often the demo's incident recurs. */
  static final long INCIDENT_EVERY = 6 * 3_600_000L;

  /** How long each incident lasts. */
  static final long INCIDENT_LENGTH = 3_600_000L;

  /** How long before the demo's start the first incident began. */
  static final long INCIDENT_LEAD = 15 * 60_000L;

  private final long seed;
  private long incidentAnchor;
  private final Recorders rec;

  /** Failed requests carry exceptions (the Errors page's stacks); off in the backfill's copy. */
  private boolean exceptions = true;

  private final SeedMetrics seeds;
  private final DemoConnections connections;
  private final SplittableRandom rnd;

  /** The quality model's own random sequence, so the other series' sequences stay as they were. */
  private final SplittableRandom qualityRnd;

  private final LongSupplier clock;
  private final Deque<String> sessions = new ArrayDeque<>();
  private ScheduledExecutorService timer;
  private long ticks;
  private int burstLeft;
  private int stalledLeft;
  private long sessionSeq;

  // Incidents and per-agent work (docs/metrics.md "Incidents"): their own random sequence, so the
  // rest of the model draws the same numbers as before they were added.
  private final SplittableRandom incidentRnd;
  private final int[] hiccupLeft = new int[AGENTS.length];
  private boolean comfyuiDown;
  private boolean productionDown;
  private java.util.concurrent.ExecutorService agentPool;
  private java.util.concurrent.Executor[] agentWork;
  private DemoBrowsers browsers;

  /** The demo's recorders for live use: {@code namespace}, the {@link #PRICES}, system clocks. */
  public static Recorders recorders(String namespace) {
    return priced(Recorders.builder().namespace(namespace)).build();
  }

  /**
   * The demo's recorders on a simulated clock (epoch milliseconds, also their monotonic clock): a
   * backfill's, or a test's.
   */
  public static Recorders recorders(String namespace, LongSupplier clockMillis) {
    return priced(
            Recorders.builder()
                .namespace(namespace)
                .clock(clockMillis)
                .nanoClock(() -> clockMillis.getAsLong() * 1_000_000))
        .build();
  }

  /**
   * The demo's recorders from a configured builder (namespace, sampling: {@code
   * CollectConfig.recorders}), with the {@link #PRICES}.
   */
  public static Recorders recorders(Recorders.Builder configured) {
    return priced(configured).build();
  }

  private static Recorders.Builder priced(Recorders.Builder b) {
    for (Object[] p : PRICES) {
      b.modelPrice((String) p[0], new ModelPrice((double) p[1], (double) p[2], "USD"));
    }
    return b;
  }

  public DemoApplications(Recorders rec, MetricRegistry registry, long seed, LongSupplier clock) {
    this.seed = seed;
    this.rec = rec;
    this.rnd = new SplittableRandom(seed);
    this.qualityRnd = new SplittableRandom(seed ^ 0x5155414C49545951L);
    this.incidentRnd = new SplittableRandom(seed ^ 0x1c1de47L);
    this.seeds = new SeedMetrics(registry, new java.util.Random(seed));
    this.connections = new DemoConnections(registry);
    this.clock = clock;
    this.incidentAnchor = clock.getAsLong() - INCIDENT_LEAD;
  }

  /**
   * DevLoop's SLOs as the demo runs them (Sloth's format, {@code devloop-slos.yml} beside this
   * class): per environment the agents' success rate and p95 response time, on the series this demo
   * writes.
   */
  public static String sloSpec() {
    try (java.io.InputStream in = DemoApplications.class.getResourceAsStream("devloop-slos.yml")) {
      if (in == null) {
        throw new IllegalStateException("devloop-slos.yml is missing from the demo package");
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Whether the demo's incident is on at {@code atMillis}. */
  boolean incident(long atMillis) {
    return Math.floorMod(atMillis - incidentAnchor, INCIDENT_EVERY) < INCIDENT_LENGTH;
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

  /**
   * The load at {@code atMillis} relative to the day's mean: 0.5 at 03:00 UTC, 1.5 at 15:00 UTC.
   * Every rate of the model is its mean times this factor.
   */
  static double load(long atMillis) {
    double hour = (atMillis / 3_600_000.0) % 24;
    return 1 + 0.5 * Math.sin((hour - 9) / 24 * 2 * Math.PI);
  }

  /** One second of every simulated application, now by the clock. */
  public void tick() {
    tick(clock.getAsLong());
  }

  /** Events per second with mean {@code mean * load}: its integer part plus one at that chance. */
  private int count(double mean, double load) {
    double m = mean * load;
    int n = (int) m;
    return rnd.nextDouble() < m - n ? n + 1 : n;
  }

  /** One second of every simulated application at {@code atMillis}. */
  synchronized void tick(long atMillis) {
    ticks++;
    double load = load(atMillis);
    if (burstLeft == 0 && rnd.nextDouble() < 0.01) {
      burstLeft = 20 + rnd.nextInt(40); // an error burst of 20-60 s every ~100 s
    }
    boolean burst = burstLeft > 0;
    if (burst) {
      burstLeft--;
    }
    serviceIncidents(atMillis, burst);
    for (String[] s : SERVICES) {
      int n = count(s[0].equals("api") ? 4.5 : 2, load);
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
              rnd.nextDouble() < 0.1 ? "critical" : "error",
              exceptions ? DemoFailures.request(s[0], s[1], status) : null);
        }
      }
    }
    if (rnd.nextDouble() < 0.05) {
      rec.recordError("validation_error", "Invalid request payload", "api", "warning");
    }
    if (rnd.nextDouble() < 0.6 * load / 1.5) {
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
      rec.startUserSession(id, USER_AGENTS[(int) (sessionSeq % USER_AGENTS.length)]);
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
    if (rnd.nextDouble() < 0.1 * load) {
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
    quality(load, incident(atMillis));
    rec.recordEventProcessed("file_changed", lognormal(0.05, 0.8));
    // DevLoop's file watcher: one change per processed event, a slowly growing tree (no rnd
    // draw, so the other series' sequences are unchanged).
    rec.recordFilesChanged(1);
    rec.setFilesWatched(1200 + (ticks / 600) % 50);
    rec.setQueueSize("events", rnd.nextInt(20));
    int active = rec.activeSessions();
    connections.tick(load, active, atMillis);
    seeds.tick(
        load,
        20 + 30 * load + 10 * rnd.nextDouble(),
        45 + 15 * load,
        62 + (atMillis % 86_400_000L) / 86_400_000.0,
        active,
        burst,
        incident(atMillis));
  }

  private void agents() {
    if (stalledLeft == 0 && rnd.nextDouble() < 0.003) {
      stalledLeft = 120 + rnd.nextInt(180); // the indexer stalls for 2-5 minutes now and then
      rec.recordIncidentStart("agent", "indexer");
    }
    for (int i = 0; i < AGENTS.length; i++) {
      String a = AGENTS[i];
      boolean stalled = a.equals("indexer") && stalledLeft > 0;
      if (stalled) {
        rec.setAgentStatus(a, "error");
        rec.setAgentQueueDepth(a, 20 + rnd.nextInt(30));
        continue;
      }
      work(i);
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
      hiccup(i);
    }
    if (stalledLeft > 0 && --stalledLeft == 0) {
      rec.recordRecovered("agent", "indexer"); // also agent_recovery_duration_seconds
    }
  }

  private static final String[] THINKERS = {"planner", "coder", "reviewer"};
  private static final String[] CHECKERS = {"linter", "security", "test-runner"};
  private static final String[] SEVERITIES = {"critical", "high", "medium", "low"};
  private static final String[] VIOLATIONS = {"missing_test", "spec_mismatch", "hardcoded_value"};

  /**
   * One second of quality work: VIBEZEN's agents think (steps, confidence, revisions, now and then
   * a spec violation; less confident during the incident) and DevLoop's checkers find issues, fix
   * some, prevent CI failures and save time; pushes mostly pass. The same thinking figures go to
   * the seed's {@code vibezen_*} names.
   */
  private void quality(double load, boolean incident) {
    SplittableRandom q = qualityRnd;
    for (String a : THINKERS) {
      if (q.nextDouble() < 0.3 * load) {
        int steps = 2 + q.nextInt(a.equals("planner") ? 14 : 8);
        double confidence =
            Math.max(0, Math.min(1, 0.6 + 0.35 * q.nextDouble() - (incident ? 0.25 : 0)));
        int revisions = q.nextDouble() < 0.3 ? 1 + q.nextInt(3) : 0;
        boolean violation = q.nextDouble() < (incident ? 0.15 : 0.04);
        String kind = VIOLATIONS[q.nextInt(VIOLATIONS.length)];
        rec.recordThinking(a, steps, confidence);
        rec.recordRevisions(a, revisions);
        if (violation) {
          rec.recordViolation(a, kind, "demo: " + kind.replace('_', ' ') + " in a change");
        }
        seeds.quality(a, steps, confidence, revisions, violation ? kind : null);
      }
    }
    for (String a : CHECKERS) {
      if (q.nextDouble() < 0.15 * load) {
        double r = q.nextDouble();
        String sev = SEVERITIES[r < 0.05 ? 0 : r < 0.25 ? 1 : r < 0.7 ? 2 : 3];
        rec.recordFinding(a, sev, "demo: " + sev + " issue found by " + a);
        double f = q.nextDouble();
        if (f < 0.4) {
          rec.recordFindingAutofixed(a);
        } else if (f < 0.48) {
          rec.recordFalsePositive(a);
        }
        if (q.nextDouble() < 0.5) {
          rec.recordIssuesPrevented(a, 1);
        }
      }
      if (q.nextDouble() < 0.0005 * load) {
        rec.recordCiFailurePrevented(a);
      }
      rec.setOpenFindings(a, "critical", q.nextInt(2));
      rec.setOpenFindings(a, "high", 2 + q.nextInt(4));
      rec.setOpenFindings(a, "medium", 8 + q.nextInt(6));
    }
    // About 12 min of build time and 5 min of developer time saved per hour at mean load.
    rec.recordTimeSaved("test-runner", "build", 0.2 * load);
    rec.recordTimeSaved("linter", "developer", 0.08 * load);
    if (q.nextDouble() < 0.02 * load) {
      rec.recordPush(q.nextDouble() < 0.95);
    }
  }

  /**
   * The services' incidents: comfyui's error bursts, and DevLoop production's hour-long incident
   * (service {@code devloop}), each recorded from its start to its recovery.
   */
  private void serviceIncidents(long atMillis, boolean burst) {
    if (burst != comfyuiDown) {
      comfyuiDown = burst;
      if (burst) {
        rec.recordIncidentStart("service", "comfyui");
      } else {
        rec.recordRecovered("service", "comfyui");
      }
    }
    boolean production = incident(atMillis);
    if (production != productionDown) {
      productionDown = production;
      if (production) {
        rec.recordIncidentStart("service", "devloop");
      } else {
        rec.recordRecovered("service", "devloop");
      }
    }
  }

  /**
   * Now and then (about every 8 min per agent) an agent degrades for 5-45 s, warns while it lasts,
   * and recovers: the Agents page's recovery panels and the Health page's warning rate have data
   * within minutes of a fresh start.
   */
  private void hiccup(int i) {
    String a = AGENTS[i];
    if (hiccupLeft[i] == 0 && !a.equals("indexer") && incidentRnd.nextDouble() < 0.002) {
      hiccupLeft[i] = 5 + incidentRnd.nextInt(40);
      rec.recordIncidentStart("agent", a);
    }
    if (hiccupLeft[i] > 0) {
      rec.setAgentStatus(a, "degraded");
      if (incidentRnd.nextDouble() < 0.3) {
        rec.recordAgentWarning(a);
      }
      if (--hiccupLeft[i] == 0) {
        rec.recordRecovered("agent", a);
      }
    } else if (incidentRnd.nextDouble() < 0.005) {
      rec.recordAgentWarning(a);
    }
  }

  /**
   * Simulated browsers from now on, when {@code config} has {@code browser_vitals.enabled}: page
   * views of a web UI post web vitals to {@code POST /api/v1/vitals} at {@code baseUrl} (this
   * Vigil's own), through the endpoint's checks, at most a third of its per-address {@code
   * rate_limit} (one every 3 s by default), so the Browser page has data. The backfill has no such
   * history: the histograms live in the endpoint's registry.
   *
   * @return whether browsers run (false: browser vitals are off, or the URL is not plain HTTP)
   */
  public synchronized boolean browsers(dev.vigil.server.config.VigilConfig config, String baseUrl) {
    var c = dev.vigil.server.config.BrowserVitalsConfig.of(config);
    if (!c.enabled() || baseUrl == null || !baseUrl.startsWith("http://")) {
      return false;
    }
    if (browsers == null) {
      long everyMillis = Math.max(3_000, 180_000 / c.ratePerMinute());
      browsers =
          new DemoBrowsers(
              java.net.URI.create(baseUrl), seed, java.time.Duration.ofMillis(everyMillis));
      browsers.start();
    }
    return true;
  }

  /** How much CPU each simulated agent's work takes per second, in ms (median). */
  private static final double[] AGENT_CPU_MS = {1.0, 3.0, 1.5, 0.5};

  /**
   * Runs the simulated agents' work for real from now on: each live tick hands each working agent a
   * task of a few milliseconds of CPU and some allocation, on one shared pool through {@code
   * groups.track(agent, pool)}, so {@code vigil_thread_group_cpu_seconds_total{group=<agent>}} and
   * {@code vigil_thread_group_allocated_bytes_total} show per-agent resources (about 0.6% of one
   * core in all). The backfill has no such history: CPU time cannot be simulated.
   */
  public synchronized void agentResources(dev.vigil.collectors.jvm.ThreadGroupCollector groups) {
    if (agentPool != null) {
      return;
    }
    agentPool =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "vigil-demo-agents");
              t.setDaemon(true);
              return t;
            });
    agentWork = new java.util.concurrent.Executor[AGENTS.length];
    for (int i = 0; i < AGENTS.length; i++) {
      agentWork[i] = groups.track(AGENTS[i], agentPool);
    }
  }

  private void work(int i) {
    if (agentWork == null) {
      return;
    }
    long cpuNanos = (long) (AGENT_CPU_MS[i] * 1e6 * Math.exp(0.5 * nextIncidentGaussian()));
    try {
      agentWork[i].execute(() -> burn(Math.min(cpuNanos, 20_000_000L)));
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      // the demo is closing
    }
  }

  /** Uses about {@code cpuNanos} of this thread's CPU, allocating as it goes. */
  private static void burn(long cpuNanos) {
    var mx = java.lang.management.ManagementFactory.getThreadMXBean();
    long start = mx.getCurrentThreadCpuTime();
    // Bounded in wall time too: where CPU time is unsupported, and on a starved machine.
    long deadline = System.nanoTime() + 100 * cpuNanos;
    long sink = 0;
    while (System.nanoTime() < deadline
        && (start < 0 || mx.getCurrentThreadCpuTime() - start < cpuNanos)) {
      byte[] b = new byte[512];
      b[sink > 0 ? 1 : 0] = 1;
      sink += b.length + b[1];
    }
    if (sink == 42) {
      System.out.print(""); // keeps the loop's allocation from being optimised away
    }
  }

  private double nextIncidentGaussian() {
    double u = Math.max(1e-12, incidentRnd.nextDouble());
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * incidentRnd.nextDouble());
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
   * Writes {@code hours} of history up to now (by this demo's clock, when the backfill ends) into
   * {@code storage}: a copy of this model, with its own recorders and registry on a simulated
   * clock, runs through every second of the past, and a scrape of its registry is stored every 15 s
   * (or every longer step, so that at most ~1,500 scrapes are made) under {@code job}/{@code
   * instance}, with host gauges so the resources widget has history too. This demo's own recorders,
   * registry and random sequence are not touched: the live series start from zero when {@link
   * #start()} runs. The history ends with stale markers, so it does not overlap the live series.
   *
   * @return samples written
   */
  public long backfill(Appendable storage, double hours, String job, String instance)
      throws IOException {
    long end = clock.getAsLong();
    long start = end - (long) (hours * 3_600_000);
    long[] now = {start};
    MetricRegistry registry = new MetricRegistry();
    Recorders past = recorders(rec.namespace(), () -> now[0]);
    registry.register(past);
    DemoApplications model = new DemoApplications(past, registry, seed + 1, () -> now[0]);
    // Its recorders are dropped after: stack-trace samples would cost ~0.1 ms per error for
    // nothing.
    model.exceptions = false;
    model.incidentAnchor = incidentAnchor; // the same incidents as the live demo's
    // At most ~1,500 scrapes whatever the span (24 h: one per minute), so a day takes seconds.
    long step = Math.max(15_000, (end - start) / 1_500 / 15_000 * 15_000);
    java.util.Set<Labels> last = new java.util.HashSet<>();
    long lastT = 0;
    long written = 0;
    // The clock is read again each step: the history catches up with the time the backfill took
    // (a day takes seconds to write), so it ends when the live ticks begin, without a hole.
    for (long t = start / step * step; t < clock.getAsLong() - step; t += step) {
      // Every second of the step, as live: the same rates whatever the step.
      for (long s = t - step + 1_000; s <= t; s += 1_000) {
        now[0] = s;
        model.tick(s);
      }
      lastT = t;
      last.clear();
      written += model.scrapeInto(storage, registry, t, job, instance, last);
    }
    // End the history cleanly: the live series (another instance) take over from here.
    Appender app = storage.appender();
    for (Labels l : last) {
      app.append(0, l, lastT + 1, dev.vigil.model.StaleMarker.VALUE);
    }
    app.commit();
    return written;
  }

  /**
   * Stores one scrape of {@code registry} (and of the seed series it cannot hold) at {@code at} as
   * {@code job}/{@code instance}, with simulated host gauges; adds the series to {@code seen}.
   *
   * @return samples written
   */
  long scrapeInto(
      Appendable storage,
      MetricRegistry registry,
      long at,
      String job,
      String instance,
      java.util.Set<Labels> seen)
      throws IOException {
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
            seen.add(l);
            n[0]++;
          });
    } catch (ScrapeParser.ParseException e) {
      throw new IOException("demo backfill: the registry's exposition did not parse", e);
    }
    double cpu = 0.05 + 0.2 * load(at) + 0.05 * rnd.nextDouble();
    Labels host = Labels.of("job", job, "instance", instance);
    hostAppend(
        app,
        seen,
        host.toBuilder().set(Labels.METRIC_NAME, "vigil_cpu_usage_ratio").build(),
        at,
        cpu);
    hostAppend(
        app,
        seen,
        host.toBuilder().set(Labels.METRIC_NAME, "vigil_memory_usage_ratio").build(),
        at,
        0.5 + 0.1 * cpu);
    hostAppend(
        app,
        seen,
        host.toBuilder()
            .set(Labels.METRIC_NAME, "vigil_filesystem_usage_ratio")
            .set("mountpoint", "/")
            .build(),
        at,
        0.62);
    // The figure the disk tile, the realtime API and the health score read: the same disk.
    hostAppend(
        app,
        seen,
        host.toBuilder().set(Labels.METRIC_NAME, "vigil_filesystem_fullest_usage_ratio").build(),
        at,
        0.62);
    hostAppend(
        app,
        seen,
        host.toBuilder().set(Labels.METRIC_NAME, "vigil_health_score").build(),
        at,
        burstLeft > 0 ? 70 : 95 - 20 * cpu);
    app.commit();
    return n[0] + 5;
  }

  /** A simulated host gauge: stored, and remembered so the backfill's end marks it stale. */
  private static void hostAppend(
      Appender app, java.util.Set<Labels> seen, Labels l, long at, double value) {
    app.append(0, l, at, value);
    seen.add(l);
  }

  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
    if (agentPool != null) {
      agentPool.shutdownNow();
    }
    if (browsers != null) {
      browsers.close();
    }
  }
}
