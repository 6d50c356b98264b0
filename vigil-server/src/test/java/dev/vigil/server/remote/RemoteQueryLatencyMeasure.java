package dev.vigil.server.remote;

import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.testing.ExternalProcess;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A measurement, not a check (off in the suite): the latency of a day-long {@code query_range} (100
 * series, 15 s apart: 576,000 samples) answered by VictoriaMetrics 1.79 itself, by Vigil over its
 * own store, and by Vigil over VictoriaMetrics with {@code query.remote}. Best of 5, printed as
 * {@code MEASURE} lines; figures in docs/scale-out.md.
 *
 * <pre>
 * ./mvnw -B -o -q -pl vigil-server -am test -Dtest=RemoteQueryLatencyMeasure \
 *   -Dvigil.measure=true -Dsurefire.failIfNoSpecifiedTests=false | grep MEASURE
 * </pre>
 */
@EnabledIfSystemProperty(named = "vigil.measure", matches = "true")
class RemoteQueryLatencyMeasure {
  @TempDir Path dir;

  @Test
  void measure() throws Exception {
    Path bin = ExternalProcess.require("victoria-metrics");
    HttpClient http = HttpClient.newHttpClient();
    long now = System.currentTimeMillis() / 60_000 * 60_000;
    int series = 100;
    int points = 5760; // 24 h at 15 s
    try (ExternalProcess vm =
        ExternalProcess.start(
            List.of(
                bin.toString(),
                "-storageDataPath=" + dir.resolve("vm"),
                "-httpListenAddr=127.0.0.1:{port}",
                "-search.latencyOffset=0s",
                "-search.disableCache",
                "-loggerLevel=ERROR"),
            "/health",
            dir)) {
      String vmUrl = "http://" + vm.address();
      for (int s = 0; s < series; s++) {
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < points; j++) {
          sb.append("mq_total{i=\"")
              .append(s)
              .append("\"} ")
              .append(j * 3 + (j % 11))
              .append(' ')
              .append(now - (points - 1 - j) * 15_000L)
              .append('\n');
        }
        http.send(
            HttpRequest.newBuilder(URI.create(vmUrl + "/api/v1/import/prometheus"))
                .POST(HttpRequest.BodyPublishers.ofString(sb.toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
      }
      Thread.sleep(5000); // VictoriaMetrics makes fresh imports searchable within a few seconds
      Path localDir = dir.resolve("local");
      Files.writeString(
          dir.resolve("l.yml"),
          "server:\n  listen: 127.0.0.1:0\nstorage:\n  path: \""
              + localDir
              + "\"\ncollect: {self: false, system: false, jvm: false, gpu: false}\n");
      Files.writeString(
          dir.resolve("r.yml"),
          "server:\n  listen: 127.0.0.1:0\nstorage:\n  path: \""
              + dir.resolve("remote")
              + "\"\ncollect: {self: false, system: false, jvm: false, gpu: false}\nquery:\n  remote:\n    url: "
              + vmUrl
              + "\n");
      try (Vigil local = Vigil.builder(ConfigLoader.load(dir.resolve("l.yml"), Map.of())).start();
          Vigil remote = Vigil.builder(ConfigLoader.load(dir.resolve("r.yml"), Map.of())).start()) {
        Appender a = local.storage().appender();
        for (int s = 0; s < series; s++) {
          Labels l = Labels.of("__name__", "mq_total", "i", Integer.toString(s));
          for (int j = 0; j < points; j++) {
            a.append(0, l, now - (points - 1 - j) * 15_000L, j * 3 + (j % 11));
          }
        }
        a.commit();
        for (String q : List.of("sum(rate(mq_total[5m]))", "mq_total")) {
          for (String[] target :
              new String[][] {
                {"vm", vmUrl}, {"vigil-local", local.url()}, {"vigil-over-vm", remote.url()}
              }) {
            String url =
                target[1]
                    + "/api/v1/query_range?query="
                    + URLEncoder.encode(q, StandardCharsets.UTF_8)
                    + "&start="
                    + (now - 86_400_000L) / 1000
                    + "&end="
                    + now / 1000
                    + "&step=60";
            long best = Long.MAX_VALUE;
            int len = 0;
            for (int k = 0; k < 5; k++) {
              long t0 = System.nanoTime();
              HttpResponse<String> r =
                  http.send(
                      HttpRequest.newBuilder(URI.create(url)).build(),
                      HttpResponse.BodyHandlers.ofString());
              best = Math.min(best, System.nanoTime() - t0);
              len = r.body().length();
              if (r.statusCode() != 200)
                System.out.println(
                    "MEASURE " + r.body().substring(0, Math.min(300, r.body().length())));
            }
            System.out.printf(
                "MEASURE %s %-14s best of 5: %6.1f ms (%d bytes)%n", q, target[0], best / 1e6, len);
          }
        }
      }
    }
  }
}
