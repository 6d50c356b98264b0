package dev.vigil.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.CollectConfig;
import dev.vigil.server.config.VigilConfig;
import dev.vigil.server.http.Json;
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

/** A real Prometheus federates from a running Vigil: /federate with match[] and honor_labels. */
class PrometheusFederatesVigilTest {
  @Test
  void prometheus_federatesVigilSeries(@TempDir Path dir) throws Exception {
    Path bin = ExternalProcess.require("prometheus");
    VigilConfig c =
        VigilConfig.defaults()
            .withListen("127.0.0.1", 0)
            .withStoragePath(dir.resolve("vigil"))
            .withCollect(
                new CollectConfig(Duration.ofSeconds(1), false, false, false, false, "app_"));
    try (Vigil vigil = Vigil.start(c)) {
      String target = vigil.url().substring("http://".length());
      Files.writeString(
          dir.resolve("prometheus.yml"),
          """
          scrape_configs:
            - job_name: federate
              scrape_interval: 1s
              honor_labels: true
              metrics_path: /federate
              params:
                'match[]': ['{job="shop"}']
              static_configs:
                - targets: ['%s']
          """
              .formatted(target));
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
          Appender app = vigil.storage().appender();
          app.append(
              0,
              Labels.of("__name__", "orders_total", "job", "shop", "instance", "web-1"),
              System.currentTimeMillis(),
              42);
          app.commit();
          String q = URLEncoder.encode("orders_total", StandardCharsets.UTF_8);
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
        assertThat(result.size()).as("Prometheus federated orders_total").isEqualTo(1);
        JsonNode m = result.get(0).path("metric");
        assertThat(m.path("job").asText()).isEqualTo("shop");
        assertThat(m.path("instance").asText()).isEqualTo("web-1");
        assertThat(result.get(0).path("value").get(1).asText()).isEqualTo("42");
      }
    }
  }
}
