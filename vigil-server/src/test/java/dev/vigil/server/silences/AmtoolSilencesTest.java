package dev.vigil.server.silences;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.CollectConfig;
import dev.vigil.server.config.VigilConfig;
import dev.vigil.server.http.Json;
import dev.vigil.server.testing.ExternalProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code amtool} (Debian's {@code prometheus-alertmanager} 0.25) against Vigil, unchanged;
 * and the same requests to the real Alertmanager 0.25 and to Vigil answer the same JSON, modulo ids
 * and the times the servers choose.
 */
class AmtoolSilencesTest {
  @TempDir Path dir;
  Vigil vigil;
  final HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    VigilConfig c =
        VigilConfig.defaults()
            .withListen("127.0.0.1", 0)
            .withStoragePath(dir.resolve("data"))
            .withCollect(new CollectConfig(Duration.ofMinutes(10), false, false, false, false, ""))
            .withScrapeConfigs(List.of());
    vigil = Vigil.start(c);
  }

  @AfterEach
  void stop() {
    if (vigil != null) {
      vigil.close();
    }
  }

  String amtool(String url, String... args) throws Exception {
    Path amtool = ExternalProcess.require("amtool");
    List<String> cmd = new ArrayList<>(List.of(amtool.toString(), "--alertmanager.url=" + url));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).directory(dir.toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("amtool finished").isTrue();
    assertThat(p.exitValue()).as("amtool %s: %s", List.of(args), out).isZero();
    return out;
  }

  @Test
  void amtool_silenceAddQueryExpire_workUnchanged() throws Exception {
    String url = vigil.url();
    String id =
        amtool(
                url,
                "silence",
                "add",
                "alertname=DiskFull",
                "severity=~crit|warn",
                "--comment=disk swap",
                "--author=ops",
                "--duration=2h")
            .strip();
    assertThat(id).matches("[0-9a-f-]{36}");
    var s = vigil.silences().get(id).orElseThrow();
    assertThat(s.createdBy()).isEqualTo("ops");
    assertThat(s.comment()).isEqualTo("disk swap");
    assertThat(dev.vigil.notify.silence.Matchers.format(s.matchers()))
        .isEqualTo("{alertname=\"DiskFull\",severity=~\"crit|warn\"}");
    assertThat(Duration.between(s.startsAt(), s.endsAt()).toMinutes()).isBetween(119L, 120L);

    String table = amtool(url, "silence", "query");
    assertThat(table).contains(id).contains("alertname=\"DiskFull\"").contains("disk swap");
    assertThat(amtool(url, "silence", "query", "alertname=DiskFull")).contains(id);
    assertThat(amtool(url, "silence", "query", "alertname=Other")).doesNotContain(id);

    JsonNode json = Json.MAPPER.readTree(amtool(url, "silence", "query", "-o", "json"));
    assertThat(json.get(0).path("id").asText()).isEqualTo(id);
    assertThat(json.get(0).path("status").path("state").asText()).isEqualTo("active");

    assertThat(amtool(url, "silence", "query", "-q")).contains(id);
    amtool(url, "silence", "expire", id);
    assertThat(amtool(url, "silence", "query", "-q")).doesNotContain(id);
    assertThat(amtool(url, "silence", "query", "--expired", "-q")).contains(id);
    assertThat(vigil.silences().get(id).orElseThrow().endsAt()).isBeforeOrEqualTo(Instant.now());
  }

  HttpResponse<String> send(String base, String method, String path, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The JSON text with the ids and the given server-chosen times replaced by placeholders. */
  static String normalize(String json, List<String> ids, String updatedKey) throws Exception {
    JsonNode n = Json.MAPPER.readTree(json);
    String s = n.toString();
    for (int i = 0; i < ids.size(); i++) {
      s = s.replace(ids.get(i), "ID" + i);
    }
    return s.replaceAll("\"" + updatedKey + "\":\"[^\"]*\"", "\"" + updatedKey + "\":\"T\"");
  }

  @Test
  void sameRequests_realAlertmanagerAndVigil_sameJson() throws Exception {
    ExternalProcess.require("prometheus-alertmanager");
    Path amDir = Files.createDirectories(dir.resolve("am"));
    Files.writeString(amDir.resolve("am.yml"), "route: {receiver: r}\nreceivers: [{name: r}]\n");
    try (ExternalProcess am =
        ExternalProcess.start(
            List.of(
                "/usr/bin/prometheus-alertmanager",
                "--config.file=am.yml",
                "--storage.path=" + amDir.resolve("data"),
                "--web.listen-address=127.0.0.1:{port}",
                "--cluster.listen-address="),
            "/-/ready",
            amDir)) {
      String amUrl = "http://" + am.address();
      // Future starts: the servers keep them as given (a past start becomes "now").
      Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).plus(Duration.ofDays(1));
      String[] bodies = {
        body(
            "[{\"name\":\"alertname\",\"value\":\"DiskFull\",\"isRegex\":false}]",
            t,
            t.plusSeconds(3600)),
        body(
            "[{\"name\":\"job\",\"value\":\"node|db\",\"isRegex\":true,\"isEqual\":false},"
                + "{\"name\":\"env\",\"value\":\"prod\",\"isRegex\":false,\"isEqual\":true}]",
            t.plusSeconds(10),
            t.plusSeconds(7200)),
        body(
            "[{\"name\":\"a\",\"value\":\"q\\\"uote\",\"isRegex\":false}]",
            t.plusSeconds(5),
            t.plusSeconds(60)),
      };
      List<String> amIds = new ArrayList<>();
      List<String> vIds = new ArrayList<>();
      for (String b : bodies) {
        HttpResponse<String> ra = send(amUrl, "POST", "/api/v2/silences", b);
        HttpResponse<String> rv = send(vigil.url(), "POST", "/api/v2/silences", b);
        assertThat(rv.statusCode()).isEqualTo(ra.statusCode()).isEqualTo(200);
        amIds.add(Json.MAPPER.readTree(ra.body()).path("silenceID").asText());
        vIds.add(Json.MAPPER.readTree(rv.body()).path("silenceID").asText());
      }
      // updates: same matchers and a later start on a pending silence stay in place; new
      // matchers expire the old silence and create a new one
      String inPlace =
          withId(
              amIds.get(0),
              body(
                  "[{\"name\":\"alertname\",\"value\":\"DiskFull\",\"isRegex\":false}]",
                  t.plusSeconds(30),
                  t.plusSeconds(5400)));
      HttpResponse<String> ua = send(amUrl, "POST", "/api/v2/silences", inPlace);
      HttpResponse<String> uv =
          send(vigil.url(), "POST", "/api/v2/silences", inPlace.replace(amIds.get(0), vIds.get(0)));
      assertThat(ua.body()).contains(amIds.get(0));
      assertThat(uv.body()).contains(vIds.get(0));
      String replaced =
          body(
              "[{\"name\":\"alertname\",\"value\":\"DiskFull2\",\"isRegex\":false}]",
              t,
              t.plusSeconds(600));
      ua = send(amUrl, "POST", "/api/v2/silences", withId(amIds.get(1), replaced));
      uv = send(vigil.url(), "POST", "/api/v2/silences", withId(vIds.get(1), replaced));
      assertThat(uv.statusCode()).isEqualTo(ua.statusCode()).isEqualTo(200);
      amIds.add(Json.MAPPER.readTree(ua.body()).path("silenceID").asText());
      vIds.add(Json.MAPPER.readTree(uv.body()).path("silenceID").asText());
      assertThat(amIds.get(3)).isNotEqualTo(amIds.get(1));
      assertThat(vIds.get(3)).isNotEqualTo(vIds.get(1));
      // expire one on both
      send(amUrl, "DELETE", "/api/v2/silence/" + amIds.get(2), null);
      send(vigil.url(), "DELETE", "/api/v2/silence/" + vIds.get(2), null);
      for (String path :
          List.of(
              "/api/v2/silences",
              "/api/v2/silences?filter=alertname%3DDiskFull",
              "/api/v2/silences?filter=env%3D~pro.*",
              "/api/v2/silences?filter=job%21%3Dnode")) {
        String a = send(amUrl, "GET", path, null).body();
        String v = send(vigil.url(), "GET", path, null).body();
        // the expired silence's start and end are the servers' "now"
        String na = normalize(a, amIds, "updatedAt");
        String nv = normalize(v, vIds, "updatedAt");
        assertThat(stripExpiredTimes(nv)).as(path).isEqualTo(stripExpiredTimes(na));
      }
      String a = send(amUrl, "GET", "/api/v2/silence/" + amIds.get(0), null).body();
      String v = send(vigil.url(), "GET", "/api/v2/silence/" + vIds.get(0), null).body();
      assertThat(normalize(v, vIds, "updatedAt")).isEqualTo(normalize(a, amIds, "updatedAt"));

      // bad input: same status and body
      Instant now = Instant.now();
      for (String bad :
          List.of(
              body("[]", t, t.plusSeconds(60)),
              body("[{\"name\":\"a\",\"value\":\".*\",\"isRegex\":true}]", t, t.plusSeconds(60)),
              body("[{\"name\":\"1a\",\"value\":\"b\",\"isRegex\":false}]", t, t.plusSeconds(60)),
              body("[{\"name\":\"a\",\"value\":\"b\",\"isRegex\":false}]", t, t.minusSeconds(60)),
              body(
                  "[{\"name\":\"a\",\"value\":\"b\",\"isRegex\":false}]",
                  now.minusSeconds(600),
                  now.minusSeconds(60)),
              "{\"matchers\":[{\"name\":\"a\",\"value\":\"b\",\"isRegex\":false}],"
                  + "\"startsAt\":\""
                  + t
                  + "\",\"endsAt\":\""
                  + t.plusSeconds(9)
                  + "\",\"comment\":\"c\"}")) {
        HttpResponse<String> ra = send(amUrl, "POST", "/api/v2/silences", bad);
        HttpResponse<String> rv = send(vigil.url(), "POST", "/api/v2/silences", bad);
        assertThat(rv.statusCode()).as(bad).isEqualTo(ra.statusCode());
        assertThat(rv.body().strip()).as(bad).isEqualTo(ra.body().strip());
      }
      for (String path :
          List.of(
              "/api/v2/silence/abc",
              "/api/v2/silence/" + java.util.UUID.randomUUID(),
              "/api/v2/silences?filter=bad")) {
        HttpResponse<String> ra = send(amUrl, "GET", path, null);
        HttpResponse<String> rv = send(vigil.url(), "GET", path, null);
        assertThat(rv.statusCode()).as(path).isEqualTo(ra.statusCode());
        assertThat(rv.body().strip()).as(path).isEqualTo(ra.body().strip());
      }

      JsonNode sa = Json.MAPPER.readTree(send(amUrl, "GET", "/api/v2/status", null).body());
      JsonNode sv = Json.MAPPER.readTree(send(vigil.url(), "GET", "/api/v2/status", null).body());
      assertThat(sv.fieldNames()).toIterable().containsExactlyElementsOf(() -> sa.fieldNames());
      assertThat(sv.path("cluster")).isEqualTo(sa.path("cluster"));
      assertThat(sv.path("versionInfo").fieldNames())
          .toIterable()
          .containsExactlyElementsOf(() -> sa.path("versionInfo").fieldNames());

      // amtool prints the same table for both, modulo ids
      String qa = amtool(amUrl, "silence", "query", "-o", "extended", "--within=48h");
      String qv = amtool(vigil.url(), "silence", "query", "-o", "extended", "--within=48h");
      for (int i = 0; i < amIds.size(); i++) {
        qa = qa.replace(amIds.get(i), "ID" + i);
        qv = qv.replace(vIds.get(i), "ID" + i);
      }
      assertThat(qv.replaceAll("\\d\\d:\\d\\d:\\d\\d", "T"))
          .isEqualTo(qa.replaceAll("\\d\\d:\\d\\d:\\d\\d", "T"));
    }
  }

  static String stripExpiredTimes(String s) {
    return s.replaceAll(
        "(\"state\":\"expired\"\\}.*?\"endsAt\":\")[^\"]*(\".*?\"startsAt\":\")[^\"]*\"",
        "$1T$2T\"");
  }

  static String withId(String id, String body) {
    return "{\"id\":\"" + id + "\"," + body.substring(1);
  }

  static String body(String matchers, Instant start, Instant end) {
    return "{\"matchers\":"
        + matchers
        + ",\"startsAt\":\""
        + start
        + "\",\"endsAt\":\""
        + end
        + "\",\"createdBy\":\"ops\",\"comment\":\"disk swap\"}";
  }
}
