package dev.vigil.server.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.ingest.remote.RemoteWriteEncoder;
import dev.vigil.ingest.wire.Snappy;
import dev.vigil.model.Labels;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
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

/**
 * A firing alert survives a clean restart and a {@code kill -9} of the server (a child JVM on a
 * real data directory): after each start its 'for' state is restored from {@code ALERTS_FOR_STATE},
 * and it fires again with its original {@code activeAt}, not as a new alert.
 */
class RulesRestartTest {
  static final ObjectMapper JSON = new ObjectMapper();
  final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path dir;

  @Test
  void firingAlert_keepsItsActiveAt_overACleanRestartAndAKill9() throws Exception {
    Files.writeString(
        dir.resolve("rules.yml"),
        """
        groups:
        - name: restart
          interval: 1s
          rules:
          - alert: Stuck
            expr: restart_value > 0
            for: 4s
        """);
    Path cfg = dir.resolve("vigil.yml");
    Files.writeString(cfg, "rule_files: [rules.yml]\nrules:\n  for_grace_period: 1s\n");

    Process p = start();
    String activeAt;
    try {
      String base = url(p);
      long t0 = System.currentTimeMillis() / 1000 * 1000 - 2000;
      long[] ts = new long[300];
      double[] vs = new double[300];
      for (int i = 0; i < ts.length; i++) {
        ts[i] = t0 + i * 1000L;
        vs[i] = 1;
      }
      write(
          base,
          List.of(
              new RemoteWriteEncoder.Series(
                  Labels.of("__name__", "restart_value", "instance", "x"), ts, vs)));
      // ALERTS_FOR_STATE keeps whole seconds (as Prometheus'): a restored activeAt has no fraction.
      activeAt =
          java.time.Instant.parse(waitForFiring(base))
              .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
              .toString();
    } finally {
      p.destroy(); // SIGTERM: the server closes cleanly
      p.waitFor();
    }

    p = start();
    try {
      assertThat(waitForFiring(url(p))).as("after a clean restart").isEqualTo(activeAt);
    } finally {
      p.destroyForcibly(); // SIGKILL
      p.waitFor();
    }

    p = start();
    try {
      assertThat(waitForFiring(url(p))).as("after kill -9").isEqualTo(activeAt);
    } finally {
      p.destroyForcibly();
      p.waitFor();
    }
  }

  private Process start() throws Exception {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            javaBin,
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            RulesChild.class.getName(),
            dir.resolve("vigil.yml").toString(),
            dir.resolve("data").toString())
        .redirectError(dir.resolve("child.err").toFile())
        .start();
  }

  private final java.util.Map<Process, String> urls = new java.util.HashMap<>();

  private String url(Process p) throws Exception {
    String u = urls.get(p);
    if (u != null) {
      return u;
    }
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = out.readLine()) != null; ) {
      if (line.startsWith("PORT ")) {
        u = "http://127.0.0.1:" + line.substring(5).strip();
        urls.put(p, u);
        return u;
      }
    }
    throw new AssertionError("the child exited: " + Files.readString(dir.resolve("child.err")));
  }

  private void write(String base, List<RemoteWriteEncoder.Series> series) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/write"))
                .header("Content-Type", "application/x-protobuf")
                .header("Content-Encoding", "snappy")
                .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                .POST(
                    HttpRequest.BodyPublishers.ofByteArray(
                        Snappy.compress(RemoteWriteEncoder.v1(series))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
  }

  /** Polls (a child process has no latch) until the alert fires; returns its activeAt. */
  private String waitForFiring(String base) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/api/v1/alerts")).build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        JsonNode alerts = JSON.readTree(r.body()).path("data").path("alerts");
        if (alerts.size() == 1 && alerts.get(0).path("state").asText().equals("firing")) {
          return alerts.get(0).path("activeAt").asText();
        }
      }
      assertThat(System.nanoTime()).as("firing on " + base).isLessThan(deadline);
      Thread.sleep(100);
    }
  }
}
