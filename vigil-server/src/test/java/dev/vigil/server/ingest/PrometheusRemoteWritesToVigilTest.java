package dev.vigil.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.ingest.IngestLimits;
import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Querier;
import dev.vigil.model.SelectHints;
import dev.vigil.model.SeriesSet;
import dev.vigil.promql.Engine;
import dev.vigil.promql.Sample;
import dev.vigil.server.config.ServerConfig;
import dev.vigil.server.http.VigilHttpServer;
import dev.vigil.server.testing.ExternalProcess;
import dev.vigil.tsdb.Tsdb;
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
 * A real Prometheus (Debian's package) scrapes itself and remote-writes to Vigil (the real Tsdb
 * behind the server's /api/v1/write); the same PromQL queries, at a time off the scrape grid, give
 * the same answers on both.
 */
class PrometheusRemoteWritesToVigilTest {
  @TempDir Path dir;

  private static final List<String> QUERIES =
      List.of(
          "up",
          "scrape_samples_scraped",
          "prometheus_tsdb_head_series",
          "rate(prometheus_http_requests_total[5s])",
          "irate(prometheus_http_requests_total[5s])",
          "max_over_time(scrape_duration_seconds[10s])",
          "sum by (job) (scrape_series_added)",
          "count(count by (__name__) ({job=\"prom\"}))");

  @Test
  void sameQueriesAgreeOnPrometheusAndVigil() throws Exception {
    ExternalProcess.require("prometheus");
    try (Tsdb db = Tsdb.builder(dir.resolve("vigil")).open();
        VigilHttpServer vigil =
            VigilHttpServer.start(
                ServerConfig.defaults().withListen("127.0.0.1", 0),
                List.of(
                    new IngestRoutes(
                        db, IngestLimits.DEFAULTS, null, System::currentTimeMillis)))) {
      int promPort = ExternalProcess.freePort();
      Path cfg = dir.resolve("prometheus.yml");
      Files.writeString(
          cfg,
          """
          global:
            scrape_interval: 1s
          scrape_configs:
            - job_name: prom
              static_configs:
                - targets: ['127.0.0.1:%d']
          remote_write:
            - url: %s/api/v1/write
              queue_config:
                batch_send_deadline: 500ms
          """
              .formatted(promPort, vigil.baseUrl()));
      Process prom =
          new ProcessBuilder(
                  "prometheus",
                  "--config.file=" + cfg,
                  "--storage.tsdb.path=" + dir.resolve("prom"),
                  "--web.listen-address=127.0.0.1:" + promPort)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("prometheus.log").toFile())
              .start();
      try {
        // Long enough that no counter starts inside a 5 s window: Prometheus 2.42 extrapolates a
        // counter's start towards zero before capping at half an interval, newer versions (and
        // Vigil) after, so windows holding a counter's first samples differ by design.
        long lastUp = waitForSamples(db, 12);
        // Off the scrape grid, and behind what remote write has certainly delivered.
        long t = lastUp - 3_317;
        Engine engine = Engine.builder(db).build();
        HttpClient http = HttpClient.newHttpClient();
        for (String q : QUERIES) {
          Map<String, Double> expected = prometheus(http, promPort, q, t);
          Map<String, Double> actual = new HashMap<>();
          for (Sample s : engine.instantQuery(q, t).vector()) {
            actual.put(s.labels().withoutMetricName().toString(), s.value());
          }
          assertThat(expected).as(q + " on Prometheus").isNotEmpty();
          assertThat(actual.keySet()).as(q + " series").isEqualTo(expected.keySet());
          for (var e : expected.entrySet()) {
            double a = actual.get(e.getKey());
            if (Double.isNaN(e.getValue())) {
              assertThat(a).as(q + " " + e.getKey()).isNaN();
            } else {
              assertThat(a)
                  .as(q + " " + e.getKey())
                  .isCloseTo(
                      e.getValue(),
                      org.assertj.core.data.Offset.offset(Math.abs(e.getValue()) * 1e-9 + 1e-12));
            }
          }
        }
      } finally {
        prom.destroy();
        prom.waitFor();
      }
    }
  }

  /** Waits until Vigil holds {@code n} samples of up{job="prom"}; returns the newest's time. */
  private static long waitForSamples(Tsdb db, int n) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      long newest = Long.MIN_VALUE;
      int count = 0;
      try (Querier q = db.querier(0, Long.MAX_VALUE)) {
        SeriesSet set =
            q.select(
                SelectHints.range(0, Long.MAX_VALUE),
                LabelMatcher.equal("__name__", "up"),
                LabelMatcher.equal("job", "prom"));
        while (set.next()) {
          var it = set.at().iterator();
          while (it.next()) {
            count++;
            newest = it.timestamp();
          }
        }
      }
      if (count >= n) {
        return newest;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("only " + count + " up samples reached Vigil in 60 s");
      }
      Thread.sleep(200);
    }
  }

  private static Map<String, Double> prometheus(HttpClient http, int port, String q, long t)
      throws Exception {
    URI uri =
        URI.create(
            "http://127.0.0.1:"
                + port
                + "/api/v1/query?query="
                + URLEncoder.encode(q, StandardCharsets.UTF_8)
                + "&time="
                + (t / 1000.0));
    JsonNode body =
        new ObjectMapper()
            .readTree(
                http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                    .body());
    Map<String, Double> out = new HashMap<>();
    for (JsonNode r : body.get("data").get("result")) {
      dev.vigil.model.Labels.Builder b = dev.vigil.model.Labels.builder();
      r.get("metric").fields().forEachRemaining(e -> b.set(e.getKey(), e.getValue().asText()));
      String v = r.get("value").get(1).asText();
      out.put(b.build().withoutMetricName().toString(), Double.parseDouble(v));
    }
    return out;
  }
}
