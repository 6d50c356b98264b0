package dev.vigil.server.silences;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.notify.nflog.NotificationLog;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.CollectConfig;
import dev.vigil.server.config.VigilConfig;
import dev.vigil.server.http.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Silences created through the API and notification-log entries survive a SIGKILL of the server (a
 * child JVM on a real data directory): after a restart they are found by value.
 */
class NotifyKillTest {
  @TempDir Path dir;
  final HttpClient client = HttpClient.newHttpClient();

  @Test
  void sigkill_silencesAndNotificationLog_foundByValueAfterRestart() throws Exception {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                javaBin,
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                NotifyKillChild.class.getName(),
                dir.resolve("data").toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    List<String> ids = new ArrayList<>();
    String expired;
    Instant end =
        Instant.now().plus(Duration.ofHours(3)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      Writer in = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
      String base = null;
      for (String line; (line = out.readLine()) != null; ) {
        if (line.startsWith("PORT ")) {
          base = "http://127.0.0.1:" + line.substring(5).strip();
          break;
        }
      }
      assertThat(base).as("the child server printed its port").isNotNull();
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> r =
            client.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v2/silences"))
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"matchers\":[{\"name\":\"alertname\",\"value\":\"Kill"
                                + i
                                + "\",\"isRegex\":false}],\"startsAt\":\""
                                + Instant.now()
                                + "\",\"endsAt\":\""
                                + end
                                + "\",\"createdBy\":\"ops\",\"comment\":\"before kill "
                                + i
                                + "\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        ids.add(Json.MAPPER.readTree(r.body()).path("silenceID").asText());
      }
      expired = ids.get(2);
      HttpResponse<String> d =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/api/v2/silence/" + expired))
                  .DELETE()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(d.statusCode()).isEqualTo(200);
      for (int i = 0; i < 3; i++) {
        in.write("{}:{alertname=\"Kill" + i + "\"} team/webhook/0 " + (1000 + i) + "\n");
        in.flush();
        assertThat(out.readLine()).isEqualTo("LOGGED");
      }
    } finally {
      p.destroyForcibly(); // SIGKILL on Linux
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(p.exitValue()).as("killed by SIGKILL").isEqualTo(137);

    VigilConfig c =
        VigilConfig.defaults()
            .withListen("127.0.0.1", 0)
            .withStoragePath(dir.resolve("data"))
            .withCollect(new CollectConfig(Duration.ofMinutes(10), false, false, false, false, ""))
            .withScrapeConfigs(List.of());
    try (Vigil v = Vigil.start(c)) {
      JsonNode list =
          Json.MAPPER.readTree(
              client
                  .send(
                      HttpRequest.newBuilder(URI.create(v.url() + "/api/v2/silences")).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body());
      assertThat(list).hasSize(3);
      for (JsonNode s : list) {
        int i = ids.indexOf(s.path("id").asText());
        assertThat(i).as("id %s was created before the kill", s.path("id")).isNotNegative();
        assertThat(s.path("matchers").get(0).path("value").asText()).isEqualTo("Kill" + i);
        assertThat(s.path("comment").asText()).isEqualTo("before kill " + i);
        assertThat(s.path("status").path("state").asText())
            .isEqualTo(i == 2 ? "expired" : "active");
        if (i != 2) {
          assertThat(Instant.parse(s.path("endsAt").asText())).isEqualTo(end);
        }
      }
      NotificationLog nflog = v.notificationLog();
      for (int i = 0; i < 3; i++) {
        NotificationLog.Entry e =
            nflog.query("{}:{alertname=\"Kill" + i + "\"}", "team/webhook/0").orElseThrow();
        assertThat(e.firingAlerts()).containsExactly(1000L + i);
        assertThat(e.succeeded()).isTrue();
      }
    }
  }
}
