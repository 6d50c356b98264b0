package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
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
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Regex bombs and RE2-invalid patterns through a running server, and the timeout of the metadata
 * endpoints ({@code /api/v1/series}, {@code /labels}, {@code /label/<name>/values}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegexAndMetadataTimeoutApiTest {
  /** Fixed sample time (s): nothing depends on the wall clock. */
  static final long T = 1_700_000_000L;

  /** Generous guard: a backtracking engine takes minutes on these; RE2 takes milliseconds. */
  static final Duration PROMPTLY = Duration.ofSeconds(20);

  Vigil vigil;
  final HttpClient client = HttpClient.newHttpClient();

  @BeforeAll
  void start(@TempDir Path dir) {
    ServerConfig d = ServerConfig.defaults();
    ServerConfig sc =
        new ServerConfig(
            "127.0.0.1", 0, List.of(), List.of(), List.of(), false, d.tls(), d.limits());
    VigilConfig c =
        VigilConfig.defaults()
            .withServer(sc)
            .withStoragePath(dir.resolve("data"))
            .withCollect(new CollectConfig(Duration.ofSeconds(60), false, false, false, false, ""));
    vigil = Vigil.start(c);
    // The reproduction: 100 series v="aaaaaaaaaaaaaaaaaaaaaaaaaa!N".
    Appender app = vigil.storage().appender();
    for (int i = 0; i < 100; i++) {
      Labels l = Labels.of("__name__", "rbomb", "v", "a".repeat(26) + "!" + i);
      app.append(0, l, T * 1000, i);
    }
    // A name "(.*){20}b" cannot match: a backtracking engine tries every split of it.
    app.append(0, Labels.of("__name__", "http_server_requests_seconds_count_total"), T * 1000, 1);
    app.commit();
  }

  @AfterAll
  void stop() {
    if (vigil != null) {
      vigil.close();
    }
  }

  private HttpResponse<String> get(String path, String... params) throws Exception {
    StringBuilder q = new StringBuilder(path).append('?');
    for (int i = 0; i < params.length; i += 2) {
      q.append(params[i])
          .append('=')
          .append(URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8))
          .append('&');
    }
    return client.send(
        HttpRequest.newBuilder(URI.create(vigil.url() + q)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> promptly(String path, String... params) {
    return assertTimeoutPreemptively(PROMPTLY, () -> get(path, params));
  }

  private static JsonNode body(HttpResponse<String> r) throws Exception {
    return Json.MAPPER.readTree(r.body());
  }

  private static void assertError(HttpResponse<String> r, int status, String type, String message)
      throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    JsonNode j = body(r);
    assertThat(j.get("errorType").asText()).isEqualTo(type);
    assertThat(j.get("error").asText()).contains(message).doesNotContain("Exception");
  }

  @Test
  void query_nestedQuantifierBomb_answersPromptly() throws Exception {
    HttpResponse<String> r =
        promptly(
            "/api/v1/query",
            "query",
            "count(rbomb{v=~\"((a+)+)+b\"})",
            "time",
            Long.toString(T),
            "timeout",
            "3s");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(body(r).at("/data/result").size()).isZero();
  }

  @Test
  void query_repeatedDotStarBombOnNames_answersPromptly() throws Exception {
    HttpResponse<String> r =
        promptly(
            "/api/v1/query",
            "query",
            "count({__name__=~\"(.*){20}b\"})",
            "time",
            Long.toString(T),
            "timeout",
            "3s");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    // The 100 "rbomb" series end in b; the other name does not.
    assertThat(body(r).at("/data/result/0/value/1").asText()).isEqualTo("100");
  }

  @Test
  void query_bombMatcherThatMatches_countsAllSeries() throws Exception {
    HttpResponse<String> r =
        promptly(
            "/api/v1/query", "query", "count(rbomb{v=~\"((a+)+)+!.*\"})", "time", Long.toString(T));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(body(r).at("/data/result/0/value/1").asText()).isEqualTo("100");
  }

  @Test
  void series_bombMatcher_answersPromptly() throws Exception {
    HttpResponse<String> r =
        promptly(
            "/api/v1/series",
            "match[]",
            "rbomb{v=~\"((a+)+)+b\"}",
            "start",
            Long.toString(T - 60),
            "end",
            Long.toString(T + 60));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(body(r).get("data").size()).isZero();
  }

  @Test
  void series_bombMatcherPastItsTimeout_is503Timeout() throws Exception {
    HttpResponse<String> r =
        promptly(
            "/api/v1/series",
            "match[]",
            "rbomb{v=~\"((a+)+)+b\"}",
            "start",
            Long.toString(T - 60),
            "end",
            Long.toString(T + 60),
            "timeout",
            "0");
    assertError(r, 503, "timeout", "timed out");
  }

  @Test
  void labels_pastTimeout_is503Timeout() throws Exception {
    assertError(
        promptly("/api/v1/labels", "match[]", "rbomb{v=~\".*\"}", "timeout", "0"),
        503,
        "timeout",
        "timed out");
    assertError(promptly("/api/v1/labels", "timeout", "0"), 503, "timeout", "timed out");
  }

  @Test
  void labelValues_pastTimeout_is503Timeout() throws Exception {
    assertError(
        promptly("/api/v1/label/v/values", "match[]", "rbomb", "timeout", "0"),
        503,
        "timeout",
        "timed out");
  }

  @Test
  void labelValues_withinTimeout_answers() throws Exception {
    HttpResponse<String> r =
        promptly(
            "/api/v1/label/v/values",
            "match[]",
            "rbomb{v=~\"a+!1.*\"}",
            "start",
            Long.toString(T - 60),
            "end",
            Long.toString(T + 60),
            "timeout",
            "30s");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    // !1 and !10..!19
    assertThat(body(r).get("data").size()).isEqualTo(11);
  }

  @ParameterizedTest
  @ValueSource(strings = {"(a)\\\\1", "(?=a)", "a++"})
  void query_patternRe2Refuses_is400BadDataNamingIt(String escaped) throws Exception {
    HttpResponse<String> r =
        promptly(
            "/api/v1/query", "query", "rbomb{v=~\"" + escaped + "\"}", "time", Long.toString(T));
    assertError(r, 400, "bad_data", "invalid regular expression");
    assertThat(body(r).get("error").asText()).contains("at position");
  }

  @Test
  void query_patternTooLargeToCompile_is400BeforeCompiling() throws Exception {
    HttpResponse<String> r =
        promptly(
            "/api/v1/query",
            "query",
            "rbomb{v=~\"((a{1000}){1000}){1000}\"}",
            "time",
            Long.toString(T));
    assertError(r, 400, "bad_data", "expression too large");
  }

  @ParameterizedTest
  @ValueSource(strings = {"(a)\\\\1", "(?=a)", "a++"})
  void series_patternRe2Refuses_is400BadData(String escaped) throws Exception {
    HttpResponse<String> r = promptly("/api/v1/series", "match[]", "rbomb{v=~\"" + escaped + "\"}");
    assertError(r, 400, "bad_data", "invalid regular expression");
  }
}
