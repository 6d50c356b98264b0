package dev.vigil.server.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.ConfigException;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.http.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Anomaly detection in a running server: the {@code anomaly} section, the marks API with its errors
 * and limit, marks and state kept across a restart, the generated alert in the rules API, and the
 * output series answering PromQL.
 */
class AnomalyServerTest {
  static final long T0 = 1_767_571_200_000L; // a Monday, 00:00 UTC
  static final long MIN = 60_000;

  @TempDir Path dir;
  final HttpClient http = HttpClient.newHttpClient();
  final AtomicLong now = new AtomicLong(T0);

  String yaml(String anomaly) {
    return """
        server:
          listen: 127.0.0.1:0
        storage:
          path: %s
        collect:
          system: false
          jvm: false
          gpu: false
          self: false
        %s
        """
        .formatted(dir.resolve("data"), anomaly);
  }

  static final String SECTION =
      """
      anomaly:
        max_marks: 2
        marks:
          - name: reqs
            expr: requests
            threshold: 4
            alert: true
            for: 3m
      """;

  Vigil start(String anomaly) throws Exception {
    Path file = dir.resolve("vigil.yml");
    Files.writeString(file, yaml(anomaly));
    return Vigil.builder(ConfigLoader.load(file, Map.of()))
        .configFile(file)
        .clock(now::get)
        .start();
  }

  HttpResponse<String> get(Vigil v, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(v.url() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(Vigil v, String path, String... kv) throws Exception {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < kv.length; i += 2) {
      parts.add(kv[i] + "=" + URLEncoder.encode(kv[i + 1], StandardCharsets.UTF_8));
    }
    return http.send(
        HttpRequest.newBuilder(URI.create(v.url() + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(String.join("&", parts)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> delete(Vigil v, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(v.url() + path)).DELETE().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode data(HttpResponse<String> r) throws Exception {
    return Json.MAPPER.readTree(r.body()).get("data");
  }

  @Test
  void configAndApiMarks_areListed_badInputIsA400NamingIt_andTheLimitHolds() throws Exception {
    try (Vigil v = start(SECTION)) {
      HttpResponse<String> bad = post(v, "/api/v1/anomaly/marks", "expr", "rate(requests[5m]");
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body()).contains("expr does not parse").doesNotContain("Exception");
      assertThat(post(v, "/api/v1/anomaly/marks").body()).contains("expr is missing");
      assertThat(post(v, "/api/v1/anomaly/marks", "expr", "up", "threshold", "x").body())
          .contains("threshold \\\"x\\\" is not a number");
      assertThat(post(v, "/api/v1/anomaly/marks", "expr", "up", "name", "reqs").body())
          .contains("name \\\"reqs\\\" is a mark of vigil.yml");

      assertThat(post(v, "/api/v1/anomaly/marks", "expr", "up").statusCode()).isEqualTo(200);
      assertThat(post(v, "/api/v1/anomaly/marks", "expr", "up", "name", "up2").statusCode())
          .isEqualTo(200);
      HttpResponse<String> third = post(v, "/api/v1/anomaly/marks", "expr", "up", "name", "up3");
      assertThat(third.statusCode()).isEqualTo(400);
      assertThat(third.body()).contains("too many marks: anomaly.max_marks is 2");

      JsonNode marks = data(get(v, "/api/v1/anomaly/marks"));
      assertThat(marks).hasSize(3);
      assertThat(marks.get(0).get("name").asText()).isEqualTo("reqs");
      assertThat(marks.get(0).get("source").asText()).isEqualTo("config");
      assertThat(marks.get(0).get("threshold").asDouble()).isEqualTo(4.0);
      assertThat(marks.get(1).get("name").asText()).startsWith("chart_");
      assertThat(marks.get(1).get("source").asText()).isEqualTo("api");

      assertThat(delete(v, "/api/v1/anomaly/marks/reqs").body()).contains("defined in vigil.yml");
      assertThat(delete(v, "/api/v1/anomaly/marks/nope").statusCode()).isEqualTo(404);
      assertThat(delete(v, "/api/v1/anomaly/marks/up2").statusCode()).isEqualTo(200);
      assertThat(data(get(v, "/api/v1/anomaly/marks"))).hasSize(2);
    }
  }

  @Test
  void markAskingForAnAlert_appearsAsARuleInTheRulesApi_alsoWhenMadeThroughTheApi()
      throws Exception {
    try (Vigil v = start(SECTION)) {
      post(v, "/api/v1/anomaly/marks", "expr", "up", "name", "ups", "alert", "true");
      JsonNode groups = data(get(v, "/api/v1/rules")).get("groups");
      assertThat(groups).hasSize(1);
      assertThat(groups.get(0).get("file").asText()).isEqualTo("vigil.yml#anomaly");
      JsonNode rules = groups.get(0).get("rules");
      assertThat(rules).hasSize(2);
      assertThat(rules.get(0).get("query").asText())
          .isEqualTo("abs(vigil:anomaly:score{anomaly=\"reqs\"}) > 4");
      assertThat(rules.get(0).get("duration").asDouble()).isEqualTo(180);
      assertThat(rules.get(1).get("query").asText())
          .isEqualTo("abs(vigil:anomaly:score{anomaly=\"ups\"}) > 3.5");

      delete(v, "/api/v1/anomaly/marks/ups");
      assertThat(data(get(v, "/api/v1/rules")).get("groups").get(0).get("rules")).hasSize(1);
    }
  }

  @Test
  void outputSeries_answerPromQL_andMarksAndStateSurviveARestart() throws Exception {
    long end = T0 + 40 * MIN;
    try (Vigil v = start(SECTION)) {
      post(v, "/api/v1/anomaly/marks", "expr", "requests * 2", "name", "double");
      for (long t = T0; t < end; t += MIN) {
        Appender a = v.storage().appender();
        a.append(0, Labels.of("__name__", "requests", "job", "api"), t, 100 + (t / MIN) % 3);
        a.commit();
        now.set(t);
        v.anomaly().detector().evaluateAt(t);
      }
      JsonNode r =
          data(
              get(
                  v,
                  "/api/v1/query?time="
                      + (end - MIN) / 1000
                      + "&query="
                      + URLEncoder.encode(
                          "vigil:anomaly:upper{anomaly=\"reqs\"}", StandardCharsets.UTF_8)));
      JsonNode s = r.get("result").get(0);
      assertThat(s.get("metric").get("anomaly_metric").asText()).isEqualTo("requests");
      assertThat(s.get("metric").get("job").asText()).isEqualTo("api");
      assertThat(s.get("value").get(1).asDouble()).isGreaterThan(101);

      JsonNode series = data(get(v, "/api/v1/anomaly/marks")).get(0).get("series").get(0);
      assertThat(series.get("model").asText()).isEqualTo("rolling");
      assertThat(Double.parseDouble(series.get("score").asText())).isBetween(-4.0, 4.0);
    }
    assertThat(Files.exists(dir.resolve("data/anomaly/state.bin"))).isTrue();
    try (Vigil v = start(SECTION)) {
      JsonNode marks = data(get(v, "/api/v1/anomaly/marks"));
      assertThat(marks).hasSize(2);
      assertThat(marks.get(1).get("name").asText()).isEqualTo("double");
      // The state came back: a band from the first evaluation, where a new series warms up.
      now.set(end);
      v.anomaly().detector().evaluateAt(end);
      marks = data(get(v, "/api/v1/anomaly/marks"));
      assertThat(marks.get(0).get("series").get(0).get("model").asText()).isEqualTo("rolling");
      assertThat(marks.get(1).get("series").get(0).get("model").asText()).isEqualTo("rolling");
    }
  }

  @Test
  void stateSavedEveryFiveMinutes_survivesACrash_withoutTheSaveAtClose() throws Exception {
    Path crashed = dir.resolve("crashed");
    try (Vigil v = start(SECTION)) {
      for (long t = T0; t <= T0 + 20 * MIN; t += MIN) {
        Appender a = v.storage().appender();
        a.append(0, Labels.of("__name__", "requests", "job", "api"), t, 100 + (t / MIN) % 3);
        a.commit();
        now.set(t);
        v.anomaly().tick();
      }
      // The server is still running: what is on disk now is what a kill -9 would leave.
      Path state = dir.resolve("data/anomaly/state.bin");
      assertThat(Files.exists(state)).as("saved by the 5-minute save, not by a close").isTrue();
      Files.createDirectories(crashed.resolve("anomaly"));
      Files.copy(state, crashed.resolve("anomaly/state.bin"));
    }
    Files.delete(dir.resolve("data/anomaly/state.bin"));
    Files.copy(crashed.resolve("anomaly/state.bin"), dir.resolve("data/anomaly/state.bin"));
    try (Vigil v = start(SECTION)) {
      // Saved at 20 min, in the fifth slot: the band is there at once (a new series would warm up).
      now.set(T0 + 21 * MIN);
      v.anomaly().detector().evaluateAt(T0 + 21 * MIN);
      JsonNode series = data(get(v, "/api/v1/anomaly/marks")).get(0).get("series").get(0);
      assertThat(series.get("model").asText()).isEqualTo("rolling");
    }
  }

  @Test
  void reload_appliesANewMarkAndKeepsTheOthers() throws Exception {
    try (Vigil v = start(SECTION)) {
      Files.writeString(
          dir.resolve("vigil.yml"),
          yaml(SECTION + "    - name: more\n      expr: sum(requests)\n"));
      assertThat(v.reload()).isNull();
      assertThat(v.anomaly().all()).extracting(m -> m.name()).containsExactly("reqs", "more");
    }
  }

  @Test
  void badSection_isRefusedWithTheKeyAndLine() {
    Assertions.assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    "vigil.yml",
                    yaml("anomaly:\n  marks:\n    - name: x\n      expr: rate(a[5m]\n"),
                    Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("anomaly.marks[0].expr")
        .hasMessageContaining("expr does not parse");
    Assertions.assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    "vigil.yml",
                    yaml("anomaly:\n  marks:\n    - name: x\n      expr: a\n      step: 11m\n"),
                    Map.of()))
        .hasMessageContaining("step must be at least 1s and divide a week evenly");
  }
}
