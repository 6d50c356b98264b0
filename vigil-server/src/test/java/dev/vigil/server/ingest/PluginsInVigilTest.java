package dev.vigil.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.CollectConfig;
import dev.vigil.server.config.ServerConfig;
import dev.vigil.server.config.VigilConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole Vigil picks up push ingest and the seeds' API as plugins; pushed data is queryable. */
class PluginsInVigilTest {
  @Test
  void pushedLineIsServedByTheSeedsApiAndPromql(@TempDir Path dir) throws Exception {
    VigilConfig c =
        VigilConfig.defaults()
            .withServer(ServerConfig.defaults().withListen("127.0.0.1", 0))
            .withStoragePath(dir.resolve("data"))
            .withCollect(
                new CollectConfig(Duration.ofSeconds(1), false, false, false, false, "app_"));
    HttpClient http = HttpClient.newHttpClient();
    try (Vigil vigil = Vigil.start(c)) {
      long nowNs = System.currentTimeMillis() * 1_000_000L;
      HttpResponse<String> w =
          http.send(
              HttpRequest.newBuilder(URI.create(vigil.url() + "/api/v2/write"))
                  .POST(HttpRequest.BodyPublishers.ofString("app_active_sessions value=7 " + nowNs))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(w.statusCode()).as(w.body()).isEqualTo(204);
      String realtime =
          http.send(
                  HttpRequest.newBuilder(
                          URI.create(vigil.url() + "/api/metrics/dashboard?widget=users"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      // The line's measurement_field name is app_active_sessions_value: not the recorders' metric.
      assertThat(new ObjectMapper().readTree(realtime).get("active_sessions").asLong()).isZero();
      String q =
          http.send(
                  HttpRequest.newBuilder(
                          URI.create(vigil.url() + "/api/v1/query?query=app_active_sessions_value"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(q).contains("\"7\"");
      long nowNanos = System.currentTimeMillis() * 1_000_000L;
      String otlp =
          """
          {"resourceMetrics": [{"resource": {"attributes": [
            {"key": "service.name", "value": {"stringValue": "checkout"}},
            {"key": "service.instance.id", "value": {"stringValue": "i-1"}}]},
            "scopeMetrics": [{"metrics": [{"name": "http.server.requests", "unit": "{request}",
              "sum": {"aggregationTemporality": 2, "isMonotonic": true,
                "dataPoints": [{"asInt": "42", "timeUnixNano": "%d"}]}}]}]}]}
          """
              .formatted(nowNanos);
      HttpResponse<String> o =
          http.send(
              HttpRequest.newBuilder(URI.create(vigil.url() + "/v1/metrics"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(otlp))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(o.statusCode()).as(o.body()).isEqualTo(200);
      String served =
          http.send(
                  HttpRequest.newBuilder(
                          URI.create(
                              vigil.url()
                                  + "/api/v1/query?query=http_server_requests_total%7Bjob%3D%22checkout%22%2Cinstance%3D%22i-1%22%7D"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(served).contains("\"42\"");
      // The embedding API: DinoAir's get_dashboard_data("overview").
      vigil.recorders().recordApiRequest("comfyui", "/generate", "POST", 200, 0.5);
      assertThat(vigil.dashboardData("overview", 1))
          .containsKeys("status", "resources", "error_rate");
      String metrics =
          http.send(
                  HttpRequest.newBuilder(URI.create(vigil.url() + "/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(metrics).contains("vigil_ingest_samples_total{protocol=\"influx_line\"} 1");
    }
  }
}
