package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Every endpoint of a running Vigil through a real HTTP client, including Grafana's calls. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VigilApiTest {
  static final String ADMIN = "admin-token-0123456789";
  Path dir;
  Vigil vigil;
  final HttpClient client = HttpClient.newHttpClient();
  long t0;

  @BeforeAll
  void start(@TempDir Path tmp) {
    dir = tmp;
    ServerConfig d = ServerConfig.defaults();
    ServerConfig sc =
        new ServerConfig(
            "127.0.0.1", 0, List.of(), List.of(), List.of(ADMIN), false, d.tls(), d.limits());
    VigilConfig c =
        VigilConfig.defaults()
            .withServer(sc)
            .withStoragePath(dir.resolve("data"))
            .withCollect(
                new CollectConfig(Duration.ofSeconds(1), false, true, false, true, "app_"));
    vigil = Vigil.start(c);
    // One hour of a counter per code, every 15 s, ending one minute ago.
    long now = System.currentTimeMillis();
    t0 = (now - 3_600_000) / 15_000 * 15_000;
    Appender app = vigil.storage().appender();
    for (String code : List.of("200", "500")) {
      Labels l =
          Labels.of(
              "__name__", "demo_requests_total", "job", "demo", "instance", "a", "code", code);
      long ref = 0;
      for (int i = 0; i <= 236; i++) {
        ref = app.append(ref, l, t0 + i * 15_000L, i * (code.equals("200") ? 10 : 1));
      }
    }
    app.commit();
  }

  @AfterAll
  void stop() {
    if (vigil != null) {
      vigil.close();
    }
  }

  private HttpResponse<String> get(String pathAndQuery) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(vigil.url() + pathAndQuery)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String form, String token) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(vigil.url() + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
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
  void grafana_healthCheck_onePlusOne_byFormPost() throws Exception {
    JsonNode d = ok(post("/api/v1/query", "query=1%2B1&time=" + (t0 / 1000 + 0.5), null));
    assertThat(d.get("resultType").asText()).isEqualTo("scalar");
    assertThat(d.get("result").get(0).asDouble()).isEqualTo(t0 / 1000 + 0.5);
    assertThat(d.get("result").get(1).asText()).isEqualTo("2");
  }

  @Test
  void grafana_queryRange_withFloatTimesAndStep() throws Exception {
    double start = t0 / 1000.0 + 600.5;
    double end = start + 900;
    String form =
        "query="
            + enc("sum by (code) (rate(demo_requests_total[5m]))")
            + "&start="
            + start
            + "&end="
            + end
            + "&step=60";
    JsonNode d = ok(post("/api/v1/query_range", form, null));
    assertThat(d.get("resultType").asText()).isEqualTo("matrix");
    JsonNode series = d.get("result");
    assertThat(series.size()).isEqualTo(2);
    JsonNode first = series.get(0);
    assertThat(first.get("metric").get("code").asText()).isEqualTo("200");
    assertThat(first.get("values").size()).isEqualTo(16);
    assertThat(first.get("values").get(0).get(0).asDouble()).isEqualTo(start);
    // 10 per 15 s = 0.6666… per second.
    assertThat(Double.parseDouble(first.get("values").get(0).get(1).asText()))
        .isCloseTo(10 / 15.0, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void grafana_labelsAndValues_withMatch() throws Exception {
    String m = enc("demo_requests_total{job=\"demo\"}");
    JsonNode names =
        ok(
            get(
                "/api/v1/labels?match[]="
                    + m
                    + "&start="
                    + (t0 / 1000)
                    + "&end="
                    + (t0 / 1000 + 3600)));
    assertThat(names)
        .extracting(JsonNode::asText)
        .containsExactly("__name__", "code", "instance", "job");
    JsonNode values = ok(get("/api/v1/label/code/values?match[]=" + m));
    assertThat(values).extracting(JsonNode::asText).containsExactly("200", "500");
    JsonNode limited =
        Json.MAPPER.readTree(get("/api/v1/label/code/values?limit=1&match[]=" + m).body());
    assertThat(limited.get("data").size()).isEqualTo(1);
    assertThat(limited.get("warnings").get(0).asText()).contains("truncated");
    JsonNode all = ok(get("/api/v1/label/__name__/values"));
    assertThat(all).extracting(JsonNode::asText).contains("demo_requests_total");
  }

  @Test
  void buildinfo_andStatusEndpoints() throws Exception {
    assertThat(ok(get("/api/v1/status/buildinfo")).has("features")).isFalse();
    assertThat(ok(get("/api/v1/status/config")).get("yaml").isTextual()).isTrue();
    assertThat(ok(get("/api/v1/status/flags")).isObject()).isTrue();
    assertThat(ok(get("/api/v1/status/runtimeinfo")).get("storageRetention").asText())
        .isEqualTo("2w1d");
    JsonNode tsdb = ok(get("/api/v1/status/tsdb"));
    assertThat(tsdb.get("headStats").get("numSeries").asLong()).isGreaterThanOrEqualTo(2);
    assertThat(tsdb.get("seriesCountByMetricName").isArray()).isTrue();
    assertThat(ok(get("/api/v1/rules")).get("groups").size()).isZero();
    assertThat(ok(get("/api/v1/alerts")).get("alerts").size()).isZero();
    assertThat(ok(get("/api/v1/alertmanagers")).get("activeAlertmanagers").size()).isZero();
    assertThat(get("/-/ready").statusCode()).isEqualTo(200);
    // Ready means replayed: the WAL replay reports its last segment as the current one.
    JsonNode wal = ok(get("/api/v1/status/walreplay"));
    assertThat(wal.has("min")).isTrue();
    assertThat(wal.get("current").asInt()).isEqualTo(wal.get("max").asInt());
  }

  @Test
  void instantQuery_vector_andSeries() throws Exception {
    JsonNode d =
        ok(
            get(
                "/api/v1/query?query="
                    + enc("demo_requests_total{code=\"500\"}")
                    + "&time="
                    + (t0 / 1000 + 150)));
    assertThat(d.get("resultType").asText()).isEqualTo("vector");
    assertThat(d.get("result").get(0).get("value").get(1).asText()).isEqualTo("10");
    JsonNode s = ok(get("/api/v1/series?match[]=" + enc("demo_requests_total")));
    assertThat(s.size()).isEqualTo(2);
    assertThat(s.get(0).get("__name__").asText()).isEqualTo("demo_requests_total");
  }

  @Test
  void shortRequestTimeout_answers503Timeout() throws Exception {
    // A range query over 10 h with a subquery at 1 s resolution, within 1 µs: the engine gives up
    // at its first deadline check, or at the end of evaluation at the latest.
    String q = enc("max_over_time(rate(demo_requests_total[5m])[1h:1s])");
    long end = t0 / 1000 + 3600;
    error(
        get(
            "/api/v1/query_range?query="
                + q
                + "&start="
                + (end - 10 * 3600)
                + "&end="
                + end
                + "&step=60&timeout=0.000001"),
        503,
        "timeout",
        "query timed out");
    // timeout=0 has expired already, as in Prometheus; it does not mean "no timeout".
    error(get("/api/v1/query?query=1&timeout=0"), 503, "timeout", "query timed out");
    error(get("/api/v1/query?query=1&timeout=-1"), 503, "timeout", "query timed out");
    JsonNode ok = ok(get("/api/v1/query?query=1&timeout=30s"));
    assertThat(ok.get("resultType").asText()).isEqualTo("scalar");
  }

  @Test
  void formatQuery_andExemplars() throws Exception {
    assertThat(ok(get("/api/v1/format_query?query=" + enc("sum(rate(x[5m]))by(job)"))).asText())
        .isEqualTo("sum by (job) (rate(x[5m]))");
    assertThat(ok(get("/api/v1/query_exemplars?query=up")).size()).isZero();
    JsonNode ast =
        ok(get("/api/v1/parse_query?query=" + enc("sum by (job) (rate(x{a=\"b\"}[5m])) > 1")));
    assertThat(ast.get("type").asText()).isEqualTo("binaryExpr");
    assertThat(ast.get("op").asText()).isEqualTo(">");
    JsonNode agg = ast.get("lhs");
    assertThat(agg.get("type").asText()).isEqualTo("aggregation");
    assertThat(agg.get("grouping").get(0).asText()).isEqualTo("job");
    JsonNode call = agg.get("expr");
    assertThat(call.get("func").get("name").asText()).isEqualTo("rate");
    assertThat(call.get("func").get("argTypes").get(0).asText()).isEqualTo("matrix");
    JsonNode sel = call.get("args").get(0);
    assertThat(sel.get("type").asText()).isEqualTo("matrixSelector");
    assertThat(sel.get("range").asLong()).isEqualTo(300_000);
    assertThat(ast.get("rhs").get("val").asText()).isEqualTo("1");
    error(get("/api/v1/parse_query?query=" + enc("rate(")), 400, "bad_data", "parse error");
  }

  @Test
  void selfCollection_andScrapeTargets() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    JsonNode r = null;
    while (System.nanoTime() < deadline) {
      r = ok(get("/api/v1/query?query=" + enc("up{job=\"vigil\"}"))).get("result");
      if (r.size() > 0) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(r.size()).isEqualTo(1);
    assertThat(r.get(0).get("value").get(1).asText()).isEqualTo("1");
    JsonNode t = ok(get("/api/v1/targets"));
    assertThat(t.get("activeTargets").get(0).get("scrapePool").asText()).isEqualTo("vigil");
    JsonNode jvm =
        ok(get("/api/v1/query?query=" + enc("count({job=\"vigil\",__name__=~\"jvm_.*\"})")));
    assertThat(jvm.get("result").size()).isEqualTo(1);
    assertThat(ok(get("/api/v1/metadata")).size()).isGreaterThan(0);
  }

  @Test
  void federate_returnsLatestSamplesInTextFormat() throws Exception {
    Appender app = vigil.storage().appender();
    long now = System.currentTimeMillis();
    app.append(0, Labels.of("__name__", "fed_metric", "job", "f"), now, 42);
    app.commit();
    HttpResponse<String> r = get("/federate?match[]=" + enc("{job=\"f\"}"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .contains("# TYPE fed_metric untyped\nfed_metric{job=\"f\"} 42 " + now + "\n");
  }

  @Test
  void badInput_getsPrometheusErrorShapes() throws Exception {
    error(
        get("/api/v1/query?query=" + enc("sum(")),
        400,
        "bad_data",
        "invalid parameter \"query\": 1:5: parse error");
    error(
        get("/api/v1/query?query=up&time=yesterday"),
        400,
        "bad_data",
        "invalid parameter \"time\": cannot parse \"yesterday\" to a valid timestamp");
    error(get("/api/v1/query"), 400, "bad_data", "invalid parameter \"query\"");
    error(
        get("/api/v1/query_range?query=up&start=10&end=5&step=1"),
        400,
        "bad_data",
        "end timestamp must not be before start time");
    error(
        get("/api/v1/query_range?query=up&start=0&end=5&step=0"),
        400,
        "bad_data",
        "zero or negative query resolution step");
    error(
        get("/api/v1/query_range?query=up&start=0&end=100000&step=1"),
        400,
        "bad_data",
        "exceeded maximum resolution of 11,000 points");
    error(
        get("/api/v1/query_range?query=up&end=5&step=1"),
        400,
        "bad_data",
        "invalid parameter \"start\"");
    error(get("/api/v1/series"), 400, "bad_data", "no match[] parameter provided");
    error(get("/api/v1/series?match[]=" + enc("{job=~\"(\"}")), 400, "bad_data", "");
    error(get("/api/v1/label/not-a-name/values"), 400, "bad_data", "invalid label name");
    error(
        get("/api/v1/query?query=" + enc("{a=\"b\"} + {a=\"b\"} or vector(1)") + "&timeout=xyz"),
        400,
        "bad_data",
        "invalid parameter \"timeout\"");
    error(get("/federate"), 400, "bad_data", "no match[] parameter provided");
    error(get("/api/v1/targets?state=sideways"), 400, "bad_data", "invalid parameter \"state\"");
    // A known path with a method it does not take: 405, as Prometheus.
    error(
        client.send(
            HttpRequest.newBuilder(URI.create(vigil.url() + "/api/v1/query?query=1"))
                .PUT(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString()),
        405,
        "method_not_allowed",
        "Method Not Allowed");
    // A query that fails at evaluation: 422 execution.
    error(
        get(
            "/api/v1/query?query="
                + enc("demo_requests_total + on(job) demo_requests_total")
                + "&time="
                + (t0 / 1000 + 150)),
        422,
        "execution",
        "");
  }

  @Test
  void oversizedQuery_is413_andStoreUnchanged() throws Exception {
    int before = ok(get("/api/v1/series?match[]=" + enc("{__name__=~\".+\",job=\"demo\"}"))).size();
    // Expect: 100-continue, as curl sends for large bodies: the server answers 413 from the
    // Content-Length before any of the body is sent, so no reset races the response.
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create(vigil.url() + "/api/v1/query"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofString("query=" + "x".repeat(11 << 20)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(ok(get("/api/v1/series?match[]=" + enc("{__name__=~\".+\",job=\"demo\"}"))).size())
        .isEqualTo(before);
  }

  @Test
  void adminApi_needsAdminToken_thenDeletesAndSnapshots() throws Exception {
    Appender app = vigil.storage().appender();
    long now = System.currentTimeMillis();
    app.append(0, Labels.of("__name__", "to_delete", "job", "x"), now, 1);
    app.commit();
    error(
        post("/api/v1/admin/tsdb/delete_series", "match[]=to_delete", null),
        401,
        "unauthorized",
        "admin token");
    error(
        post("/api/v1/admin/tsdb/delete_series", "match[]=to_delete", "wrong-token-000000000"),
        403,
        "forbidden",
        "");
    assertThat(ok(get("/api/v1/series?match[]=to_delete")).size()).isEqualTo(1);
    assertThat(post("/api/v1/admin/tsdb/delete_series", "match[]=to_delete", ADMIN).statusCode())
        .isEqualTo(204);
    assertThat(ok(get("/api/v1/query?query=to_delete")).get("result").size()).isZero();
    JsonNode snap = ok(post("/api/v1/admin/tsdb/snapshot", "", ADMIN));
    assertThat(Files.isDirectory(dir.resolve("data/snapshots").resolve(snap.get("name").asText())))
        .isTrue();
    assertThat(post("/api/v1/admin/tsdb/clean_tombstones", "", ADMIN).statusCode()).isEqualTo(204);
  }
}
