package dev.vigil.server.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.notify.nflog.NotificationLog;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.testing.ChildVigil;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server killed with SIGKILL after delivering notifications, restarted on the same data directory
 * and fed the same alerts again: the webhook receives neither the firing notification nor the
 * resolved one a second time (the notification log deduplicates, as Alertmanager's).
 */
class NotifierKillDedupTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  final HttpClient client = HttpClient.newHttpClient();
  final List<JsonNode> got = new CopyOnWriteArrayList<>();
  HttpServer sink;

  @AfterEach
  void stopSink() {
    if (sink != null) {
      sink.stop(0);
    }
  }

  @Test
  void sigkill_thenRestart_sameAlerts_noDuplicate_andResolvedNotSentAgain() throws Exception {
    sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    sink.createContext(
        "/hook",
        ex -> {
          got.add(JSON.readTree(ex.getRequestBody().readAllBytes()));
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    sink.start();
    Path yml = dir.resolve("vigil.yml");
    Files.writeString(
        yml,
        """
        notify:
          route:
            receiver: hook
            group_by: [alertname]
            group_wait: 0s
            group_interval: 1s
          receivers:
            - name: hook
              webhook_configs:
                - url: http://127.0.0.1:PORT/hook
        """
            .replace("PORT", Integer.toString(sink.getAddress().getPort())));
    Path data = dir.resolve("data");
    Instant start =
        Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    Instant resolvedAt = start.plusSeconds(30);
    String firingA = alert("A", start, null);
    String firingR = alert("R", start, null);
    String resolvedR = alert("R", start, resolvedAt);

    ChildVigil child = ChildVigil.start(null, yml, data);
    try {
      String base = child.url();
      post(base, "[" + firingA + "," + firingR + "]");
      await(() -> got.size() == 2, "both firing notifications delivered");
      post(base, "[" + resolvedR + "]");
      await(() -> got.size() == 3, "the resolved notification delivered");
      assertThat(got.get(2).path("status").asText()).isEqualTo("resolved");
      // The child records a delivery once the webhook has answered: wait for the third record.
      Path nflog = data.resolve("notify").resolve("nflog.log");
      await(
          () -> count(nflog, "\"receiver\":\"hook/webhook/0\",\"delivered\"") >= 3,
          "three deliveries in the notification log");
    } finally {
      child.close(); // SIGKILL
    }
    assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
    List<JsonNode> before = new ArrayList<>(got);

    try (Vigil v =
        Vigil.start(
            ConfigLoader.load(yml, Map.of()).withListen("127.0.0.1", 0).withStoragePath(data))) {
      NotificationLog.Entry a0 =
          v.notificationLog().query("{}:{alertname=\"A\"}", "hook/webhook/0").orElseThrow();
      // What the rule engine re-sends after a restart, plus a new alert B in a group of its own
      // flushed after A's and R's (one timer thread, in order of arrival): once B is delivered,
      // the decisions on A and R have been taken.
      post(v.url(), "[" + firingA + "," + resolvedR + "," + alert("B", start, null) + "]");
      await(() -> got.size() > before.size(), "the new alert B delivered");
      List<JsonNode> after = got.subList(before.size(), got.size());
      assertThat(after).hasSize(1);
      assertThat(after.get(0).path("groupKey").asText()).isEqualTo("{}:{alertname=\"B\"}");
      assertThat(v.notificationLog().query("{}:{alertname=\"A\"}", "hook/webhook/0").orElseThrow())
          .isEqualTo(a0);
    }
  }

  private static String alert(String name, Instant start, Instant end) {
    return "{\"labels\":{\"alertname\":\""
        + name
        + "\"},\"startsAt\":\""
        + start
        + "\""
        + (end == null ? "" : ",\"endsAt\":\"" + end + "\"")
        + "}";
  }

  private void post(String base, String body) throws Exception {
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v2/alerts"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  private static int count(Path file, String needle) {
    try {
      String s = Files.readString(file, StandardCharsets.ISO_8859_1);
      int n = 0;
      for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
        n++;
      }
      return n;
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  private static void await(BooleanSupplier cond, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!cond.getAsBoolean()) {
      assertThat(System.nanoTime()).as("timed out waiting: " + what).isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
