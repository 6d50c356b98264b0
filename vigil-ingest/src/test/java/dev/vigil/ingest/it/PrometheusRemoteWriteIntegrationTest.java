package dev.vigil.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.ingest.IngestLimits;
import dev.vigil.ingest.IngestStats;
import dev.vigil.ingest.Ingester;
import dev.vigil.ingest.TestHttpServer;
import dev.vigil.ingest.TestStorage;
import dev.vigil.ingest.remote.RemoteWriteHandler;
import dev.vigil.model.Labels;
import java.io.File;
import java.io.IOException;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian's package) scrapes itself and remote-writes to Vigil's receiver; every
 * sample Vigil stored must be in Prometheus' own TSDB with the same timestamp and value.
 */
class PrometheusRemoteWriteIntegrationTest {
  @TempDir Path dir;

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static boolean onPath(String exe) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (new File(d, exe).canExecute()) {
        return true;
      }
    }
    return false;
  }

  @Test
  void realPrometheusRemoteWrite_storesExactlyWhatPrometheusHolds() throws Exception {
    assumeTrue(onPath("prometheus"), "Debian's prometheus is not installed");
    TestStorage store = new TestStorage();
    IngestStats stats = new IngestStats();
    Ingester ingester =
        new Ingester(store.appendable(), IngestLimits.DEFAULTS, stats, System::nanoTime);
    RemoteWriteHandler handler = new RemoteWriteHandler(ingester);
    int promPort = freePort();
    try (TestHttpServer http = new TestHttpServer().mount("/api/v1/write", handler::handle)) {
      Files.writeString(
          dir.resolve("prometheus.yml"),
          """
          global:
            scrape_interval: 1s
          scrape_configs:
            - job_name: prom
              static_configs:
                - targets: ['127.0.0.1:%d']
          remote_write:
            - url: %s
              metadata_config:
                send_interval: 1s
              queue_config:
                batch_send_deadline: 500ms
          """
              .formatted(promPort, http.url("/api/v1/write")));
      Process prom =
          new ProcessBuilder(
                  "prometheus",
                  "--config.file=" + dir.resolve("prometheus.yml"),
                  "--storage.tsdb.path=" + dir.resolve("data"),
                  "--web.listen-address=127.0.0.1:" + promPort)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("prometheus.log").toFile())
              .start();
      try {
        Labels up = Labels.of("__name__", "up", "job", "prom", "instance", "127.0.0.1:" + promPort);
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (store.samples(up).size() < 4 && System.nanoTime() < deadline) {
          Thread.sleep(200);
        }
        assertThat(store.samples(up)).as("up samples received").hasSizeGreaterThanOrEqualTo(4);
        assertThat(store.samples(up)).allSatisfy(s -> assertThat(s.v()).isEqualTo(1));

        // Compare a few series sample by sample with Prometheus' own storage.
        HttpClient client = HttpClient.newHttpClient();
        long evalAt = store.samples(up).getLast().t();
        for (String metric :
            List.of("up", "scrape_samples_scraped", "prometheus_tsdb_head_series")) {
          String q = metric + "{job=\"prom\"}[10m]";
          URI uri =
              URI.create(
                  "http://127.0.0.1:"
                      + promPort
                      + "/api/v1/query?query="
                      + URLEncoder.encode(q, StandardCharsets.UTF_8)
                      + "&time="
                      + (evalAt / 1000.0));
          JsonNode result =
              new ObjectMapper()
                  .readTree(
                      client
                          .send(
                              HttpRequest.newBuilder(uri).build(),
                              HttpResponse.BodyHandlers.ofString())
                          .body())
                  .get("data")
                  .get("result");
          assertThat(result).as(metric + " in Prometheus").isNotEmpty();
          for (JsonNode series : result) {
            Map<String, String> m = new HashMap<>();
            series
                .get("metric")
                .fields()
                .forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
            m.put("__name__", metric);
            Map<Long, Double> inProm = new HashMap<>();
            for (JsonNode v : series.get("values")) {
              inProm.put(
                  Math.round(v.get(0).asDouble() * 1000), Double.parseDouble(v.get(1).asText()));
            }
            List<TestStorage.Sample> got = store.samples(Labels.of(m));
            assertThat(got).as(metric + " received").isNotEmpty();
            for (TestStorage.Sample s : got) {
              if (s.t() <= evalAt) {
                assertThat(inProm).as(metric + " at " + s.t()).containsEntry(s.t(), s.v());
              }
            }
          }
        }
        assertThat(ingester.metadata().get("prometheus_tsdb_head_series")).isNotNull();
        assertThat(stats.rejected()).isEmpty();
      } finally {
        prom.destroy();
        prom.waitFor();
      }
    }
  }
}
