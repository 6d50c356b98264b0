package dev.vigil.notify.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Oracle: the real Alertmanager 0.25 and Vigil's built-in notifier get the same config (Slack
 * receivers posting to a local sink, custom title/text templates using a {@code templates:} file,
 * and a receiver with the defaults) and the same alerts; the Slack title and text must be
 * identical.
 */
class SlackTemplatesOracleTest {
  @TempDir Path dir;
  private final List<AutoCloseable> closers = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private final Map<String, JsonNode> received = new ConcurrentHashMap<>();

  @AfterEach
  void tearDown() throws Exception {
    for (int i = closers.size() - 1; i >= 0; i--) {
      closers.get(i).close();
    }
  }

  static final String TEMPLATES =
      """
      {{ define "vigil.test.title" }}[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .CommonLabels.alertname }} for {{ .Receiver | title }}{{ end }}
      {{ define "vigil.test.text" }}{{ range .Alerts.Firing }}* {{ .Labels.instance }}: {{ .Annotations.summary | toLower }} ({{ .Status }}, {{ .Fingerprint }})
      {{ end }}common: {{ range .CommonLabels.SortedPairs }}{{ .Name }}={{ .Value }};{{ end }}
      names: {{ .CommonLabels.Names | join "," }} rest: {{ (.CommonLabels.Remove (stringSlice "alertname")).Values | join "," }}
      {{ if match "^disk" .CommonAnnotations.kind }}disk{{ else }}other{{ end }} {{ reReplaceAll "([a-z]+)-([0-9]+)" "$2-$1" "web-1" }} {{ .GroupLabels }} {{ len .Alerts.Resolved }}{{ end }}
      """;

  static final String CONFIG =
      """
      route:
        receiver: custom
        group_by: [alertname, team]
        group_wait: 1s
        group_interval: 1h
        repeat_interval: 4h
        routes:
          - matchers: ['team="db"']
            receiver: defaults
      templates: ['tmpl/*.tmpl']
      receivers:
        - name: custom
          slack_configs:
            - api_url: SINK/SIDE/custom
              channel: '#ops'
              title: '{{ template "vigil.test.title" . }}'
              text: '{{ template "vigil.test.text" . }}'
              pretext: '{{ .CommonLabels.team }} {{ .ExternalURL }}'
        - name: defaults
          slack_configs:
            - api_url: SINK/SIDE/defaults
      """;

  @Test
  void customAndDefaultSlackTexts_identicalToRealAlertmanager() throws Exception {
    assumeTrue(
        Files.isExecutable(TwoNotifiersTest.AM),
        "prometheus-alertmanager not installed (scripts/install-test-deps)");
    String sink = startSink();
    Files.createDirectories(dir.resolve("tmpl"));
    Files.writeString(dir.resolve("tmpl/test.tmpl"), TEMPLATES);
    int amPort = TwoNotifiersTest.freePort();
    Path amYml = dir.resolve("alertmanager.yml");
    Files.writeString(amYml, CONFIG.replace("SINK", sink).replace("SIDE", "am"));
    Process am =
        new ProcessBuilder(
                TwoNotifiersTest.AM.toString(),
                "--config.file=" + amYml,
                "--storage.path=" + dir.resolve("am-data"),
                "--web.listen-address=127.0.0.1:" + amPort,
                "--web.external-url=http://notify.example",
                "--cluster.listen-address=",
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("am.log").toFile())
            .start();
    closers.add(
        () -> {
          am.destroy();
          am.waitFor();
        });
    Path vigilYml = dir.resolve("vigil.yml");
    Files.writeString(vigilYml, CONFIG.replace("SINK", sink).replace("SIDE", "vigil"));
    BuiltinNotifier vigil =
        BuiltinNotifier.start(
            NotifyConfig.parse(vigilYml.toString(), Files.readString(vigilYml)),
            "http://notify.example");
    closers.add(vigil);
    HttpServer api = TwoNotifiersTest.serveApi(vigil);
    closers.add(() -> api.stop(0));
    String vigilUrl = "http://127.0.0.1:" + api.getAddress().getPort();
    String amUrl = "http://127.0.0.1:" + amPort;
    TwoNotifiersTest.await(() -> get(amUrl + "/-/ready") == 200, "Alertmanager ready");

    Instant t0 = Instant.now();
    String alerts =
        "["
            + alert("HighLatency", "web-1", "web", "Latency HIGH on web-1", t0)
            + ","
            + alert("HighLatency", "web-2", "web", "Latency HIGH on web-2", t0)
            + ","
            + alert("DiskFull", "db-1", "db", "Disk 97% full", t0)
            + ","
            + alert("DiskFull", "db-2", "db", "Disk 99% full", t0)
            + "]";
    for (String base : List.of(amUrl, vigilUrl)) {
      assertThat(post(base + "/api/v2/alerts", alerts)).isEqualTo(200);
    }
    TwoNotifiersTest.await(() -> received.size() == 4, () -> "four messages: " + received.keySet());

    for (String receiver : List.of("custom", "defaults")) {
      JsonNode a = received.get("am/" + receiver).get("attachments").get(0);
      JsonNode v = received.get("vigil/" + receiver).get("attachments").get(0);
      // Every field as Alertmanager renders it, but the default text: Vigil's lists the alerts
      // with their annotations where Alertmanager's is empty (alertmanager #250).
      List<String> fields =
          receiver.equals("custom")
              ? List.of("title", "text", "pretext", "fallback", "title_link")
              : List.of("title", "pretext", "fallback", "title_link");
      for (String field : fields) {
        assertThat(String.valueOf(v.get(field)))
            .as(receiver + " " + field)
            .isEqualTo(String.valueOf(a.get(field)));
      }
    }
    // Not vacuous: the custom texts rendered what the template file defines.
    JsonNode custom = received.get("vigil/custom").get("attachments").get(0);
    assertThat(custom.get("title").asText()).isEqualTo("[FIRING:2] HighLatency for Custom");
    assertThat(custom.get("text").asText())
        .contains("* web-1: latency high on web-1 (firing, ")
        .contains("common: alertname=HighLatency;kind=latency;team=web;")
        .contains("rest: latency,web")
        .contains("other 1-web");
    assertThat(received.get("vigil/defaults").get("attachments").get(0).get("title").asText())
        .isEqualTo("[FIRING:2] DiskFull db (disk)");
    assertThat(received.get("vigil/defaults").get("attachments").get(0).get("text").asText())
        .contains("*Alerts Firing:*", " - summary = Disk 97% full", " - summary = Disk 99% full");
  }

  private static String alert(
      String name, String instance, String team, String summary, Instant t) {
    return """
        {"labels":{"alertname":"%s","instance":"%s","team":"%s","kind":"%s"},
         "annotations":{"summary":"%s","kind":"%s"},
         "startsAt":"%s","generatorURL":"http://prom.example/graph"}"""
        .formatted(
            name,
            instance,
            team,
            team.equals("db") ? "disk" : "latency",
            summary,
            team.equals("db") ? "disk" : "latency",
            t);
  }

  private String startSink() throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.createContext(
        "/",
        ex -> {
          byte[] body = ex.getRequestBody().readAllBytes();
          received.put(ex.getRequestURI().getPath().substring(1), Integrations.JSON.readTree(body));
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    s.start();
    closers.add(() -> s.stop(0));
    return "http://127.0.0.1:" + s.getAddress().getPort();
  }

  private int get(String url) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create(url)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private int post(String url, String json) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
