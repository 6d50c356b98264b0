package dev.vigil.server.seeds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.collectors.recorders.ModelPrice;
import dev.vigil.collectors.recorders.Recorders;
import dev.vigil.metrics.MetricRegistry;
import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.promql.Engine;
import dev.vigil.server.api.MetricsRoutes;
import dev.vigil.server.config.ServerConfig;
import dev.vigil.server.http.VigilHttpServer;
import dev.vigil.server.scrape.ScrapeFormat;
import dev.vigil.server.scrape.ScrapeParser;
import dev.vigil.server.testing.TestStorage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seeds' API over data written through the recorders: 20 scrapes 15 s apart of a registry the
 * test drives, plus host gauges, then every widget and view checked against what was recorded.
 */
class SeedApiTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final int STEPS = 21;
  private static final AtomicLong NOW = new AtomicLong(T0);
  private static final TestStorage STORE = new TestStorage();
  private static final MetricRegistry REGISTRY = new MetricRegistry();
  private static Recorders rec;
  private static DashboardData dashboard;
  private static VigilHttpServer server;
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void record() throws Exception {
    rec =
        Recorders.builder()
            .namespace("dinoair_custom") // DinoAir's own names: the API must find them
            .clock(NOW::get)
            .nanoClock(() -> NOW.get() * 1_000_000)
            .modelPrice("gpt-4o", new ModelPrice(0.01, 0.02, "USD"))
            .build();
    REGISTRY.register(rec);
    rec.startUserSession("s1", "test");
    rec.startUserSession("s2", "test");
    rec.setAgentStatus("planner", "running");
    rec.setAgentStatus("stalled", "error");
    for (int i = 0; i < STEPS; i++) {
      long t = T0 + i * 15_000L;
      NOW.set(t);
      if (i > 0) {
        // Per 15 s step: 3 comfyui requests (one 500), 1 ollama request, 1 error, 1 generation.
        rec.recordApiRequest("comfyui", "/generate", "POST", 200, 0.2);
        rec.recordApiRequest("comfyui", "/generate", "POST", 200, 0.3);
        rec.recordApiRequest("comfyui", "/generate", "POST", 500, 2.0);
        rec.recordApiRequest("ollama", "/api/chat", "POST", 200, 0.05);
        rec.recordError("connection_timeout", "Failed to connect to ComfyUI", "comfyui", "error");
        rec.recordModelGeneration("gpt-4o", "openai", 2.0, i % 4 != 0, 100, 50);
        rec.recordFileOperation("upload", "/tmp/x", 1000, 0.1, i % 5 != 0, null);
        rec.recordAgentHeartbeat("planner");
        rec.recordAgentRun("planner", "success", 1.0);
        rec.setAgentQueueDepth("planner", i);
      }
      if (i == 2) {
        rec.recordIncidentStart("agent", "stalled");
      } else if (i == 6) {
        rec.recordRecovered("agent", "stalled"); // 60 s
      } else if (i == 10) {
        rec.recordIncidentStart("agent", "stalled");
      }
      scrape(t);
    }
    dashboard =
        new DashboardData(
            Engine.builder(STORE).build(), rec.namespace(), rec::recentErrors, NOW::get);
    server =
        VigilHttpServer.start(
            ServerConfig.defaults().withListen("127.0.0.1", 0),
            List.of(new SeedApiRoutes(dashboard)));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** One scrape of the registry plus the host gauges, as the self-scrape would store them. */
  private static void scrape(long t) throws Exception {
    Appender app = STORE.appender();
    ScrapeParser.parse(
        MetricsRoutes.text(REGISTRY),
        ScrapeFormat.PROMETHEUS_TEXT,
        (key, name, labels, value, ts) -> {
          Labels.Builder b = Labels.builder().set("__name__", name).set("job", "app");
          for (int i = 0; i < labels.size(); i += 2) {
            b.set(labels.get(i), labels.get(i + 1));
          }
          app.append(0, b.build(), t, value);
        });
    app.append(0, Labels.of("__name__", "vigil_cpu_usage_ratio"), t, 0.42);
    // The planner's thread group: 15 % of a core, 1 MB/s allocated.
    app.append(
        0,
        Labels.of("__name__", "vigil_thread_group_cpu_seconds_total", "group", "planner"),
        t,
        0.15 * (t - T0) / 1000.0);
    app.append(
        0,
        Labels.of("__name__", "vigil_thread_group_allocated_bytes_total", "group", "planner"),
        t,
        1e6 * (t - T0) / 1000.0);
    app.append(
        0, Labels.of("__name__", "vigil_memory_usage_ratio"), t, 0.5 + (t - T0) / 3_000_000.0);
    app.append(0, Labels.of("__name__", "vigil_filesystem_usage_ratio", "mountpoint", "/"), t, 0.7);
    // A full /dev/shm is memory, not a disk: the collector leaves it out of the fullest disk.
    app.append(
        0,
        Labels.of(
            "__name__",
            "vigil_filesystem_usage_ratio",
            "mountpoint",
            "/dev/shm",
            "fstype",
            "tmpfs"),
        t,
        0.95);
    app.append(0, Labels.of("__name__", "vigil_filesystem_fullest_usage_ratio"), t, 0.7);
    app.append(0, Labels.of("__name__", "vigil_health_score"), t, 90);
    app.append(0, Labels.of("__name__", "vigil_health_score_penalty", "input", "cpu"), t, 10);
    app.append(0, Labels.of("__name__", "vigil_health_input", "input", "cpu"), t, 42);
    app.commit();
  }

  private static JsonNode get(String path) throws Exception {
    HttpResponse<String> r =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  @Test
  void overview_reportsStatusHealthResourcesSessionsRequestsAndServices() throws Exception {
    JsonNode o = get("/api/metrics/dashboard?widget=overview");
    assertThat(o.get("status").asText()).isEqualTo("healthy");
    assertThat(o.get("health_score").asDouble()).isEqualTo(90);
    assertThat(o.get("health_inputs").get(0).get("input").asText()).isEqualTo("cpu");
    assertThat(o.get("health_inputs").get(0).get("penalty").asDouble()).isEqualTo(10);
    assertThat(o.get("resources").get("cpu").asDouble()).isEqualTo(42);
    assertThat(o.get("resources").get("disk").asDouble()).isEqualTo(70);
    assertThat(o.get("active_sessions").asLong()).isEqualTo(2);
    assertThat(o.get("total_requests").asLong()).isEqualTo(80);
    // One error per 15 s: 4 per minute.
    assertThat(o.get("error_rate").asDouble()).isCloseTo(4, within(0.01));
    JsonNode comfy = o.get("services").get(0);
    assertThat(comfy.get("service").asText()).isEqualTo("comfyui");
    assertThat(comfy.get("status").asText()).isEqualTo("down"); // a third of requests fail
    assertThat(comfy.get("requests_per_second").asDouble()).isCloseTo(0.2, within(0.001));
    assertThat(o.get("services").get(1).get("status").asText()).isEqualTo("up");
  }

  @Test
  void resources_haveSeriesWithAverageAndPeak() throws Exception {
    JsonNode r = get("/api/metrics/dashboard?widget=resources&timeframe=0.1");
    assertThat(r.get("cpu").get("average").asDouble()).isEqualTo(42);
    assertThat(r.get("cpu").get("values").size()).isGreaterThan(10);
    assertThat(r.get("memory").get("peak").asDouble()).isCloseTo(60, within(0.01));
    assertThat(r.get("memory").get("average").asDouble()).isLessThan(60);
  }

  @Test
  void api_hasRatesAndLatencyPercentilesByService() throws Exception {
    JsonNode a = get("/api/metrics/dashboard?widget=api&timeframe=24");
    JsonNode comfy = a.get("services").get(0);
    assertThat(comfy.get("service").asText()).isEqualTo("comfyui");
    assertThat(comfy.get("errors_per_second").asDouble()).isCloseTo(1 / 15.0, within(0.001));
    // 60 recorded; increase() cannot see the first 3 (the counter appears at 3): about 57-60.
    assertThat(comfy.get("requests").asLong()).isBetween(55L, 62L);
    // 2 of 3 requests at 0.2-0.3 s, 1 at 2 s: p50 below 0.5 s, p99 above 1 s.
    assertThat(comfy.get("latency_seconds").get("p50").asDouble()).isLessThan(0.5);
    assertThat(comfy.get("latency_seconds").get("p99").asDouble()).isGreaterThan(1);
    assertThat(a.get("request_rate").size()).isGreaterThan(0);
  }

  @Test
  void models_haveGenerationsSuccessRateTimeTokensAndCost() throws Exception {
    JsonNode m = get("/api/metrics/dashboard?widget=models&timeframe=1").get("models").get(0);
    assertThat(m.get("model").asText()).isEqualTo("gpt-4o");
    assertThat(m.get("provider").asText()).isEqualTo("openai");
    assertThat(m.get("generations").asLong()).isBetween(17L, 21L);
    assertThat(m.get("success_rate").asDouble()).isCloseTo(0.75, within(0.06));
    assertThat(m.get("average_time_seconds").asDouble()).isCloseTo(2, within(0.001));
    // 100 prompt tokens at 0.01/1000 and 50 output at 0.02/1000 per generation: 0.002 each.
    assertThat(m.get("cost").asDouble()).isCloseTo(20 * 0.002, within(0.004));
    assertThat(m.get("prompt_tokens").asLong()).isBetween(1900L, 2100L);
  }

  @Test
  void errors_haveCountsByTypeServiceSeverityAndTheRecentLog() throws Exception {
    JsonNode e = get("/api/metrics/dashboard?widget=errors&timeframe=1");
    assertThat(e.get("by_type").get("connection_timeout").asLong()).isBetween(19L, 21L);
    assertThat(e.get("by_service").get("comfyui").asLong()).isBetween(19L, 21L);
    assertThat(e.get("by_severity").get("error").asLong()).isBetween(19L, 21L);
    assertThat(e.get("recent").size()).isEqualTo(20);
    assertThat(e.get("recent").get(0).get("message").asText())
        .isEqualTo("Failed to connect to ComfyUI");
    assertThat(e.get("error_rate_per_minute").size()).isGreaterThan(0);
  }

  @Test
  void usersAgentsAndFiles() throws Exception {
    JsonNode u = get("/api/metrics/dashboard?widget=users");
    assertThat(u.get("active_sessions").asLong()).isEqualTo(2);
    assertThat(u.get("timeline").size()).isGreaterThan(0);
    JsonNode agents = get("/api/metrics/dashboard?widget=agents").get("agents");
    assertThat(agents.get(0).get("agent").asText()).isEqualTo("planner");
    assertThat(agents.get(0).get("status").asText()).isEqualTo("running");
    assertThat(agents.get(0).get("queue_depth").asLong()).isEqualTo(STEPS - 1);
    assertThat(agents.get(0).get("seconds_since_heartbeat").asDouble()).isEqualTo(0);
    assertThat(agents.get(1).get("agent").asText()).isEqualTo("stalled");
    assertThat(agents.get(1).get("status").asText()).isEqualTo("error");
    // Recovery and per-agent resources (issue 21).
    assertThat(agents.get(0).get("cpu_percent").asDouble()).isCloseTo(15, within(0.01));
    assertThat(agents.get(0).get("allocated_bytes_per_second").asDouble())
        .isCloseTo(1e6, within(1.0));
    assertThat(agents.get(0).get("recoveries").asLong()).isZero();
    assertThat(agents.get(0).get("mttr_seconds").isNull()).isTrue();
    assertThat(agents.get(1).get("recoveries").asLong()).isEqualTo(1);
    assertThat(agents.get(1).get("mttr_seconds").asDouble()).isEqualTo(60);
    assertThat(agents.get(1).get("incident_open").asBoolean()).isTrue();
    assertThat(agents.get(1).get("cpu_percent").isNull()).isTrue();
    JsonNode upload = get("/api/metrics/dashboard?widget=files").get("operations").get(0);
    assertThat(upload.get("operation").asText()).isEqualTo("upload");
    assertThat(upload.get("success_rate").asDouble()).isCloseTo(0.8, within(0.06));
    assertThat(upload.get("average_size_bytes").asDouble()).isCloseTo(1000, within(0.5));
  }

  @Test
  void realtimeSummaryHistoryAndReport() throws Exception {
    JsonNode rt = get("/api/metrics/realtime").get("metrics");
    assertThat(rt.get("cpu_percent").asDouble()).isEqualTo(42);
    assertThat(rt.get("disk_percent").asDouble()).as("fullest disk, tmpfs left out").isEqualTo(70);
    assertThat(rt.get("active_sessions").asDouble()).isEqualTo(2);
    JsonNode mem = get("/api/metrics/summary?timeframe=0.1").get("metrics").get("memory_percent");
    assertThat(mem.get("peak").asDouble()).isCloseTo(60, within(0.6));
    assertThat(mem.get("average").asDouble()).isBetween(50.0, 60.0);
    assertThat(mem.get("p95").asDouble()).isBetween(mem.get("average").asDouble(), 60.0);
    JsonNode h =
        get(
            "/api/metrics/history?metric=vigil_cpu_usage_ratio&start="
                + (T0 / 1000)
                + "&end="
                + (T0 / 1000 + 300)
                + "&step=60");
    assertThat(h.get("series").get(0).get("values").size()).isEqualTo(6);
    assertThat(h.get("series").get(0).get("values").get(0).get(1).asDouble()).isEqualTo(0.42);
    JsonNode report = get("/api/metrics/report?type=weekly_summary");
    assertThat(report.get("totals").get("requests").asLong()).isBetween(74L, 82L);
    HttpResponse<String> md =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/metrics/report?type=cost"))
                .header("Accept", "text/markdown")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(md.body()).startsWith("# Model cost").contains("| gpt-4o |");
  }

  @Test
  void currentValues_inEveryFormat() throws Exception {
    Map<String, String> expect =
        Map.of(
            "prometheus", "vigil_cpu_usage_ratio 0.42 " + (T0 + (STEPS - 1) * 15_000L),
            "openmetrics", "# EOF",
            "influx", "vigil_cpu_usage_ratio value=0.42 ",
            "csv", "timestamp,name,labels,value");
    for (var e : expect.entrySet()) {
      String body =
          CLIENT
              .send(
                  HttpRequest.newBuilder(
                          URI.create(server.baseUrl() + "/api/metrics?format=" + e.getKey()))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(body).as(e.getKey()).contains(e.getValue());
    }
    JsonNode j = get("/api/metrics?format=json");
    assertThat(j.get("metrics").size()).isGreaterThan(20);
  }

  @Test
  void badParameters_are400NamingTheProblem() throws Exception {
    for (String[] c :
        new String[][] {
          {"/api/metrics/dashboard?widget=nope", "unknown widget"},
          {"/api/metrics/dashboard?widget=api&timeframe=abc", "invalid timeframe"},
          {"/api/metrics/history?metric=bad-name", "invalid metric name"},
          {"/api/metrics/history?query=sum(", "1:5: parse error"},
          {"/api/metrics/report?type=monthly", "unknown report type"},
          {"/api/metrics?format=xml", "unknown format"}
        }) {
      HttpResponse<String> r =
          CLIENT.send(
              HttpRequest.newBuilder(URI.create(server.baseUrl() + c[0])).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
      assertThat(r.body()).as(c[0]).containsIgnoringCase(c[1]);
    }
  }
}
