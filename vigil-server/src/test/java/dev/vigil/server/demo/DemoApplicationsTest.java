package dev.vigil.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collectors.recorders.Recorders;
import dev.vigil.metrics.MetricRegistry;
import dev.vigil.model.Labels;
import dev.vigil.promql.Engine;
import dev.vigil.promql.QueryResult;
import dev.vigil.server.seeds.DashboardData;
import dev.vigil.server.testing.TestStorage;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DemoApplicationsTest {
  /** 2023-11-14 22:13:20 UTC: a fixed instant, so nothing depends on the time of day of a run. */
  private static final long NOW = 1_700_000_000_000L;

  /** The dashboard's API latency selector (pages/queries.js: byName, NOT_APP). */
  private static final String API_BUCKETS =
      "{__name__=~\"(.+_)?(api|http)_(request_duration|response_time)_seconds_bucket\","
          + " __name__!~\"(prometheus|promhttp|go|process|net|scrape|jvm|node)_.*\"}";

  private static Recorders recorders(AtomicLong clock) {
    return DemoApplications.recorders("app", clock::get);
  }

  /**
   * A demo with {@code hours} of backfill ending at {@link #NOW}, then {@code liveSeconds} of live
   * ticks on an injected clock, each 15 s scraped into the store as the self-scrape would.
   */
  private static TestStorage backfillThenLive(double hours, int liveSeconds) throws Exception {
    AtomicLong clock = new AtomicLong(NOW);
    MetricRegistry registry = new MetricRegistry();
    Recorders rec = recorders(clock);
    registry.register(rec);
    DemoApplications demo = new DemoApplications(rec, registry, 7, clock::get);
    TestStorage store = new TestStorage();
    demo.backfill(store, hours, "vigil", "demo-backfill");
    Set<Labels> seen = new HashSet<>();
    for (int s = 1; s <= liveSeconds; s++) {
      clock.set(NOW + s * 1_000L);
      demo.tick();
      if (s % 15 == 0) {
        demo.scrapeInto(store, registry, clock.get(), "vigil", "127.0.0.1:9470", seen);
      }
    }
    return store;
  }

  @Test
  void ticks_feedEveryRecorderAndTheSeedsOwnNames() throws Exception {
    MetricRegistry registry = new MetricRegistry();
    Recorders rec = recorders(new AtomicLong(NOW));
    registry.register(rec);
    DemoApplications demo = new DemoApplications(rec, registry, 7, () -> NOW);
    for (int i = 0; i < 120; i++) {
      demo.tick();
    }
    String text = new String(demo.exposition(registry), StandardCharsets.UTF_8);
    for (String name :
        List.of(
            "app_api_requests_total",
            "app_model_cost_total",
            "app_active_sessions",
            "app_agent_last_heartbeat_timestamp_seconds",
            "app_file_operations_total",
            "app_cache_requests_total",
            "app_workflow_executions_total",
            "app_files_watched",
            "app_files_changed_total",
            "app_agent_last_run_timestamp_seconds",
            "devloop_files_watched",
            "devloop_files_changed_total",
            "devloop_agent_last_run_ms",
            "dinoair_cpu_usage_percent",
            "dinoair_custom_api_requests_total",
            "dinoair_active_services_total",
            "kernel_syscall_permission_denied",
            "devloop_agent_runs_total",
            "devloop_agent_execution_duration_ms_bucket",
            "devloop_event_latency_ms_bucket",
            "backend_http_requests_total",
            "ai_llm_calls_total",
            "kernel_uptime_seconds",
            "file_write_success_total",
            "file_operation_queue_length",
            "vibezen_response_time_ms_bucket",
            "vibezen_cost_usd_total")) {
      assertThat(text).as(name).contains("\n" + name);
    }
    // Failed requests carry their exceptions: the Errors page has stack traces to show.
    assertThat(rec.errorSamples(null, 10))
        .isNotEmpty()
        .allSatisfy(e -> assertThat(e.chain()).hasSizeGreaterThan(1));
  }

  @Test
  void ticks_feedTheQualityRecorderPerAgent_andVibezensNames() throws Exception {
    MetricRegistry registry = new MetricRegistry();
    Recorders rec = recorders(new AtomicLong(NOW));
    registry.register(rec);
    DemoApplications demo = new DemoApplications(rec, registry, 7, () -> NOW);
    for (int i = 0; i < 300; i++) {
      demo.tick();
    }
    String text = new String(demo.exposition(registry), StandardCharsets.UTF_8);
    for (String agent : List.of("planner", "coder", "reviewer")) {
      assertThat(text)
          .contains("app_quality_thinking_steps_count{agent=\"" + agent + "\"}")
          .contains("app_quality_confidence_ratio_bucket{agent=\"" + agent + "\"")
          .contains("vibezen_thinking_steps_bucket{agent=\"" + agent + "\"")
          .contains("vibezen_confidence_score_count{agent=\"" + agent + "\"}");
    }
    for (String agent : List.of("linter", "security", "test-runner")) {
      assertThat(text)
          .containsPattern("app_quality_findings_total\\{agent=\"" + agent + "\",severity=")
          .contains("app_quality_open_findings{agent=\"" + agent + "\",severity=\"high\"}");
    }
    assertThat(text)
        .contains("app_quality_revisions_total{agent=")
        .contains("app_quality_findings_autofixed_total{agent=")
        .contains("app_quality_time_saved_seconds_total{agent=\"linter\",kind=\"developer\"}")
        .contains("app_quality_time_saved_seconds_total{agent=\"test-runner\",kind=\"build\"}")
        .contains("vibezen_revisions_total{agent=")
        // DevLoop's own quality and value names, as before.
        .contains("\ndevloop_issues_found_total{severity=")
        .contains("\ndevloop_ci_failures_prevented ");
    // The same thinking under both names: Vigil's and VIBEZEN's counts agree per agent.
    for (String agent : List.of("planner", "coder", "reviewer")) {
      assertThat(count(text, "vibezen_thinking_steps_count{agent=\"" + agent + "\"}"))
          .isEqualTo(count(text, "app_quality_thinking_steps_count{agent=\"" + agent + "\"}"))
          .isPositive();
    }
    assertThat(rec.recentQualityEvents()).isNotEmpty();
  }

  private static double count(String text, String series) {
    for (String line : text.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return -1;
  }

  @Test
  void backfill_givesEveryWidgetDataAndTheSeedsQueriesAnswers() throws Exception {
    MetricRegistry registry = new MetricRegistry();
    Recorders rec = recorders(new AtomicLong(NOW));
    registry.register(rec);
    DemoApplications demo = new DemoApplications(rec, registry, 7, () -> NOW);
    TestStorage store = new TestStorage();
    long written = demo.backfill(store, 0.5, "vigil", "127.0.0.1:9470");
    assertThat(written).isGreaterThan(10_000);
    Engine engine = Engine.builder(store).build();
    // The history ends with stale markers just before now; look at it a minute earlier.
    long at = NOW - 60_000;
    DashboardData d = new DashboardData(engine, rec.namespace(), rec::recentErrors, () -> at);
    Map<String, Object> overview = d.widget("overview", 1);
    assertThat(overview.get("status")).isIn("healthy", "degraded", "critical");
    assertThat((Long) overview.get("total_requests")).isGreaterThan(100);
    assertThat(((Map<?, ?>) overview.get("resources")).get("cpu")).isNotNull();
    Map<String, Object> models = d.widget("models", 0.5);
    assertThat((Double) models.get("total_cost")).isGreaterThan(0);
    assertThat((List<?>) d.widget("agents", 0.5).get("agents")).hasSize(4);
    assertThat((List<?>) d.widget("files", 0.5).get("operations")).hasSize(4);
    assertThat((List<?>) d.widget("api", 0.5).get("services")).hasSize(5);
    // At now the history has ended: stale markers, so no double counting with the live series.
    assertThat(engine.instantQuery("app_active_sessions", NOW).vector()).isEmpty();
    // The backfill ran a copy of the model: the live registry starts from zero.
    assertThat(new String(demo.exposition(registry), StandardCharsets.UTF_8))
        .doesNotContain("app_api_requests_total{");
    // The seeds' own queries (DevLoop's success rate, AgentOS' latency) find data.
    assertThat(
            engine
                .instantQuery(
                    "sum(rate(devloop_agent_runs_total{status=\"success\"}[5m])) / sum(rate(devloop_agent_runs_total[5m]))",
                    at)
                .vector())
        .singleElement()
        .satisfies(s -> assertThat(s.value()).isBetween(0.8, 1.0));
    assertThat(
            engine
                .instantQuery(
                    "histogram_quantile(0.95, sum by (le) (rate(backend_http_request_duration_seconds_bucket[5m])))",
                    at)
                .vector())
        .singleElement()
        .satisfies(s -> assertThat(s.value()).isBetween(0.01, 1.0));
  }

  @Test
  void requestRate_ofTheBackfill_agreesWithTheLiveRate() throws Exception {
    // 2 h of history, then 30 min live: the rates of the last 10 min of each agree (the diurnal
    // load changes by under 10% in 40 minutes; the old backfill ran at 1/60 of the live rate).
    Engine engine = Engine.builder(backfillThenLive(2, 1_800)).build();
    for (String metric :
        List.of(
            "app_api_requests_total",
            "dinoair_custom_api_requests_total",
            "backend_http_requests_total",
            "app_api_request_duration_seconds_count",
            "app_model_generations_total")) {
      String q = "sum(rate(" + metric + "[10m]))";
      double past = engine.instantQuery(q, NOW - 2 * 60_000).vector().getFirst().value();
      double live = engine.instantQuery(q, NOW + 1_800_000).vector().getFirst().value();
      assertThat(past).as(metric).isGreaterThan(0.3);
      assertThat(past / live)
          .as(metric + ": backfill %.2f/s, live %.2f/s", past, live)
          .isBetween(0.85, 1.15);
    }
    // The whole request rate across the boundary: no step changes by more than noise.
    QueryResult r =
        engine.rangeQuery(
            "sum(rate({__name__=~\"(.+_)?(api|http)_requests_total\"}[2m]))",
            NOW - 3_600_000,
            NOW + 1_800_000,
            60_000);
    double[] v = r.matrix().getFirst().values();
    double mean = java.util.Arrays.stream(v).average().orElseThrow();
    assertThat(java.util.Arrays.stream(v).boxed().toList())
        .hasSize(91)
        .allSatisfy(x -> assertThat(x).isBetween(0.75 * mean, 1.25 * mean));
  }

  @Test
  void histogramQuantiles_ofTheDemo_neverFallInThePlusInfBucket() throws Exception {
    TestStorage store = backfillThenLive(2, 900);
    Engine engine = Engine.builder(store).build();
    long start = NOW - 7_200_000 + 600_000;
    long end = NOW + 900_000;
    // Every histogram family on its own, and the dashboard's API latency over all of them.
    Map<String, String> selectors = new java.util.TreeMap<>();
    for (var s :
        engine
            .instantQuery("group by (__name__) ({__name__=~\".+_bucket\"})", NOW - 60_000)
            .vector()) {
      String name = s.labels().get("__name__");
      selectors.put(name, name);
    }
    assertThat(selectors).containsKeys("app_model_generation_duration_seconds_bucket");
    selectors.put("dashboard API latency", API_BUCKETS);
    for (var e : selectors.entrySet()) {
      double top = 0;
      for (var s :
          engine.instantQuery("group by (le) (" + e.getValue() + ")", NOW - 60_000).vector()) {
        String bound = s.labels().get("le");
        double le = bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
        if (le != Double.POSITIVE_INFINITY) {
          top = Math.max(top, le);
        }
      }
      QueryResult r =
          engine.rangeQuery(
              "histogram_quantile(0.99, sum by (le) (rate(" + e.getValue() + "[5m])))",
              start,
              end,
              60_000);
      Set<Double> values = new TreeSet<>();
      for (var series : r.matrix()) {
        for (double x : series.values()) {
          if (!Double.isNaN(x)) { // NaN: no observation in the window (a rare event)
            values.add(x);
          }
        }
      }
      double highest = top;
      assertThat(values)
          .as("p99 of %s (highest finite bucket %s)", e.getKey(), top)
          .isNotEmpty()
          .allSatisfy(x -> assertThat(x).isLessThan(highest));
    }
  }

  /** Failed share of DevLoop's runs in {@code environment}, from a demo's exposition. */
  private static double failedShare(String text, String environment) {
    double all = 0;
    double failed = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith("devloop_agent_runs_total{")
          && line.contains("environment=\"" + environment + "\"")) {
        double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        all += v;
        if (!line.contains("status=\"success\"")) failed += v;
      }
    }
    assertThat(all).as("runs in " + environment).isGreaterThan(100);
    return failed / all;
  }

  @Test
  void incident_failsAQuarterOfProductionsRuns_fromBeforeTheStartForAnHour_every6Hours()
      throws Exception {
    MetricRegistry registry = new MetricRegistry();
    Recorders rec = recorders(new AtomicLong(NOW));
    registry.register(rec);
    DemoApplications demo = new DemoApplications(rec, registry, 7, () -> NOW);
    assertThat(demo.incident(NOW - 15 * 60_000)).isTrue();
    assertThat(demo.incident(NOW - 15 * 60_000 - 1)).isFalse();
    assertThat(demo.incident(NOW + 45 * 60_000 - 1)).isTrue();
    assertThat(demo.incident(NOW + 45 * 60_000)).isFalse();
    assertThat(demo.incident(NOW + 6 * 3_600_000L)).isTrue();
    for (int i = 0; i < 1200; i++) {
      demo.tick(NOW + i * 1000L);
    }
    String during = new String(demo.exposition(registry), StandardCharsets.UTF_8);
    assertThat(failedShare(during, "production")).isBetween(0.18, 0.32);
    assertThat(failedShare(during, "staging")).isLessThan(0.02);
    // The bucket the demo's latency SLO counts (devloop-slos.yml: le="500.0" in production).
    assertThat(during)
        .containsPattern(
            "devloop_agent_execution_duration_ms_bucket\\{[^}]*environment=\"production\",le=\"500.0\"\\}");

    MetricRegistry calm = new MetricRegistry();
    Recorders calmRec = recorders(new AtomicLong(NOW));
    calm.register(calmRec);
    DemoApplications after = new DemoApplications(calmRec, calm, 7, () -> NOW);
    for (int i = 0; i < 1200; i++) {
      after.tick(NOW + 2 * 3_600_000L + i * 1000L);
    }
    String text = new String(after.exposition(calm), StandardCharsets.UTF_8);
    // Within DevLoop's objectives: 99.5 % in production, 98 % in staging, 95 % in development.
    assertThat(failedShare(text, "production")).isLessThan(0.005);
    assertThat(failedShare(text, "staging")).isLessThan(0.02);
    assertThat(failedShare(text, "development")).isLessThan(0.05);
  }

  @Test
  void incidents_recoverWithinTheHour_andAgentsWorkCountsAsTheirCpu() throws Exception {
    // On the simulated clock: every recovery has its simulated duration.
    AtomicLong clock = new AtomicLong(NOW);
    MetricRegistry registry = new MetricRegistry();
    Recorders rec = recorders(clock);
    registry.register(rec);
    DemoApplications demo = new DemoApplications(rec, registry, 7, clock::get);
    dev.vigil.collectors.jvm.ThreadGroupCollector groups =
        new dev.vigil.collectors.jvm.ThreadGroupCollector();
    try {
      for (int i = 1; i <= 3600; i++) {
        clock.set(NOW + i * 1000L);
        demo.tick();
      }
      String text = new String(demo.exposition(registry), StandardCharsets.UTF_8);
      // comfyui's error bursts: incidents of 20-60 s; DevLoop production's, open since the first
      // tick (1 s in), ends 45 min after the demo's start.
      assertThat(text)
          .containsPattern(
              "app_incidents_recovered_total\\{name=\"comfyui\",scope=\"service\"} [1-9]")
          .containsPattern(
              "app_incidents_recovered_total\\{name=\"devloop\",scope=\"service\"} 1\n")
          .containsPattern("app_incidents_recovered_total\\{name=\"[a-z]+\",scope=\"agent\"} [1-9]")
          .containsPattern("app_agent_recoveries_total\\{agent=\"[a-z]+\"} [1-9]")
          .containsPattern("app_agent_warnings_total\\{agent=\"[a-z]+\"} [1-9]")
          .contains(
              "app_incident_recovery_duration_seconds_sum{name=\"devloop\",scope=\"service\"}"
                  + " 2699\n");
      // 100 more seconds with the agents' work run for real (~0.7 s of CPU in all), on a pool:
      // wait (bounded) until it has been counted.
      demo.agentResources(groups);
      for (int i = 3601; i <= 3700; i++) {
        clock.set(NOW + i * 1000L);
        demo.tick();
      }
      long deadline = System.nanoTime() + 60_000_000_000L;
      double coder = 0;
      while (System.nanoTime() < deadline) {
        coder = groupValue(groups, "vigil_thread_group_cpu_seconds", "coder");
        if (coder > 0.1) {
          break;
        }
        Thread.sleep(50); // polling a pool this test cannot join; bounded by the deadline
      }
      assertThat(coder).as("coder's CPU seconds (~3 ms a tick for 100 ticks)").isGreaterThan(0.1);
      assertThat(groupValue(groups, "vigil_thread_group_cpu_seconds", "planner")).isLessThan(coder);
      assertThat(groupValue(groups, "vigil_thread_group_allocated_bytes", "planner")).isPositive();
    } finally {
      demo.close();
    }
  }

  private static double groupValue(
      dev.vigil.collectors.jvm.ThreadGroupCollector groups, String family, String group) {
    for (dev.vigil.metrics.model.MetricSnapshot s : groups.collect()) {
      if (s.name().equals(family)) {
        var p = s.dataPoint(dev.vigil.metrics.model.Labels.of("group", group));
        return p == null ? Double.NaN : ((dev.vigil.metrics.model.CounterDataPoint) p).value();
      }
    }
    return Double.NaN;
  }
}
