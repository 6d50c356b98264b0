package dev.vigil.server.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.ingest.remote.RemoteWriteEncoder;
import dev.vigil.model.Labels;
import dev.vigil.server.testing.ChildVigil;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
    try (ChildVigil v = start()) {
      long t0 = System.currentTimeMillis() / 1000 * 1000 - 2000;
      long[] ts = new long[300];
      double[] flip = new double[300];
      double[] stuck = new double[300];
      for (int i = 0; i < ts.length; i++) {
        ts[i] = t0 + i * 1000L;
        flip[i] = i < 8 ? 1 : 0; // pending, firing, then resolved
        stuck[i] = 1;
      }
      HttpResponse<String> r =
          v.remoteWrite(
              List.of(
                  new RemoteWriteEncoder.Series(Labels.of("__name__", "flip_value"), ts, flip),
                  new RemoteWriteEncoder.Series(Labels.of("__name__", "stuck_value"), ts, stuck)));
      assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
      acknowledged = waitForHistory(v.url(), 5); // Flip: 3 changes, Stuck: 2
      v.kill(); // SIGKILL while Stuck fires
    }
    assertThat(transitions(acknowledged))
        .containsExactlyInAnyOrder(
            "Flip inactive>pending",
            "Flip pending>firing",
            "Flip firing>inactive",
            "Stuck inactive>pending",
            "Stuck pending>firing");

    try (ChildVigil v = start()) {
      v.awaitFiring("Stuck", Duration.ofSeconds(60)); // restored, firing again after the grace
      assertThat(history(v.url())).as("after kill -9").isEqualTo(acknowledged);
      v.stop(); // SIGTERM: a clean close
    }

    try (ChildVigil v = start()) {
      v.awaitFiring("Stuck", Duration.ofSeconds(60));
      assertThat(history(v.url())).as("after a clean restart").isEqualTo(acknowledged);
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

  private ChildVigil start() throws Exception {
    return ChildVigil.start(
        dir.resolve("child.err"), dir.resolve("vigil.yml"), dir.resolve("data"));
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
}
