package dev.vigil.metrics.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus server (Debian's package, on 127.0.0.1 and a free port) scrapes an endpoint
 * serving Vigil's registry; it negotiates OpenMetrics, stores the exemplars, and its HTTP API
 * returns the values we wrote.
 */
class PrometheusScrapeTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void prometheusScrapesOpenMetricsWithExemplarsAndQueriesTheValues(@TempDir Path dir)
      throws Exception {
    List<String> served = new CopyOnWriteArrayList<>();
    MetricsHttpHandler handler = new MetricsHttpHandler(FullRegistry.create());
    HttpServer target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    target.createContext(
        "/metrics",
        exchange -> {
          served.add(
              ExpositionFormat.negotiate(exchange.getRequestHeaders().getFirst("Accept")).name());
          handler.handle(exchange);
        });
    target.start();
    int promPort;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      promPort = s.getLocalPort();
    }
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(
        config,
        """
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        scrape_configs:
          - job_name: vigil
            scrape_interval: 1s
            static_configs:
              - targets: ['127.0.0.1:%d']
        """
            .formatted(target.getAddress().getPort()));
    Process prometheus =
        new ProcessBuilder(
                ExternalTools.find("prometheus").toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + promPort,
                "--enable-feature=exemplar-storage")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    try {
      String api = "http://127.0.0.1:" + promPort;
      JsonNode result = awaitResult(api, "test_http_requests_total{method=\"GET\"}");
      assertThat(result.get(0).get("value").get(1).asText()).isEqualTo("42");
      assertThat(result.get(0).get("metric").get("status").asText()).isEqualTo("200");
      assertThat(served).contains("OPENMETRICS");

      assertThat(value(awaitResult(api, "test_queue_length{queue=\"low\"}"))).isEqualTo("-2.5");
      assertThat(value(awaitResult(api, "test_request_duration_seconds_count{route=\"/api\"}")))
          .isEqualTo("3");
      assertThat(value(awaitResult(api, "test_build_info"))).isEqualTo("1");
      assertThat(value(awaitResult(api, "test_agent_phase{test_agent_phase=\"act\"}")))
          .isEqualTo("1");
      assertThat(value(awaitResult(api, "test_tokens_count"))).isEqualTo("100");

      long now = System.currentTimeMillis() / 1000;
      JsonNode ex =
          get(
              api
                  + "/api/v1/query_exemplars?query="
                  + URLEncoder.encode(
                      "test_request_duration_seconds_bucket", StandardCharsets.UTF_8)
                  + "&start="
                  + (now - 600)
                  + "&end="
                  + (now + 600));
      assertThat(ex.toString()).contains("0af7651916cd43dd8448eb211c80319c");
    } finally {
      prometheus.destroy();
      if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly();
      }
      target.stop(0);
    }
  }

  private static String value(JsonNode result) {
    return result.get(0).get("value").get(1).asText();
  }

  private JsonNode awaitResult(String api, String query) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String url = api + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8);
    while (true) {
      try {
        JsonNode r = get(url).path("data").path("result");
        if (r.isArray() && !r.isEmpty()) {
          return r;
        }
      } catch (java.io.IOException notUpYet) {
        // Prometheus is still starting.
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Prometheus returned nothing for " + query + " within 60 s");
      }
      Thread.sleep(200);
    }
  }

  private JsonNode get(String url) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
    return json.readTree(r.body());
  }
}
