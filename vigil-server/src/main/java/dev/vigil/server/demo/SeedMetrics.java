package dev.vigil.server.demo;

import dev.vigil.metrics.Counter;
import dev.vigil.metrics.Gauge;
import dev.vigil.metrics.Histogram;
import dev.vigil.metrics.MetricRegistry;
import java.util.random.RandomGenerator;

/**
 * The seeds' own metric names and labels, fed by the demo: DinoAir ({@code dinoair_*}), DevLoop
 * ({@code devloop_*} with its {@code _ms} histograms), AgentOS ({@code backend_*}, {@code ai_*},
 * {@code kernel_*}), Dream.OS ({@code file_write_success_total} family) and VIBEZEN (response time,
 * cache, tokens, cost), so the seeds' own queries, Grafana JSON and alert rules find data.
 */
final class SeedMetrics {
  private final RandomGenerator rnd;

  // DinoAir
  private final Gauge dinoCpu;
  private final Gauge dinoMem;
  private final Gauge dinoDisk;
  private final Gauge dinoNet;
  private final Gauge dinoHealth;
  /* dinoair_active_services_total (a gauge) and kernel_syscall_permission_denied (a counter
   * without _total) break the registry's naming rules; the seeds use them as written, so they are
   * exposed as text by extraText() instead. */
  private volatile double activeServices;
  private final java.util.concurrent.atomic.DoubleAdder permissionDenied =
      new java.util.concurrent.atomic.DoubleAdder();
  private final Counter dinoRequests;
  private final Counter dinoErrors;
  private final Gauge dinoResponseAvg;
  private final Gauge dinoSessions;
  private final Counter dinoGenerations;
  private final Gauge dinoErrorRate;
  // DevLoop
  private final Counter devRuns;
  private final Gauge devQueue;
  private final Histogram devExecMs;
  private final Counter devIssues;
  private final Gauge devActiveIssues;
  private final Histogram devEventMs;
  private final Counter devEvents;
  private final Counter devAutofixed;
  private final Counter devFalsePositives;
  private final Gauge devCpu;
  private final Gauge devMemoryMb;
  private final Gauge devFilesWatched;
  private final Counter devFilesChanged;
  private final Gauge devLastRunMs;
  /* DevLoop's value counters have no _total (devloop_ci_failures_prevented, ...); exposed as text
   * by extraText(), in this order: CI failures prevented, build seconds saved, developer seconds
   * saved, successful pushes, pushes. */
  private final java.util.concurrent.atomic.DoubleAdder[] devValue = {
    new java.util.concurrent.atomic.DoubleAdder(),
    new java.util.concurrent.atomic.DoubleAdder(),
    new java.util.concurrent.atomic.DoubleAdder(),
    new java.util.concurrent.atomic.DoubleAdder(),
    new java.util.concurrent.atomic.DoubleAdder()
  };
  // AgentOS
  private final Counter backendRequests;
  private final Histogram backendDuration;
  private final Gauge backendApps;
  private final Counter backendServiceCalls;
  private final Counter backendGrpc;
  private final Counter aiUiRequests;
  private final Histogram aiUiDuration;
  private final Counter aiChat;
  private final Counter aiLlm;
  private final Counter aiCacheHits;
  private final Gauge kernelUptime;
  // Dream.OS
  private final Counter writeOk;
  private final Counter writeFail;
  private final Counter readOk;
  private final Counter readFail;
  private final Counter dirOk;
  private final Counter dirFail;
  private final Histogram fileDuration;
  private final Histogram fileSize;
  private final Gauge fileQueue;
  // VIBEZEN
  private final Histogram vzResponseMs;
  private final Counter vzCacheHits;
  private final Counter vzCacheMisses;
  private final Gauge vzCacheHitRate;
  private final Counter vzTokens;
  private final Counter vzCost;
  private final Histogram vzThinkingSteps;
  private final Histogram vzConfidence;
  private final Counter vzRevisions;
  private final Counter vzViolations;

  private double dinoErrorsLastMinute;
  private long uptime;

  SeedMetrics(MetricRegistry r, RandomGenerator rnd) {
    this.rnd = rnd;
    dinoCpu = gauge(r, "dinoair_cpu_usage_percent", "CPU utilization percentage");
    dinoMem = gauge(r, "dinoair_memory_usage_percent", "Memory utilization percentage");
    dinoDisk = gauge(r, "dinoair_disk_usage_percent", "Disk usage percentage");
    dinoNet = gauge(r, "dinoair_network_bandwidth_mbps", "Network bandwidth usage");
    dinoHealth = gauge(r, "dinoair_system_health_score", "Overall system health (0-100)");
    dinoRequests = counter(r, "dinoair_custom_api_requests_total", "Total API requests", "service");
    dinoErrors = counter(r, "dinoair_custom_api_errors_total", "Total API errors", "service");
    dinoResponseAvg =
        gauge(r, "dinoair_custom_api_response_time_avg", "Average API response time", "service");
    dinoSessions = gauge(r, "dinoair_custom_active_sessions", "Number of active user sessions");
    dinoGenerations =
        counter(r, "dinoair_custom_model_generations_total", "Total model generations", "model");
    dinoErrorRate = gauge(r, "dinoair_custom_error_rate_per_minute", "Error rate per minute");
    devRuns =
        counter(r, "devloop_agent_runs_total", "Agent runs", "agent", "status", "environment");
    devQueue = gauge(r, "devloop_agent_queue_depth", "Agent queue depth", "agent");
    devExecMs =
        histogram(
            r,
            "devloop_agent_execution_duration_ms",
            "Agent execution time in ms",
            new double[] {50, 100, 250, 500, 1000, 2000, 2500, 5000},
            "agent",
            "environment");
    devIssues = counter(r, "devloop_issues_found_total", "Issues found", "severity");
    devActiveIssues = gauge(r, "devloop_active_issues", "Open issues", "severity");
    devEventMs =
        histogram(
            r,
            "devloop_event_latency_ms",
            "Event latency in ms",
            new double[] {10, 50, 100, 500, 1000});
    devEvents = counter(r, "devloop_events_processed_total", "Events processed");
    devAutofixed = counter(r, "devloop_issues_autofixed_total", "Issues fixed automatically");
    devFalsePositives = counter(r, "devloop_false_positives_total", "False positives");
    devCpu = gauge(r, "devloop_system_cpu_percent", "DevLoop's CPU usage percentage");
    devMemoryMb = gauge(r, "devloop_system_memory_mb", "DevLoop's resident memory in MB");
    devFilesWatched = gauge(r, "devloop_files_watched", "Files DevLoop watches");
    devFilesChanged = counter(r, "devloop_files_changed_total", "File changes DevLoop saw");
    devLastRunMs =
        gauge(r, "devloop_agent_last_run_ms", "Duration of the agent's last run", "agent");
    backendRequests =
        counter(
            r, "backend_http_requests_total", "HTTP request counts", "method", "path", "status");
    backendDuration =
        histogram(
            r,
            "backend_http_request_duration_seconds",
            "Request latency",
            // The app recorders' API buckets: the dashboard's latency panels sum every
            // *_request_duration_seconds histogram by le, and a sum of two layouts puts the
            // top of one in the other's +Inf bucket, where p99 reads as the highest bound (60 s).
            new double[] {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60},
            "method",
            "path");
    backendApps = gauge(r, "backend_apps_active", "Active application count");
    backendServiceCalls =
        counter(r, "backend_service_calls_total", "Service call counts", "service");
    backendGrpc = counter(r, "backend_grpc_calls_total", "gRPC operation counts", "method");
    aiUiRequests = counter(r, "ai_ui_requests_total", "UI generation requests", "status", "type");
    aiUiDuration =
        histogram(
            r,
            "ai_ui_duration_seconds",
            "Generation latency",
            new double[] {0.5, 1, 2, 5, 10, 20, 30});
    aiChat = counter(r, "ai_chat_requests_total", "Chat requests");
    aiLlm = counter(r, "ai_llm_calls_total", "LLM API calls", "provider");
    aiCacheHits = counter(r, "ai_cache_hits_total", "Cache performance");
    kernelUptime = gauge(r, "kernel_uptime_seconds", "System uptime");
    writeOk = counter(r, "file_write_success_total", "Total successful file writes");
    writeFail = counter(r, "file_write_failure_total", "Total failed file writes");
    readOk = counter(r, "file_read_success_total", "Total successful file reads");
    readFail = counter(r, "file_read_failure_total", "Total failed file reads");
    dirOk = counter(r, "dir_operation_success_total", "Total successful directory operations");
    dirFail = counter(r, "dir_operation_failure_total", "Total failed directory operations");
    fileDuration =
        histogram(
            r,
            "file_operation_duration_seconds",
            "Time spent on file operations",
            new double[] {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1},
            "operation");
    fileSize =
        histogram(
            r,
            "file_size_bytes",
            "Size of files operated on",
            new double[] {1024, 10240, 102400, 1048576, 10485760},
            "operation");
    fileQueue = gauge(r, "file_operation_queue_length", "Pending file operations");
    vzResponseMs =
        histogram(
            r,
            "vibezen_response_time_ms",
            "Time taken for each operation (ms)",
            new double[] {50, 100, 250, 500, 1000, 2500, 5000},
            "phase",
            "provider");
    vzCacheHits = counter(r, "vibezen_cache_hits_total", "Cache hits");
    vzCacheMisses = counter(r, "vibezen_cache_misses_total", "Cache misses");
    vzCacheHitRate = gauge(r, "vibezen_cache_hit_rate", "Effectiveness of caching (0-1)");
    vzTokens = counter(r, "vibezen_tokens_total", "Tokens consumed", "provider");
    vzCost = counter(r, "vibezen_cost_usd_total", "Estimated cost by provider (USD)", "provider");
    // VIBEZEN's quality metrics (its doc names them, not their series): Thinking Steps,
    // Confidence Scores, Revision Count, Violation Detection.
    vzThinkingSteps =
        histogram(
            r,
            "vibezen_thinking_steps",
            "Number of sequential thinking steps",
            new double[] {1, 2, 3, 5, 8, 13, 21, 34, 55},
            "agent");
    vzConfidence =
        histogram(
            r,
            "vibezen_confidence_score",
            "AI confidence in solutions (0-1)",
            new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1},
            "agent");
    vzRevisions = counter(r, "vibezen_revisions_total", "Code revisions needed", "agent");
    vzViolations =
        counter(r, "vibezen_violations_total", "Spec violations caught", "agent", "kind");
  }

  /** DevLoop's environments, in the order of {@link #BASE_FAILURES}. */
  static final String[] ENVIRONMENTS = {"development", "staging", "production"};

  /**
   * Share of failed agent runs per environment: under a third of each objective's budget (95 %, 98
   * %, 99.5 % success), so budgets burn slowly outside the incident.
   */
  private static final double[] BASE_FAILURES = {0.015, 0.005, 0.0015};

  /**
   * Production's incident: a quarter of the runs fail (50 times its budget) and runs take 1.2 s.
   */
  static final double INCIDENT_FAILURES = 0.25;

  private static final double INCIDENT_MEDIAN_MS = 1200;

  /** One second of the seed applications at {@code load} times their mean rates. */
  void tick(double load, double cpu, double mem, double disk, int sessions, boolean errorBurst) {
    tick(load, cpu, mem, disk, sessions, errorBurst, false);
  }

  /**
   * One second of the seed applications; during {@code incident} DevLoop's production agents fail
   * and slow down (see {@link DemoApplications#incident}).
   */
  void tick(
      double load,
      double cpu,
      double mem,
      double disk,
      int sessions,
      boolean errorBurst,
      boolean incident) {
    uptime++;
    dinoCpu.set(cpu);
    dinoMem.set(mem);
    dinoDisk.set(disk);
    dinoNet.set(5 + 20 * rnd.nextDouble());
    dinoHealth.set(Math.max(0, 100 - Math.max(0, cpu - 70) - (errorBurst ? 25 : 0)));
    activeServices = errorBurst ? 2 : 3;
    dinoSessions.set(sessions);
    double errors = 0;
    for (String s : new String[] {"comfyui", "ollama", "api"}) {
      int n = count(2, load);
      dinoRequests.labelValues(s).inc(n);
      if (errorBurst && s.equals("comfyui") || rnd.nextDouble() < 0.02) {
        dinoErrors.labelValues(s).inc();
        errors++;
      }
      dinoResponseAvg.labelValues(s).set(0.1 + rnd.nextDouble() * (s.equals("comfyui") ? 2 : 0.3));
    }
    dinoErrorsLastMinute = dinoErrorsLastMinute * 59 / 60 + errors;
    dinoErrorRate.set(dinoErrorsLastMinute);
    if (rnd.nextDouble() < 0.3) {
      dinoGenerations.labelValues(rnd.nextBoolean() ? "llama2-7b" : "sdxl").inc();
    }
    for (String agent : new String[] {"linter", "formatter", "security"}) {
      if (rnd.nextDouble() < 0.5) {
        // DevLoop's SLOs are per environment: half of the runs in production, then staging,
        // then development, each well inside its objectives except in production's incident.
        double e = rnd.nextDouble();
        int env = e < 0.5 ? 2 : e < 0.8 ? 1 : 0;
        boolean hit = incident && env == 2;
        double fails = hit ? INCIDENT_FAILURES : BASE_FAILURES[env];
        String status =
            rnd.nextDouble() >= fails ? "success" : rnd.nextBoolean() ? "failure" : "error";
        devRuns.labelValues(agent, status, ENVIRONMENTS[env]).inc();
        double ms = lognormal(hit ? INCIDENT_MEDIAN_MS : 200, 0.45);
        devExecMs.labelValues(agent, ENVIRONMENTS[env]).observe(ms);
        devLastRunMs.labelValues(agent).set(ms);
      }
      devQueue.labelValues(agent).set(rnd.nextInt(agent.equals("security") ? 12 : 5));
    }
    if (rnd.nextDouble() < 0.2) {
      String sev = new String[] {"critical", "high", "medium", "low"}[rnd.nextInt(4)];
      devIssues.labelValues(sev).inc();
      if (rnd.nextDouble() < 0.4) {
        devAutofixed.inc();
      } else if (rnd.nextDouble() < 0.1) {
        devFalsePositives.inc();
      }
    }
    devActiveIssues.labelValues("critical").set(rnd.nextInt(3));
    devActiveIssues.labelValues("high").set(5 + rnd.nextInt(5));
    devActiveIssues.labelValues("medium").set(20 + rnd.nextInt(10));
    int events = 5 + rnd.nextInt(10);
    devEvents.inc(events);
    devFilesChanged.inc(events); // DevLoop's events are file changes
    // DevLoop's own process and value figures (seed's dashboards 2 and 4): derived from the load,
    // without drawing from rnd, so the other series' sequences are unchanged.
    devCpu.set(cpu / 4);
    devMemoryMb.set(180 + mem);
    devFilesWatched.set(1200 + (uptime / 600) % 50);
    devValue[0].add(0.01 * load);
    devValue[1].add(2 * load);
    devValue[2].add(3 * load);
    devValue[3].add(0.019 * load);
    devValue[4].add(0.02 * load);
    for (int i = 0; i < 3; i++) {
      devEventMs.observe(lognormal(40, 1));
    }
    for (String path : new String[] {"/api/apps", "/api/chat", "/api/files"}) {
      int n = count(3.5, load);
      for (int i = 0; i < n; i++) {
        String status =
            errorBurst && path.equals("/api/chat")
                ? "502"
                : rnd.nextDouble() < 0.01 ? "500" : "200";
        backendRequests.labelValues("GET", path, status).inc();
        backendDuration.labelValues("GET", path).observe(lognormal(0.03, 0.7));
      }
    }
    backendApps.set(4 + rnd.nextInt(3));
    backendServiceCalls.labelValues(rnd.nextBoolean() ? "ai-service" : "kernel").inc();
    backendGrpc.labelValues(rnd.nextBoolean() ? "Execute" : "Status").inc();
    if (rnd.nextDouble() < 0.4) {
      boolean ok = !errorBurst || rnd.nextBoolean();
      aiUiRequests.labelValues(ok ? "success" : "error", "generate").inc();
      aiUiDuration.observe(lognormal(3, 0.5));
      aiLlm.labelValues(rnd.nextBoolean() ? "openai" : "anthropic").inc();
      if (rnd.nextDouble() < 0.3) {
        aiCacheHits.inc();
      }
    }
    if (rnd.nextDouble() < 0.3) {
      aiChat.inc();
    }
    kernelUptime.set(uptime);
    if (rnd.nextDouble() < 0.01) {
      permissionDenied.add(1);
    }
    (rnd.nextDouble() < 0.97 ? writeOk : writeFail).inc();
    (rnd.nextDouble() < 0.99 ? readOk : readFail).inc(1 + rnd.nextInt(3));
    if (rnd.nextDouble() < 0.2) {
      (rnd.nextDouble() < 0.98 ? dirOk : dirFail).inc();
    }
    fileDuration.labelValues("write").observe(lognormal(0.008, 0.8));
    fileDuration.labelValues("read").observe(lognormal(0.002, 0.8));
    fileSize.labelValues("write").observe(lognormal(20_000, 1.2));
    fileQueue.set(rnd.nextInt(4));
    if (rnd.nextDouble() < 0.5) {
      String provider = rnd.nextBoolean() ? "openai" : "anthropic";
      vzResponseMs.labelValues("implementation", provider).observe(lognormal(150, 0.6));
      boolean hit = rnd.nextDouble() < 0.75;
      (hit ? vzCacheHits : vzCacheMisses).inc();
      double h = vzCacheHits.get();
      vzCacheHitRate.set(h / (h + vzCacheMisses.get()));
      long tokens = 200 + rnd.nextInt(800);
      vzTokens.labelValues(provider).inc(tokens);
      vzCost.labelValues(provider).inc(tokens * (provider.equals("openai") ? 0.00001 : 0.000015));
    }
  }

  /** One VIBEZEN solution's thinking, under the seed's names; {@code violation} may be null. */
  void quality(String agent, int steps, double confidence, int revisions, String violation) {
    vzThinkingSteps.labelValues(agent).observe(steps);
    vzConfidence.labelValues(agent).observe(confidence);
    vzRevisions.labelValues(agent).inc(revisions);
    if (violation != null) {
      vzViolations.labelValues(agent, violation).inc();
    }
  }

  /** The two seed series whose names the registry refuses, in Prometheus text format. */
  String extraText() {
    return "# HELP dinoair_active_services_total Number of active services\n"
        + "# TYPE dinoair_active_services_total gauge\n"
        + "dinoair_active_services_total "
        + activeServices
        + "\n# HELP kernel_syscall_permission_denied Permission check failures\n"
        + "# TYPE kernel_syscall_permission_denied counter\n"
        + "kernel_syscall_permission_denied "
        + permissionDenied.sum()
        + "\n"
        + devValueText();
  }

  private String devValueText() {
    String[][] names = {
      {"devloop_ci_failures_prevented", "CI failures prevented"},
      {"devloop_build_time_saved_seconds", "Build time saved"},
      {"devloop_developer_time_saved_seconds", "Developer time saved"},
      {"devloop_successful_pushes", "Pushes that passed"},
      {"devloop_total_pushes", "Pushes"}
    };
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < names.length; i++) {
      b.append("# HELP ").append(names[i][0]).append(' ').append(names[i][1]).append('\n');
      b.append("# TYPE ").append(names[i][0]).append(" counter\n");
      b.append(names[i][0]).append(' ').append(devValue[i].sum()).append('\n');
    }
    return b.toString();
  }

  /** Events in a second with mean {@code mean * load}: its integer part plus one at that chance. */
  private int count(double mean, double load) {
    double m = mean * load;
    int n = (int) m;
    return rnd.nextDouble() < m - n ? n + 1 : n;
  }

  double lognormal(double median, double sigma) {
    return median * Math.exp(sigma * rnd.nextGaussian());
  }

  private static Gauge gauge(MetricRegistry r, String name, String help, String... labels) {
    return Gauge.builder().name(name).help(help).labelNames(labels).register(r);
  }

  private static Counter counter(MetricRegistry r, String name, String help, String... labels) {
    return Counter.builder().name(name).help(help).labelNames(labels).register(r);
  }

  private static Histogram histogram(
      MetricRegistry r, String name, String help, double[] buckets, String... labels) {
    return Histogram.builder()
        .name(name)
        .help(help)
        .labelNames(labels)
        .buckets(buckets)
        .register(r);
  }
}
