package dev.vigil.server.silences;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.CollectConfig;
import dev.vigil.server.config.ServerConfig;
import dev.vigil.server.config.VigilConfig;
import dev.vigil.server.http.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Alertmanager's API v2 for silences on a real server, through a real HTTP client. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SilencesApiV2Test {
  static final String WRITE = "write-token-0123456789";
  final HttpClient client = HttpClient.newHttpClient();
  Vigil vigil;

  @BeforeAll
  void start(@TempDir Path dir) {
    ServerConfig d = ServerConfig.defaults();
    VigilConfig c =
        VigilConfig.defaults()
            .withServer(
                new ServerConfig(
                    "127.0.0.1",
                    0,
                    List.of(),
                    List.of(WRITE),
                    List.of(),
                    false,
                    d.tls(),
                    d.limits()))
            .withStoragePath(dir.resolve("data"))
            .withCollect(new CollectConfig(Duration.ofMinutes(10), false, false, false, false, ""));
    vigil = Vigil.start(c);
  }

  @AfterAll
  void stop() {
    if (vigil != null) {
      vigil.close();
    }
  }

  HttpResponse<String> send(String method, String path, String body, boolean token)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(vigil.url() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (token) {
      b.header("Authorization", "Bearer " + WRITE);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String silence(String id, String matchers, Instant start, Instant end) {
    return "{"
        + (id == null ? "" : "\"id\":\"" + id + "\",")
        + "\"matchers\":"
        + matchers
        + ",\"startsAt\":\""
        + start
        + "\",\"endsAt\":\""
        + end
        + "\",\"createdBy\":\"ops\",\"comment\":\"disk swap\"}";
  }

  static final String DISK =
      "[{\"name\":\"alertname\",\"value\":\"DiskFull\",\"isRegex\":false},"
          + "{\"name\":\"host\",\"value\":\"db-.*\",\"isRegex\":true,\"isEqual\":true}]";

  @Test
  void create_get_list_update_expire_asAlertmanager() throws Exception {
    Instant now = Instant.now();
    HttpResponse<String> r =
        send("POST", "/api/v2/silences", silence(null, DISK, now, now.plusSeconds(3600)), true);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String id = Json.MAPPER.readTree(r.body()).path("silenceID").asText();
    assertThat(id).matches("[0-9a-f-]{36}");

    JsonNode got = Json.MAPPER.readTree(send("GET", "/api/v2/silence/" + id, null, false).body());
    assertThat(got.path("status").path("state").asText()).isEqualTo("active");
    assertThat(got.path("matchers").get(1).toString())
        .isEqualTo("{\"isEqual\":true,\"isRegex\":true,\"name\":\"host\",\"value\":\"db-.*\"}");
    assertThat(got.path("endsAt").asText())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(got.fieldNames())
        .toIterable()
        .containsExactly(
            "id", "status", "updatedAt", "comment", "createdBy", "endsAt", "matchers", "startsAt");

    String filter = "?filter=" + URLEncoder.encode("alertname=DiskFull", StandardCharsets.UTF_8);
    JsonNode list =
        Json.MAPPER.readTree(send("GET", "/api/v2/silences" + filter, null, false).body());
    assertThat(list.findValuesAsText("id")).contains(id);
    String other = "?filter=" + URLEncoder.encode("alertname=Other", StandardCharsets.UTF_8);
    assertThat(
            Json.MAPPER
                .readTree(send("GET", "/api/v2/silences" + other, null, false).body())
                .findValuesAsText("id"))
        .doesNotContain(id);

    // same matchers, later end: updated in place, same id
    Instant start = Instant.parse(got.path("startsAt").asText());
    r = send("POST", "/api/v2/silences", silence(id, DISK, start, now.plusSeconds(7200)), true);
    assertThat(Json.MAPPER.readTree(r.body()).path("silenceID").asText()).isEqualTo(id);

    assertThat(send("DELETE", "/api/v2/silence/" + id, null, true).statusCode()).isEqualTo(200);
    got = Json.MAPPER.readTree(send("GET", "/api/v2/silence/" + id, null, false).body());
    // expired once the clock passes endsAt (the next millisecond)
    assertThat(got.path("status").path("state").asText()).isIn("expired", "active");
    assertThat(Instant.parse(got.path("endsAt").asText())).isBefore(now.plusSeconds(60));
  }

  @Test
  void writes_needTheWriteToken_readsDoNot() throws Exception {
    Instant now = Instant.now();
    HttpResponse<String> r =
        send("POST", "/api/v2/silences", silence(null, DISK, now, now.plusSeconds(60)), false);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(
            send("DELETE", "/api/v2/silence/" + java.util.UUID.randomUUID(), null, false)
                .statusCode())
        .isEqualTo(401);
    assertThat(send("GET", "/api/v2/silences", null, false).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/api/v2/status", null, false).statusCode()).isEqualTo(200);
  }

  @Test
  void badInput_alertmanagersStatusAndMessage() throws Exception {
    Instant now = Instant.now();
    HttpResponse<String> r =
        send("POST", "/api/v2/silences", silence(null, "[]", now, now.plusSeconds(60)), true);
    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(r.body().strip())
        .isEqualTo("{\"code\":612,\"message\":\"matchers in body should have at least 1 items\"}");

    String empty = "[{\"name\":\"a\",\"value\":\".*\",\"isRegex\":true}]";
    r = send("POST", "/api/v2/silences", silence(null, empty, now, now.plusSeconds(60)), true);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body().strip())
        .isEqualTo("\"silence invalid: at least one matcher must not match the empty string\"");

    r = send("POST", "/api/v2/silences", silence(null, DISK, now, now.minusSeconds(60)), true);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body().strip())
        .isEqualTo("\"Failed to create silence: start time must be before end time\"");

    r =
        send(
            "POST",
            "/api/v2/silences",
            silence(null, DISK, now.minusSeconds(600), now.minusSeconds(60)),
            true);
    assertThat(r.body().strip())
        .isEqualTo("\"Failed to create silence: end time can't be in the past\"");

    String badName = "[{\"name\":\"1a\",\"value\":\"b\",\"isRegex\":false}]";
    r = send("POST", "/api/v2/silences", silence(null, badName, now, now.plusSeconds(60)), true);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body().strip())
        .isEqualTo("\"silence invalid: invalid label matcher 0: invalid label name \\\"1a\\\"\"");

    r = send("POST", "/api/v2/silences", "{\"matchers\":" + DISK + "}", true);
    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(r.body()).contains("\"code\":602").contains("in body is required");

    r = send("POST", "/api/v2/silences", "{bad", true);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).startsWith("{\"code\":400,\"message\":\"parsing silence body from");

    String unknown = java.util.UUID.randomUUID().toString();
    r = send("POST", "/api/v2/silences", silence(unknown, DISK, now, now.plusSeconds(60)), true);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body().strip()).isEqualTo("\"silence not found\"");

    assertThat(send("GET", "/api/v2/silence/" + unknown, null, false).statusCode()).isEqualTo(404);
    assertThat(send("DELETE", "/api/v2/silence/" + unknown, null, true).statusCode())
        .isEqualTo(404);
    r = send("GET", "/api/v2/silence/abc", null, false);
    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(r.body().strip())
        .isEqualTo(
            "{\"code\":601,\"message\":\"silenceID in path must be of type uuid: \\\"abc\\\"\"}");
    r = send("GET", "/api/v2/silences?filter=bad", null, false);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body().strip()).isEqualTo("\"bad matcher format: bad\"");
  }

  @Test
  void status_clusterDisabled_versionAndUptime() throws Exception {
    JsonNode s = Json.MAPPER.readTree(send("GET", "/api/v2/status", null, false).body());
    assertThat(s.fieldNames())
        .toIterable()
        .containsExactly("cluster", "config", "uptime", "versionInfo");
    assertThat(s.path("cluster").toString()).isEqualTo("{\"peers\":[],\"status\":\"disabled\"}");
    assertThat(s.path("config").path("original").isTextual()).isTrue();
    assertThat(Instant.parse(s.path("uptime").asText())).isBefore(Instant.now().plusSeconds(1));
    assertThat(s.path("versionInfo").path("version").asText()).startsWith("0.25.0-vigil.");
  }
}
