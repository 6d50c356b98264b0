package dev.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.cli.DashboardQueries;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.CollectConfig;
import dev.vigil.server.config.VigilConfig;
import dev.vigil.server.http.Json;
import dev.vigil.server.importer.OpenMetricsImport;
import dev.vigil.server.testing.ExternalProcess;
import dev.vigil.tsdb.Tsdb;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Same data, same answers: host-1s-a.om.gz imported into Vigil (OpenMetricsImport) and into
 * Prometheus 2.42 (promtool tsdb create-blocks-from openmetrics); the dashboard queries over
 * /api/v1/query_range agree within 1e-6 relative. Query times are off the sample and step grid
 * (start at .5 s) because Prometheus 2.42 closes range windows on the left and Prometheus 3 (and
 * Vigil) open them; and 5 minutes after the data starts, because at a counter's first samples
 * Prometheus 2.42 applies rate()'s zero-point clamp after the extrapolation threshold where
 * Prometheus 3 applies it before.
 */
class SameAnswersTest {
  static Path dataset() {
    Path p =
        Path.of(System.getProperty("vigil.root", ".."))
            .resolve("../shared/datasets/host-1s-a.om.gz")
            .normalize();
    assumeTrue(Files.exists(p), "dataset missing: " + p);
    return p;
  }

  @Test
  void dashboardQueries_agreeWithPrometheus(@TempDir Path dir) throws Exception {
    Path promtool = ExternalProcess.require("promtool");
    Path prometheus = ExternalProcess.require("prometheus");
    Path data = dataset();
    Path plain = dir.resolve("host.om");
    try (InputStream in = new GZIPInputStream(Files.newInputStream(data))) {
      Files.copy(in, plain);
    }
    Process p =
        new ProcessBuilder(
                promtool.toString(),
                "tsdb",
                "create-blocks-from",
                "openmetrics",
                plain.toString(),
                dir.resolve("prom").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("promtool.log").toFile())
            .start();
    assertThat(p.waitFor()).as(Files.readString(dir.resolve("promtool.log"))).isZero();
    Files.writeString(dir.resolve("prometheus.yml"), "scrape_configs: []\n");

    OpenMetricsImport.Result imported;
    try (Tsdb db = Tsdb.builder(dir.resolve("vigil")).open()) {
      imported = OpenMetricsImport.importFile(data, db);
    }
    assertThat(imported.series()).isEqualTo(858);
    assertThat(imported.samples()).isEqualTo(768_265);

    VigilConfig c =
        VigilConfig.defaults()
            .withListen("127.0.0.1", 0)
            .withStoragePath(dir.resolve("vigil"))
            .withCollect(
                new CollectConfig(Duration.ofSeconds(5), false, false, false, false, "app_"));
    // The store's clock stands just after the recorded data, so its retention (15 d) never
    // deletes it, however long after the recording the test runs.
    long dataEnd = imported.maxTime();
    try (Vigil vigil = Vigil.builder(c).clock(() -> dataEnd + 60_000).start();
        ExternalProcess prom =
            ExternalProcess.start(
                List.of(
                    prometheus.toString(),
                    "--config.file=prometheus.yml",
                    "--storage.tsdb.path=prom",
                    "--storage.tsdb.retention.time=100y",
                    "--enable-feature=promql-negative-offset",
                    "--web.listen-address=127.0.0.1:{port}"),
                "/-/ready",
                dir)) {
      HttpClient http = HttpClient.newHttpClient();
      // Windows start after the data does: at the first samples of a counter, Prometheus 2.42
      // and 3 order the zero-point and extrapolation-threshold rules of rate() differently.
      double start = imported.minTime() / 1000 + 330.5;
      double end = imported.maxTime() / 1000.0;
      int compared = 0;
      for (String q : DashboardQueries.ALL) {
        for (int step : new int[] {5, 30}) {
          String qs = ServerBench.form(q, start, end, step);
          JsonNode v = query(http, vigil.url(), qs);
          JsonNode pr = query(http, "http://" + prom.address(), qs);
          compared += compare(q + " step " + step, v, pr);
        }
      }
      assertThat(compared).isGreaterThan(5_000);
    }
  }

  private static JsonNode query(HttpClient http, String base, String form) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/query_range"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(base + " " + form + ": " + r.body()).isEqualTo(200);
    return Json.MAPPER.readTree(r.body()).get("data").get("result");
  }

  /** Compares two matrices series by series and point by point; returns points compared. */
  static int compare(String what, JsonNode vigil, JsonNode prom) {
    Map<String, JsonNode> pm = new HashMap<>();
    for (JsonNode s : prom) {
      pm.put(s.get("metric").toString(), s.get("values"));
    }
    List<String> vKeys = new ArrayList<>();
    for (JsonNode s : vigil) {
      vKeys.add(s.get("metric").toString());
    }
    assertThat(vKeys).as(what + ": series").containsExactlyInAnyOrderElementsOf(pm.keySet());
    int n = 0;
    for (JsonNode s : vigil) {
      JsonNode pv = pm.get(s.get("metric").toString());
      JsonNode vv = s.get("values");
      assertThat(vv.size()).as(what + " " + s.get("metric") + ": points").isEqualTo(pv.size());
      for (int i = 0; i < vv.size(); i++) {
        assertThat(vv.get(i).get(0).asDouble()).isEqualTo(pv.get(i).get(0).asDouble());
        double a = Double.parseDouble(fix(vv.get(i).get(1).asText()));
        double b = Double.parseDouble(fix(pv.get(i).get(1).asText()));
        if (Double.isNaN(b)) {
          assertThat(a).as(what).isNaN();
        } else if (a != b) {
          double rel = Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
          assertThat(rel)
              .as(
                  "%s %s at %s: vigil %s, prometheus %s",
                  what, s.get("metric"), vv.get(i).get(0), a, b)
              .isLessThanOrEqualTo(1e-6);
        }
        n++;
      }
    }
    return n;
  }

  private static String fix(String v) {
    return switch (v) {
      case "+Inf" -> "Infinity";
      case "-Inf" -> "-Infinity";
      default -> v;
    };
  }
}
