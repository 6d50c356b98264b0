package dev.vigil.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.server.Vigil;
import dev.vigil.server.config.CollectConfig;
import dev.vigil.server.config.VigilConfig;
import dev.vigil.server.testing.ExternalProcess;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running server's {@code /metrics} (every collector on: host, JVM, process, storage, HTTP)
 * passes the real {@code promtool check metrics}. The only findings allowed are node_exporter's own
 * camelCase meminfo names ({@code node_memory_MemTotal_bytes}: "metric names should be written in
 * 'snake_case' not 'camelCase'"), which Vigil keeps so that node_exporter dashboards work.
 */
class SelfMetricsPromtoolTest {
  @Test
  void metricsOfARunningServer_haveHelpForEveryFamily_andPassPromtool(@TempDir Path dir)
      throws Exception {
    Path promtool = ExternalProcess.require("promtool");
    VigilConfig c =
        VigilConfig.defaults()
            .withListen("127.0.0.1", 0)
            .withStoragePath(dir)
            .withCollect(new CollectConfig(Duration.ofSeconds(1), true, true, true, true, "app_"));
    try (Vigil v = Vigil.start(c)) {
      HttpClient http = HttpClient.newHttpClient();
      // A request first, so that the HTTP families have a series too.
      http.send(
          HttpRequest.newBuilder(URI.create(v.url() + "/-/healthy")).build(),
          HttpResponse.BodyHandlers.discarding());
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(v.url() + "/metrics")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      String body = r.body();
      List<String> withoutHelp = new ArrayList<>();
      for (String line : body.split("\n")) {
        if (line.startsWith("# TYPE ")) {
          String family = line.split(" ")[2];
          if (!body.contains("# HELP " + family + " ")) {
            withoutHelp.add(family);
          }
        }
      }
      assertThat(withoutHelp).as("families without HELP").isEmpty();
      assertThat(body)
          .contains("# HELP vigil_tsdb_head_series ")
          .contains("# HELP vigil_tsdb_compactions_total ")
          .contains("# HELP vigil_http_requests_total ");

      Process p =
          new ProcessBuilder(promtool.toString(), "check", "metrics")
              .redirectErrorStream(true)
              .start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(body.getBytes(StandardCharsets.UTF_8));
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      List<String> findings = new ArrayList<>();
      int allowed = 0;
      for (String line : out.split("\n")) {
        boolean nodeExporterName =
            line.startsWith("node_memory_") && line.endsWith("'snake_case' not 'camelCase'");
        if (nodeExporterName) {
          allowed++;
        } else if (!line.isBlank()) {
          findings.add(line);
        }
      }
      System.out.println(
          "SelfMetricsPromtoolTest: promtool check metrics: "
              + allowed
              + " node_exporter camelCase name(s), "
              + findings.size()
              + " other finding(s)");
      assertThat(findings).as("promtool check metrics:%n%s", out).isEmpty();
    }
  }
}
