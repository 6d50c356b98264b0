package dev.vigil.server.seeds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/metrics/dashboard?widget=quality} over 20 scrapes, 15 s apart, of quality recorded
 * through the recorders: per-agent figures, totals, and the recent events the sampler kept.
 */
class QualityWidgetTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final AtomicLong NOW = new AtomicLong(T0);
  private static final TestStorage STORE = new TestStorage();
  private static final MetricRegistry REGISTRY = new MetricRegistry();
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static Recorders rec;
  private static VigilHttpServer server;

  @BeforeAll
  static void record() throws Exception {
    int[] draws = {0};
    rec =
        Recorders.builder()
            .clock(NOW::get)
            // Half of the quality events kept: 0.25 (kept), 0.75 (dropped), ...
            .sampling("quality", 0.5)
            .samplingRandom(() -> draws[0]++ % 2 == 0 ? 0.25 : 0.75)
            .build();
    REGISTRY.register(rec);
    for (int i = 0; i <= 20; i++) {
      long t = T0 + i * 15_000L;
      NOW.set(t);
      if (i > 0) {
        // Per step: the planner thinks 4 steps at 0.8; the linter finds one high issue, fixes
        // it; every other step the coder violates the spec and a push fails.
        rec.recordThinking("planner", 4, 0.8);
        rec.recordFinding("linter", "high", "issue " + i);
        rec.recordFindingAutofixed("linter");
        rec.recordTimeSaved("linter", "developer", 30);
        if (i % 2 == 0) {
          rec.recordViolation("coder", "missing_test", "no test " + i);
        }
        rec.recordPush(i % 2 != 0);
      }
      Appender app = STORE.appender();
      ScrapeParser.parse(
          MetricsRoutes.text(REGISTRY),
          ScrapeFormat.PROMETHEUS_TEXT,
          (key, name, labels, value, ts) -> {
            Labels.Builder b = Labels.builder().set("__name__", name).set("job", "app");
            for (int j = 0; j < labels.size(); j += 2) {
              b.set(labels.get(j), labels.get(j + 1));
            }
            app.append(0, b.build(), t, value);
          });
      app.commit();
    }
    DashboardData d =
        new DashboardData(Engine.builder(STORE).build(), rec.namespace(), List::of, NOW::get)
            .withQualityEvents(rec::recentQualityEvents);
    server =
        VigilHttpServer.start(
            ServerConfig.defaults().withListen("127.0.0.1", 0), List.of(new SeedApiRoutes(d)));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static JsonNode get(String path) throws Exception {
    HttpResponse<String> r =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return new ObjectMapper().readTree(r.body());
  }

  @Test
  void qualityWidget_perAgentFiguresTotalsAndSampledRecentEvents() throws Exception {
    JsonNode q = get("/api/metrics/dashboard?widget=quality&timeframe=1");
    assertThat(q.get("widget").asText()).isEqualTo("quality");
    JsonNode agents = q.get("agents");
    assertThat(agents)
        .extracting(a -> a.get("agent").asText())
        .containsExactly("coder", "linter", "planner");
    JsonNode planner = agents.get(2);
    // 20 recorded; increase() cannot see the first (the series appears with it): 19-20.
    assertThat(planner.get("solutions").asLong()).isBetween(19L, 20L);
    assertThat(planner.get("average_steps").asDouble()).isCloseTo(4, within(0.001));
    assertThat(planner.get("average_confidence").asDouble()).isCloseTo(0.8, within(0.001));
    JsonNode linter = agents.get(1);
    assertThat(linter.get("findings").asLong()).isBetween(19L, 20L);
    assertThat(linter.get("autofixed").asLong()).isBetween(19L, 20L);
    assertThat(agents.get(0).get("violations").asLong()).isBetween(9L, 10L);
    assertThat(q.get("findings_by_severity").get("high").asLong()).isBetween(19L, 20L);
    assertThat(q.get("violations_by_kind").get("missing_test").asLong()).isBetween(9L, 10L);
    assertThat(q.get("developer_time_saved_seconds").asLong()).isBetween(570L, 600L);
    // Two series (success, failure), each losing its first push to increase(): 18-20.
    assertThat(q.get("pushes").asLong()).isBetween(18L, 20L);
    assertThat(q.get("push_success_ratio").asDouble()).isCloseTo(0.5, within(0.03));
    // 20 findings and 10 violations recorded; the sampler kept every other one.
    JsonNode recent = q.get("recent");
    assertThat(recent).hasSize(15);
    assertThat(recent.get(0).get("type").asText()).isEqualTo("finding");
    assertThat(recent.get(0).get("detail").asText()).isEqualTo("issue 1");
    assertThat(recent.get(0).get("timestamp").asText()).isEqualTo("2023-11-14T22:13:35Z");
  }

  @Test
  void unknownWidget_listsQuality() throws Exception {
    HttpResponse<String> r =
        CLIENT.send(
            HttpRequest.newBuilder(
                    URI.create(server.baseUrl() + "/api/metrics/dashboard?widget=qualityx"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("files, quality").doesNotContain("at dev.vigil");
  }
}
