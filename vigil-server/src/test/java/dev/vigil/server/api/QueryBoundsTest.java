package dev.vigil.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.promql.parser.Parser;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.CollectConfig;
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

/**
 * The cost of a query request is bounded before work is allocated, through a real HTTP client
 * against a running server: numeric parameters with huge exponents, queries nested past {@link
 * Parser#MAX_DEPTH} and subqueries with billions of steps are answered with Prometheus' error
 * envelope at once (the guard timeouts only stop a regression from hanging the build).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryBoundsTest {
  private static final Duration GUARD = Duration.ofSeconds(5);
  private final HttpClient http = HttpClient.newHttpClient();
  private Vigil vigil;

  @BeforeAll
  void start(@TempDir Path dir) {
    vigil =
        Vigil.start(
            VigilConfig.defaults()
                .withListen("127.0.0.1", 0)
                .withStoragePath(dir.resolve("data"))
                .withCollect(
                    new CollectConfig(Duration.ofSeconds(1), false, false, false, false, "")));
  }

  @AfterAll
  void stop() {
    if (vigil != null) {
      vigil.close();
    }
  }

  private HttpResponse<String> get(String pathAndQuery) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(vigil.url() + pathAndQuery)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String query) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(vigil.url() + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("time=3456000&query=" + enc(query)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static JsonNode ok(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode j = Json.MAPPER.readTree(r.body());
    assertThat(j.get("status").asText()).isEqualTo("success");
    return j.get("data");
  }

  private static void error(HttpResponse<String> r, int status, String type, String message)
      throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    JsonNode j = Json.MAPPER.readTree(r.body());
    assertThat(j.get("status").asText()).isEqualTo("error");
    assertThat(j.get("errorType").asText()).isEqualTo(type);
    assertThat(j.get("error").asText()).contains(message);
  }

  @Test
  void numericParameterBombs_areAnsweredAtOnceOnEveryEndpoint() {
    assertTimeoutPreemptively(
        GUARD,
        () -> {
          // 1e-30000000 is zero, as Go's ParseFloat reads it: BigDecimal computed 10^30000000.
          JsonNode d = ok(get("/api/v1/query?query=1&time=1e-30000000"));
          assertThat(d.get("result").get(0).asDouble()).isZero();
          ok(get("/api/v1/query?query=1&time=1e-100000000"));
          error(
              get("/api/v1/query?query=1&time=1e%2B100000000"),
              400,
              "bad_data",
              "invalid parameter \"time\": cannot parse \"1e+100000000\" to a valid timestamp");
          error(
              get("/api/v1/query_range?query=1&start=0&end=60&step=1e-100000000"),
              400,
              "bad_data",
              "zero or negative query resolution step widths are not accepted");
          error(
              get("/api/v1/query_range?query=1&start=1e-30000000&end=1e-30000000x&step=1"),
              400,
              "bad_data",
              "invalid parameter \"end\": cannot parse \"1e-30000000x\" to a valid timestamp");
          error(
              get("/api/v1/query?query=1&time=0&timeout=1e-30000000"),
              503,
              "timeout",
              "query timed out");
          ok(get("/api/v1/series?match%5B%5D=up&start=1e-30000000&end=1e-100000000"));
          ok(get("/api/v1/labels?start=-1e-30000000&end=1e-100000000"));
          ok(get("/api/v1/label/job/values?start=1e-30000000"));
        });
  }

  @Test
  void nestingBombs_areBadDataOnEveryQueryEndpoint() {
    List<String> bombs =
        List.of(
            "(".repeat(1000) + "1" + ")".repeat(1000),
            "1" + "+1".repeat(999),
            "-".repeat(3000) + "1",
            "sum(".repeat(2000) + "up" + ")".repeat(2000));
    assertTimeoutPreemptively(
        GUARD,
        () -> {
          for (String path :
              List.of("/api/v1/query", "/api/v1/parse_query", "/api/v1/format_query")) {
            for (String q : bombs) {
              error(
                  post(path, q),
                  400,
                  "bad_data",
                  "parse error: expression too deeply nested: more than 128 levels");
            }
          }
        });
  }

  @Test
  void queriesAtTheDepthLimit_areAnsweredInFull() throws Exception {
    int n = Parser.MAX_DEPTH - 1;
    List<String> deep =
        List.of(
            "(".repeat(n) + "1" + ")".repeat(n),
            "1" + "+1".repeat(n),
            "-".repeat(n) + "up",
            "sum(".repeat(n) + "up" + ")".repeat(n),
            "abs(".repeat(n) + "up" + ")".repeat(n));
    for (String q : deep) {
      ok(post("/api/v1/query", q));
      assertThat(ok(post("/api/v1/format_query", q)).asText()).isNotEmpty();
      assertThat(ok(post("/api/v1/parse_query", q)).get("type").asText()).isNotEmpty();
    }
  }

  @Test
  void subqueryStepBombs_areExecutionErrorsNamingTheSubquery() {
    assertTimeoutPreemptively(
        GUARD,
        () -> {
          error(
              post("/api/v1/query", "count_over_time(vector(1)[24d:1ms])"),
              422,
              "execution",
              "subquery [3w3d:1ms] would evaluate 2,073,600,000 steps, more than the limit of"
                  + " 1,000,000 steps per range query or subquery");
          error(
              post("/api/v1/query", "count_over_time(vector(1)[25d:1ms])"),
              422,
              "execution",
              "2,160,000,000 steps");
          error(
              post("/api/v1/query", "max_over_time(seed[365d:1ms])"),
              422,
              "execution",
              "31,536,000,000 steps");
          error(
              get(
                  "/api/v1/query?time=3456000&timeout=5s&query="
                      + enc("count_over_time(seed[24d:1ms])")),
              422,
              "execution",
              "2,073,600,000 steps");
        });
  }

  @Test
  void rangeQueryOfARangeVector_isBadDataByType() throws Exception {
    error(
        get("/api/v1/query_range?start=0&end=60&step=15&query=" + enc("up[5m]")),
        400,
        "bad_data",
        "invalid expression type \"range vector\" for range query");
  }
}
