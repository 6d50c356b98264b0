package dev.vigil.server.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.CollectConfig;
import dev.vigil.server.config.ConfigException;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.VigilConfig;
import java.net.URI;
import java.net.URLEncoder;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert history through the server: {@code /api/v1/alerts/history} (filters, limits, bad
 * input), {@code vigil_alert_state_changes_total}, flapping in {@code /api/v1/alerts}, the config
 * keys, and a clean restart. Groups run every hour: the test evaluates them ({@code evaluateAt}).
 */
class AlertHistoryServerTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static final String RULES =
      """
      groups:
      - name: g
        interval: 1h
        rules:
        - alert: Down
          expr: test_up == 0
          for: 1m
          labels: {severity: page}
          annotations: {summary: "{{ $labels.instance }} is down"}
      """;

  @TempDir Path dir;
  final HttpClient http = HttpClient.newHttpClient();
  final long t0 = System.currentTimeMillis() / 1000 * 1000;

  private Vigil start(String extraConfig) throws Exception {
    Files.writeString(dir.resolve("rules.yml"), RULES);
    Path yml = dir.resolve("vigil.yml");
    Files.writeString(yml, "rule_files: [rules.yml]\n" + extraConfig);
    VigilConfig c =
        ConfigLoader.load(yml, Map.of())
            .withListen("127.0.0.1", 0)
            .withStoragePath(dir.resolve("data"))
            .withCollect(new CollectConfig(Duration.ofMinutes(10), false, false, false, false, ""));
    return Vigil.builder(c).configFile(yml).start();
  }

  private static void up(Vigil v, long t, double value) throws Exception {
    Appender app = v.storage().appender();
    app.append(0, Labels.of("__name__", "test_up", "instance", "a"), t, value);
    app.commit();
  }

  /** inactive → pending (t0), → firing (t0+60 s), → inactive (t0+120 s). */
  private void cycle(Vigil v) throws Exception {
    up(v, t0 - 1000, 0);
    v.rules().evaluateAt(t0);
    v.rules().evaluateAt(t0 + 60_000);
    up(v, t0 + 61_000, 1);
    v.rules().evaluateAt(t0 + 120_000);
  }

  @Test
  void everyChange_isInTheHistory_newestFirst_withItsLabelsValueAndRule() throws Exception {
    try (Vigil v = start("")) {
      cycle(v);
      JsonNode changes = history(v, "");
      assertThat(transitions(changes))
          .containsExactly("firing>inactive", "pending>firing", "inactive>pending");
      JsonNode firing = changes.get(1);
      assertThat(firing.path("labels").toString())
          .isEqualTo("{\"alertname\":\"Down\",\"instance\":\"a\",\"severity\":\"page\"}");
      assertThat(firing.path("annotations").path("summary").asText()).isEqualTo("a is down");
      assertThat(firing.path("value").asText()).isEqualTo("0e+00");
      assertThat(firing.path("time").asText())
          .isEqualTo(Instant.ofEpochMilli(t0 + 60_000).toString());
      assertThat(firing.path("activeAt").asText()).isEqualTo(Instant.ofEpochMilli(t0).toString());
      assertThat(firing.path("group").asText()).isEqualTo("g");
      assertThat(firing.path("file").asText()).endsWith("rules.yml");
      assertThat(firing.path("flapping").asBoolean()).isFalse();
      assertThat(firing.path("notified").isArray()).isTrue();
      assertThat(changes.get(0).path("value").asText())
          .as("the last value seen")
          .isEqualTo("0e+00");

      assertThat(history(v, "match[]=" + enc("{alertname=\"Down\",severity=~\"p.*\"}"))).hasSize(3);
      assertThat(history(v, "match[]=" + enc("{alertname=\"Other\"}"))).isEmpty();
      // A selector's metric name is the alert's name.
      assertThat(history(v, "match[]=" + enc("Down{instance=\"a\"}"))).hasSize(3);
      assertThat(history(v, "match[]=" + enc("Other"))).isEmpty();
      assertThat(
              transitions(
                  history(v, "start=" + (t0 + 30_000) / 1000 + "&end=" + (t0 + 90_000) / 1000)))
          .containsExactly("pending>firing");
      JsonNode one = get(v, "/api/v1/alerts/history?limit=1").path("data");
      assertThat(one.path("changes")).hasSize(1);
      assertThat(one.path("truncated").asBoolean()).isTrue();
      assertThat(get(v, "/api/v1/alerts/history").path("data").path("truncated").asBoolean())
          .isFalse();

      String metrics = send(v, "/metrics").body();
      assertThat(metrics)
          .contains("vigil_alert_state_changes_total{alertname=\"Down\",to=\"pending\"} 1")
          .contains("vigil_alert_state_changes_total{alertname=\"Down\",to=\"firing\"} 1")
          .contains("vigil_alert_state_changes_total{alertname=\"Down\",to=\"inactive\"} 1");
    }
    // A clean restart: the same history.
    try (Vigil v = start("")) {
      assertThat(transitions(history(v, "")))
          .containsExactly("firing>inactive", "pending>firing", "inactive>pending");
    }
  }

  @Test
  void badParameters_are400sNamingTheProblem() throws Exception {
    try (Vigil v = start("")) {
      assertBad(v, "limit=-1", "limit");
      assertBad(v, "limit=x", "limit");
      assertBad(v, "limit=10001", "at most 10000");
      assertBad(v, "start=yesterday", "start");
      assertBad(v, "end=1&start=2", "end");
      assertBad(v, "match[]=" + enc("{alertname="), "parse error");
      StringBuilder many = new StringBuilder();
      for (int i = 0; i < 101; i++) {
        many.append("match[]=").append(enc("{a=\"" + i + "\"}")).append('&');
      }
      assertBad(v, many.toString(), "at most 100 selectors");
    }
  }

  private void assertBad(Vigil v, String query, String mentions) throws Exception {
    HttpResponse<String> r = send(v, "/api/v1/alerts/history?" + query);
    assertThat(r.statusCode()).as(query + ": " + r.body()).isEqualTo(400);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.path("errorType").asText()).isEqualTo("bad_data");
    assertThat(body.path("error").asText()).contains(mentions).doesNotContain("Exception");
  }

  @Test
  void moreChangesThanConfigured_marksTheAlertFlapping_inAlertsAndHistory() throws Exception {
    try (Vigil v = start("rules:\n  flapping:\n    changes: 3\n    window: 1h\n")) {
      cycle(v); // three changes: not flapping yet
      up(v, t0 + 121_000, 0);
      v.rules().evaluateAt(t0 + 180_000); // the fourth: pending again
      JsonNode alert = get(v, "/api/v1/alerts").path("data").path("alerts").get(0);
      assertThat(alert.path("state").asText()).isEqualTo("pending");
      assertThat(alert.path("flapping").asBoolean()).isTrue();
      JsonNode changes = history(v, "");
      assertThat(changes.get(0).path("flapping").asBoolean()).isTrue();
      assertThat(changes.get(1).path("flapping").asBoolean()).isFalse();
      JsonNode rules = get(v, "/api/v1/rules").path("data").path("groups").get(0).path("rules");
      assertThat(rules.get(0).path("alerts").get(0).path("flapping").asBoolean()).isTrue();
    }
    try (Vigil v = start("")) {
      up(v, t0 + 181_000, 0);
      v.rules().evaluateAt(t0 + 240_000);
      // Default: more than 6 changes in 1 h; this alert has had 4 (+ its restore, not a change).
      JsonNode alert = get(v, "/api/v1/alerts").path("data").path("alerts").get(0);
      assertThat(alert.path("flapping").asBoolean()).isFalse();
    }
  }

  @Test
  void flappingAndHistoryKeys_areChecked() throws Exception {
    Files.writeString(dir.resolve("rules.yml"), RULES);
    Path yml = dir.resolve("vigil.yml");
    Files.writeString(yml, "rules:\n  flapping:\n    changes: 0\n");
    assertThatThrownBy(() -> ConfigLoader.load(yml, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("rules.flapping.changes");
    Files.writeString(yml, "rules:\n  history:\n    max_size: 1KB\n");
    assertThatThrownBy(() -> ConfigLoader.load(yml, Map.of()))
        .hasMessageContaining("rules.history.max_size: must be at least 64KiB");
    Files.writeString(yml, "rules:\n  flapping:\n    limit: 3\n");
    assertThatThrownBy(() -> ConfigLoader.load(yml, Map.of())).hasMessageContaining("unknown key");
  }

  private static List<String> transitions(JsonNode changes) {
    List<String> out = new ArrayList<>();
    changes.forEach(c -> out.add(c.path("from").asText() + ">" + c.path("to").asText()));
    return out;
  }

  private JsonNode history(Vigil v, String query) throws Exception {
    return get(v, "/api/v1/alerts/history?" + query).path("data").path("changes");
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private HttpResponse<String> send(Vigil v, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(v.url() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode get(Vigil v, String path) throws Exception {
    HttpResponse<String> r = send(v, path);
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }
}
