package dev.vigil.server.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.ConfigLoader;
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
import java.util.Map;
import java.util.TreeMap;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code query.remote} against a real Prometheus 2.42 (Debian's {@code prometheus}, with its
 * remote-write receiver): Vigil remote-writes its samples there and, in replace mode, reads them
 * back; its answers to dashboard queries equal Prometheus' own. Skipped when the binary is missing
 * ({@code scripts/install-test-deps}).
 */
class RemoteQueryPrometheusTest {
  private static final long STEP = 15_000;
  private static final long T_END = System.currentTimeMillis() / 60_000 * 60_000;

  @TempDir Path dir;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static long t(int j) {
    // The last 30 minutes, 7 s off the query's steps: Prometheus 2.42 closes a range on the left
    // and Vigil (as Prometheus 3) opens it, which differs only for a sample on the boundary.
    return T_END - (119 - j) * STEP - 7_000;
  }

  @Test
  void replaceMode_overPrometheus_answersAsPrometheusDoes() throws Exception {
    Path prom = ExternalProcess.require("prometheus");
    Files.writeString(dir.resolve("prometheus.yml"), "global: {}\n");
    try (ExternalProcess p =
        ExternalProcess.start(
            List.of(
                prom.toString(),
                "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("prom-data"),
                "--web.listen-address=127.0.0.1:{port}",
                "--web.enable-remote-write-receiver"),
            "/-/ready",
            dir)) {
      String promUrl = "http://" + p.address();
      Path file = dir.resolve("vigil.yml");
      Files.writeString(
          file,
          "server:\n  listen: 127.0.0.1:0\nstorage:\n  path: \""
              + dir.resolve("data").toString().replace("\\", "/")
              + "\"\ncollect:\n  self: false\n  system: false\n  jvm: false\n  gpu: false\n"
              + "remote_write:\n  - url: "
              + promUrl
              + "/api/v1/write\n    queue_config: {batch_send_deadline: 50ms}\n"
              + "query:\n  remote:\n    url: "
              + promUrl
              + "\n");
      try (Vigil v = Vigil.builder(ConfigLoader.load(file, Map.of())).start()) {
        Appender a = v.storage().appender();
        String[] les = {"0.1", "0.5", "1", "+Inf"};
        for (int j = 0; j < 120; j++) {
          for (String code : List.of("200", "500")) {
            // Irregular growth: rate() extrapolates, so this checks the samples, not a slope.
            double val = (code.equals("200") ? 3 : 1) * (j + (j % 7) * 0.3);
            a.append(0, Labels.of("__name__", "rqp_requests_total", "code", code), t(j), val);
          }
          for (int b = 0; b < les.length; b++) {
            a.append(
                0,
                Labels.of("__name__", "rqp_latency_seconds_bucket", "le", les[b]),
                t(j),
                (b + 1) * j + (j % 5));
          }
        }
        a.commit();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (count(promUrl) < 6 * 120) {
          assertThat(System.nanoTime()).as("Prometheus has every sample").isLessThan(deadline);
          Thread.sleep(50); // polling another process
        }
        long start = T_END - 20 * 60_000;
        for (String q :
            List.of(
                "rate(rqp_requests_total[5m])",
                "sum by (code) (increase(rqp_requests_total[5m]))",
                "histogram_quantile(0.9, sum by (le) (rate(rqp_latency_seconds_bucket[5m])))")) {
          Map<String, Map<Long, Double>> mine = range(v.url(), q, start, T_END);
          Map<String, Map<Long, Double>> theirs = range(promUrl, q, start, T_END);
          // And as Vigil answers over the same samples in its own store.
          dev.vigil.promql.QueryResult local =
              dev.vigil.promql.Engine.builder(v.storage())
                  .build()
                  .rangeQuery(q, start, T_END, 60_000);
          Map<String, Map<Long, Double>> own = new TreeMap<>();
          for (dev.vigil.promql.QueryResult.Series s : local.matrix()) {
            Map<Long, Double> m = new TreeMap<>();
            for (int i = 0; i < s.timestamps().length; i++) {
              m.put(s.timestamps()[i], s.values()[i]);
            }
            own.put(Json.MAPPER.valueToTree(s.labels().toMap()).toString(), m);
          }
          assertThat(mine).as(q + ": over Prometheus as over the local store").isEqualTo(own);
          assertThat(mine).as(q).isNotEmpty();
          assertThat(mine.keySet()).as(q).isEqualTo(theirs.keySet());
          mine.forEach(
              (series, points) -> {
                assertThat(points.keySet()).as(q).isEqualTo(theirs.get(series).keySet());
                points.forEach(
                    (ts, val) ->
                        assertThat(val)
                            .as(q + " " + series + " at " + ts)
                            .isCloseTo(theirs.get(series).get(ts), Offset.offset(1e-9)));
              });
        }
        assertThat(v.remoteQueryStatus().requests()).containsKey("200");
      }
    }
  }

  private long count(String base) {
    try {
      JsonNode r =
          get(
              base
                  + "/api/v1/query?query="
                  + URLEncoder.encode(
                      "sum(count_over_time({__name__=~\"rqp_.*\"}[1h]))", StandardCharsets.UTF_8)
                  + "&time="
                  + T_END / 1000);
      JsonNode res = r.path("data").path("result");
      return res.isEmpty() ? 0 : Long.parseLong(res.get(0).path("value").get(1).asText());
    } catch (Exception e) {
      return 0;
    }
  }

  private JsonNode get(String url) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
    return Json.MAPPER.readTree(r.body());
  }

  private Map<String, Map<Long, Double>> range(String base, String q, long start, long end)
      throws Exception {
    JsonNode result =
        get(base
                + "/api/v1/query_range?query="
                + URLEncoder.encode(q, StandardCharsets.UTF_8)
                + "&start="
                + start / 1000
                + "&end="
                + end / 1000
                + "&step=60")
            .path("data")
            .path("result");
    Map<String, Map<Long, Double>> out = new TreeMap<>();
    for (JsonNode s : result) {
      Map<Long, Double> m = out.computeIfAbsent(s.path("metric").toString(), k -> new TreeMap<>());
      for (JsonNode pt : s.path("values")) {
        m.put(Math.round(pt.get(0).asDouble() * 1000), Double.parseDouble(pt.get(1).asText()));
      }
    }
    return out;
  }
}
