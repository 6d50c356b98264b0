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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules in the server: start with a broken file, reload (good, broken, fixed) without losing
 * alert state, the API's filters and bad input, the self-metrics and the health score's input.
 * Groups run every hour, so nothing evaluates unless the test says when ({@code evaluateAt}).
 */
class RulesServerTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static final String V1 =
      """
      groups:
      - name: g
        interval: 1h
        rules:
        - alert: Down
          expr: test_up == 0
          labels: {severity: page}
          annotations: {summary: "{{ $labels.instance }} is down"}
      """;

  static final String V2 =
      V1
          + """
        - record: test:up:count
          expr: count(test_up)
      - name: other
        interval: 1h
        rules:
        - record: other:rule
          expr: vector(1)
      """;

  static final String BROKEN =
      """
      groups:
      - name: g
        interval: 1h
        rules:
        - alert: Down
          expr: test_up ==
      """;

  @TempDir Path dir;
  final HttpClient http = HttpClient.newHttpClient();

  private Vigil start() throws Exception {
    Path yml = dir.resolve("vigil.yml");
    Files.writeString(yml, "rule_files: ['rules/*.yml']\n");
    VigilConfig c = config(yml);
    return Vigil.builder(c).configFile(yml).start();
  }

  private VigilConfig config(Path yml) {
    return ConfigLoader.load(yml, Map.of())
        .withListen("127.0.0.1", 0)
        .withStoragePath(dir.resolve("data"))
        .withCollect(new CollectConfig(Duration.ofMinutes(10), false, false, false, false, ""));
  }

  private void rules(String yaml) throws Exception {
    Files.createDirectories(dir.resolve("rules"));
    Files.writeString(dir.resolve("rules/a.yml"), yaml);
  }

  @Test
  void brokenRuleFile_atStart_isAClearErrorNamingFileLineAndRule() throws Exception {
    rules(BROKEN);
    Path yml = dir.resolve("vigil.yml");
    Files.writeString(yml, "rule_files: ['rules/*.yml']\n");
    assertThatThrownBy(() -> ConfigLoader.load(yml, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            dir.resolve("rules/a.yml")
                + ":6: group \"g\", rule 1, \"Down\": could not parse"
                + " expression: 1:11: parse error: unexpected end of input");
    Files.writeString(yml, "rule_files: [missing.yml]\n");
    assertThatThrownBy(() -> ConfigLoader.load(yml, Map.of()))
        .hasMessageContaining(dir.resolve("missing.yml") + ": no such file");
    // Loaded while valid, broken before serve reads it: serve refuses too.
    rules(V1);
    Files.writeString(yml, "rule_files: ['rules/*.yml']\n");
    VigilConfig c = config(yml);
    rules(BROKEN);
    assertThatThrownBy(() -> Vigil.start(c))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("rule 1, \"Down\": could not parse expression");
  }

  @Test
  void reload_keepsAlertState_aBrokenFileKeepsTheRunningRules_andSaysWhere() throws Exception {
    rules(V1);
    try (Vigil vigil = start()) {
      long now = System.currentTimeMillis() / 1000 * 1000;
      Appender app = vigil.storage().appender();
      app.append(0, Labels.of("__name__", "test_up", "instance", "a"), now - 1000, 0);
      app.append(0, Labels.of("__name__", "test_up", "instance", "b"), now - 1000, 1);
      app.commit();
      vigil.rules().evaluateAt(now);
      JsonNode alert = get(vigil, "/api/v1/alerts").path("data").path("alerts").get(0);
      assertThat(alert.path("state").asText()).isEqualTo("firing");
      assertThat(alert.path("annotations").path("summary").asText()).isEqualTo("a is down");
      assertThat(alert.path("value").asText()).isEqualTo("0e+00");
      assertThat(vigil.host().health().compute().contributions())
          .filteredOn(c -> c.input().equals("alerts"))
          .singleElement()
          .satisfies(c -> assertThat(c.value()).isEqualTo(1));

      rules(V2);
      assertThat(reload(vigil).statusCode()).isEqualTo(200);
      JsonNode after = get(vigil, "/api/v1/alerts").path("data").path("alerts").get(0);
      assertThat(after).isEqualTo(alert); // same alert, same activeAt: not new
      assertThat(get(vigil, "/api/v1/rules").path("data").path("groups")).hasSize(2);

      rules(BROKEN);
      HttpResponse<String> r = reload(vigil);
      assertThat(r.statusCode()).isEqualTo(500);
      assertThat(r.body()).contains("a.yml:6: group \\\"g\\\", rule 1, \\\"Down\\\"");
      JsonNode rulesAnswer = get(vigil, "/api/v1/rules");
      assertThat(rulesAnswer.path("data").path("groups")).hasSize(2); // the old rules run on
      assertThat(rulesAnswer.path("warnings").get(0).asText())
          .startsWith("rule files not reloaded, the previous rules keep running: ")
          .contains("a.yml:6: group \"g\", rule 1, \"Down\": could not parse expression");
      assertThat(metrics(vigil)).contains("vigil_rule_config_last_reload_successful 0");
      vigil.rules().evaluateAt(now + 60_000);
      assertThat(get(vigil, "/api/v1/alerts").path("data").path("alerts").get(0).path("activeAt"))
          .isEqualTo(alert.path("activeAt"));

      rules(V2);
      assertThat(reload(vigil).statusCode()).isEqualTo(200);
      assertThat(get(vigil, "/api/v1/rules").has("warnings")).isFalse();
      assertThat(metrics(vigil)).contains("vigil_rule_config_last_reload_successful 1");
    }
  }

  @Test
  void rulesApi_filters_badInput_andSelfMetrics() throws Exception {
    rules(V2);
    try (Vigil vigil = start()) {
      vigil.rules().evaluateAt(System.currentTimeMillis());
      assertThat(names(get(vigil, "/api/v1/rules?type=alert"))).isEqualTo("[g:Down]");
      assertThat(names(get(vigil, "/api/v1/rules?type=record")))
          .isEqualTo("[g:test:up:count, other:other:rule]");
      assertThat(names(get(vigil, "/api/v1/rules?rule_name[]=other:rule&rule_name[]=Down")))
          .isEqualTo("[g:Down, other:other:rule]");
      assertThat(names(get(vigil, "/api/v1/rules?rule_group[]=other")))
          .isEqualTo("[other:other:rule]");
      String file =
          URLEncoder.encode(dir.resolve("rules/a.yml").toString(), StandardCharsets.UTF_8);
      assertThat(names(get(vigil, "/api/v1/rules?file[]=" + file))).contains("g:Down");
      assertThat(names(get(vigil, "/api/v1/rules?file[]=nope.yml"))).isEqualTo("[]");

      HttpResponse<String> bad = send(vigil, "/api/v1/rules?type=alerts");
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body())
          .contains("\"errorType\":\"bad_data\"")
          .contains("not supported value \\\"alerts\\\"")
          .doesNotContain("Exception");

      String m = metrics(vigil);
      String key = dir.resolve("rules/a.yml") + ";g";
      for (String name :
          new String[] {
            "vigil_rule_evaluation_duration_seconds",
            "vigil_rule_group_duration_seconds",
            "vigil_rule_evaluations_total",
            "vigil_rule_evaluation_failures_total",
            "vigil_rule_group_iterations_missed_total",
            "vigil_rule_group_iterations_total",
            "vigil_rule_group_last_evaluation_timestamp_seconds",
            "vigil_rule_group_last_duration_seconds",
            "vigil_rule_group_interval_seconds",
            "vigil_rule_group_rules",
            "vigil_rule_group_last_evaluation_samples",
            "vigil_rule_config_last_reload_successful"
          }) {
        assertThat(m).as(name).contains("# HELP " + name + " ");
      }
      assertThat(m)
          .contains("vigil_rule_evaluations_total{rule_group=\"" + key + "\"} 2")
          .contains("vigil_rule_group_rules{rule_group=\"" + key + "\"} 2")
          .contains("vigil_rule_group_interval_seconds{rule_group=\"" + key + "\"} 3600");
    }
  }

  private static String names(JsonNode rulesAnswer) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (JsonNode g : rulesAnswer.path("data").path("groups")) {
      for (JsonNode r : g.path("rules")) {
        out.add(g.path("name").asText() + ":" + r.path("name").asText());
      }
    }
    java.util.Collections.sort(out);
    return out.toString();
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

  private String metrics(Vigil v) throws Exception {
    return send(v, "/metrics").body();
  }

  private HttpResponse<String> reload(Vigil v) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(v.url() + "/-/reload"))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
