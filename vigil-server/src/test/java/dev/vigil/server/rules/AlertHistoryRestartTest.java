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
 * The alert history survives a {@code kill -9} and a clean restart of the server (a child JVM on a
 * real data directory): every change the API had shown before the kill is there afterwards, field
 * by field, and a firing alert restored after the restart is not recorded again as new.
 */
class AlertHistoryRestartTest {
  static final ObjectMapper JSON = new ObjectMapper();
  final HttpClient http = HttpClient.newHttpClient();
  final Map<Process, String> urls = new HashMap<>();

  @TempDir Path dir;

  @Test
  void acknowledgedChanges_surviveAKill9AndACleanRestart_byValue() throws Exception {
    Files.writeString(
        dir.resolve("rules.yml"),
        """
        groups:
        - name: history
          interval: 1s
          rules:
          - alert: Flip
            expr: flip_value > 0
            for: 2s
            annotations: {summary: "value {{ $value }}"}
          - alert: Stuck
            expr: stuck_value > 0
            for: 2s
        """);
    // wal_fsync 1s: the history, like the WAL, is written before the API shows it, fsynced later.
    Files.writeString(
        dir.resolve("vigil.yml"),
        "rule_files: [rules.yml]\nrules:\n  for_grace_period: 1s\nstorage:\n  wal_fsync: 1s\n");

    JsonNode acknowledged;
    Process p = start();
    try {
      String base = url(p);
      long t0 = System.currentTimeMillis() / 1000 * 1000 - 2000;
      long[] ts = new long[300];
      double[] flip = new double[300];
      double[] stuck = new double[300];
      for (int i = 0; i < ts.length; i++) {
        ts[i] = t0 + i * 1000L;
        flip[i] = i < 8 ? 1 : 0; // pending, firing, then resolved
        stuck[i] = 1;
      }
      write(
          base,
          List.of(
              new RemoteWriteEncoder.Series(Labels.of("__name__", "flip_value"), ts, flip),
              new RemoteWriteEncoder.Series(Labels.of("__name__", "stuck_value"), ts, stuck)));
      acknowledged = waitForHistory(base, 5); // Flip: 3 changes, Stuck: 2
      p.destroyForcibly(); // SIGKILL while Stuck fires
      p.waitFor();
    } finally {
      p.destroyForcibly();
    }
    assertThat(transitions(acknowledged))
        .containsExactlyInAnyOrder(
            "Flip inactive>pending",
            "Flip pending>firing",
            "Flip firing>inactive",
            "Stuck inactive>pending",
            "Stuck pending>firing");

    p = start();
    try {
      String base = url(p);
      waitForFiring(base, "Stuck"); // restored, and firing again after the grace period
      assertThat(history(base)).as("after kill -9").isEqualTo(acknowledged);
    } finally {
      p.destroy(); // SIGTERM: a clean close
      p.waitFor();
    }

    p = start();
    try {
      String base = url(p);
      waitForFiring(base, "Stuck");
      assertThat(history(base)).as("after a clean restart").isEqualTo(acknowledged);
    } finally {
      p.destroyForcibly();
      p.waitFor();
    }
  }

  private static List<String> transitions(JsonNode changes) {
    List<String> out = new java.util.ArrayList<>();
    changes.forEach(
        c ->
            out.add(
                c.path("labels").path("alertname").asText()
                    + " "
                    + c.path("from").asText()
                    + ">"
                    + c.path("to").asText()));
    return out;
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

  private JsonNode history(String base) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/alerts/history")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body()).path("data").path("changes");
  }

  /** Polls (a child process has no latch) until the history holds {@code n} changes. */
  private JsonNode waitForHistory(String base, int n) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      try {
        JsonNode h = history(base);
        if (h.size() >= n) {
          return h;
        }
      } catch (AssertionError starting) {
        // 503 until the store is open
      }
      assertThat(System.nanoTime()).as(n + " changes on " + base).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private void waitForFiring(String base, String alertname) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String q = URLEncoder.encode(alertname, StandardCharsets.UTF_8);
    while (true) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/api/v1/alerts")).build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        for (JsonNode a : JSON.readTree(r.body()).path("data").path("alerts")) {
          if (a.path("labels").path("alertname").asText().equals(alertname)
              && a.path("state").asText().equals("firing")) {
            return;
          }
        }
      }
      assertThat(System.nanoTime()).as(q + " firing on " + base).isLessThan(deadline);
      Thread.sleep(100);
    }
  }
}
