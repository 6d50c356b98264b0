package dev.vigil.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.metrics.Counter;
import dev.vigil.metrics.MetricRegistry;
import dev.vigil.server.config.ServerConfig;
import dev.vigil.server.http.Json;
import dev.vigil.server.http.VigilHttpServer;
import dev.vigil.server.testing.ExternalProcess;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real Prometheus (Debian's package) scrapes Vigil's /metrics. */
class PrometheusScrapesVigilTest {
  @Test
  void prometheus_scrapesVigilMetrics(@TempDir Path dir) throws Exception {
    Path bin = ExternalProcess.require("prometheus");
    MetricRegistry registry = new MetricRegistry();
    Counter c = Counter.builder().name("demo_events_total").help("Demo.").register(registry);
    c.inc();
    ServerConfig sc = ServerConfig.defaults().withListen("127.0.0.1", 0);
    try (VigilHttpServer vigil =
        VigilHttpServer.start(
            sc, List.of(new MetricsRoutes(registry)), new SelfMetrics(registry))) {
      String target = "127.0.0.1:" + vigil.port();
      Files.writeString(
          dir.resolve("prometheus.yml"),
          "scrape_configs:\n  - job_name: vigil\n    scrape_interval: 1s\n    static_configs:\n      - targets: ['"
              + target
              + "']\n");
      try (ExternalProcess prom =
          ExternalProcess.start(
              List.of(
                  bin.toString(),
                  "--config.file=prometheus.yml",
                  "--storage.tsdb.path=data",
                  "--web.listen-address=127.0.0.1:{port}"),
              "/-/ready",
              dir)) {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode result = null;
        while (System.nanoTime() < deadline) {
          String q = URLEncoder.encode("demo_events_total{job=\"vigil\"}", StandardCharsets.UTF_8);
          HttpResponse<String> r =
              http.send(
                  HttpRequest.newBuilder(
                          URI.create("http://" + prom.address() + "/api/v1/query?query=" + q))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          result = Json.MAPPER.readTree(r.body()).path("data").path("result");
          if (result.size() > 0) {
            break;
          }
          Thread.sleep(200);
        }
        assertThat(result).as("Prometheus has Vigil's demo counter").isNotNull();
        assertThat(result.size()).isEqualTo(1);
        assertThat(result.get(0).path("value").get(1).asText()).isEqualTo("1");
        HttpResponse<String> targets =
            http.send(
                HttpRequest.newBuilder(URI.create("http://" + prom.address() + "/api/v1/targets"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode t = Json.MAPPER.readTree(targets.body()).path("data").path("activeTargets").get(0);
        assertThat(t.path("health").asText()).isEqualTo("up");
        assertThat(t.path("lastError").asText()).isEmpty();
      }
    }
  }
}
