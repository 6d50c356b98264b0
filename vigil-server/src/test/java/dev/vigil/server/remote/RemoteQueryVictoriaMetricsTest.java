package dev.vigil.server.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.ingest.remote.RemoteWriteEncoder;
import dev.vigil.ingest.wire.Snappy;
import dev.vigil.model.Appender;
import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.model.Querier;
import dev.vigil.model.SelectHints;
import dev.vigil.model.SeriesSet;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.http.Json;
import dev.vigil.server.testing.ExternalProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code query.remote} against a real VictoriaMetrics 1.79 (Debian's {@code victoria-metrics}), one
 * for the class, its data imported through {@code /api/v1/import/prometheus}: Vigil in replace mode
 * answers the dashboard's queries as VictoriaMetrics does, the seeds' API shows its data, rules
 * evaluate over it and write their output back through remote write, {@code for} state comes back
 * from it, merge mode sees both stores, and a dead or hung backend is a clear error that holds up
 * neither health checks nor ingest. Skipped when the binary is missing ({@code
 * scripts/install-test-deps}).
 */
class RemoteQueryVictoriaMetricsTest {
  private static final long STEP = 15_000;

  /** Now, on a minute boundary: the data runs from 30 minutes before to 10 minutes after. */
  private static final long T_NOW = System.currentTimeMillis() / 60_000 * 60_000;

  private static final int POINTS = 161; // j = 0..160: T_NOW - 30m .. T_NOW + 10m

  @TempDir static Path shared;
  @TempDir Path dir;

  private static ExternalProcess vm;
  private static String vmUrl;

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static long t(int j) {
    return T_NOW - 30 * 60_000 + j * STEP;
  }

  @BeforeAll
  static void startVictoriaMetrics() throws Exception {
    Path bin = ExternalProcess.require("victoria-metrics");
    vm =
        ExternalProcess.start(
            List.of(
                bin.toString(),
                "-storageDataPath=" + shared.resolve("vm-data"),
                "-httpListenAddr=127.0.0.1:{port}",
                "-search.latencyOffset=0s",
                "-search.disableCache",
                "-loggerLevel=ERROR"),
            "/health",
            shared);
    vmUrl = "http://" + vm.address();
    StringBuilder text = new StringBuilder();
    for (int j = 0; j < POINTS; j++) {
      long ts = t(j);
      // Counters growing at a constant rate: Prometheus' rate() (extrapolating) and MetricsQL's
      // (from the sample before the window) agree exactly on them.
      line(text, "rq_requests_total{job=\"api\",code=\"200\",instance=\"vm-only\"}", 2.0 * j, ts);
      line(text, "rq_requests_total{job=\"api\",code=\"500\",instance=\"vm-only\"}", 0.5 * j, ts);
      String[] les = {"0.1", "0.5", "1", "+Inf"};
      double[] per = {1, 3, 4, 5};
      for (int b = 0; b < les.length; b++) {
        line(text, "rq_latency_seconds_bucket{job=\"api\",le=\"" + les[b] + "\"}", per[b] * j, ts);
      }
      if (j % 2 == 1 && j < 120) {
        line(text, "rq_merge{src=\"both\"}", 1000 + j, ts); // odd samples: the backend's half
      }
      if (j >= 80 && j < 116) {
        // The for state a previous Vigil remote-wrote: active since T_NOW - 40m, until T_NOW - 1m.
        // It carries the external label remote write added (site="lab"), as it would.
        line(
            text,
            "ALERTS_FOR_STATE{alertname=\"RqRestored\",site=\"lab\"}",
            (T_NOW - 40 * 60_000) / 1000,
            ts);
      }
    }
    line(text, "rq_merge{src=\"both\"}", 9999, t(60)); // a sample both stores hold: local wins
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(vmUrl + "/api/v1/import/prometheus"))
                .POST(HttpRequest.BodyPublishers.ofString(text.toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
    await(
        "VictoriaMetrics serves the imported samples",
        () -> {
          try {
            return samplesOf(vmUrl, "count_over_time(rq_requests_total[1h])", T_NOW).size() == 2
                && samplesOf(vmUrl, "count_over_time(ALERTS_FOR_STATE[1h])", T_NOW).size() == 1
                && samplesOf(vmUrl, "count_over_time(rq_merge[1h])", T_NOW).size() == 1;
          } catch (Exception e) {
            return false;
          }
        });
  }

  @AfterAll
  static void stopVictoriaMetrics() {
    if (vm != null) {
      vm.close();
    }
  }

  private static void line(StringBuilder sb, String series, double v, long ts) {
    sb.append(series).append(' ').append(v).append(' ').append(ts).append('\n');
  }

  private Vigil start(String remote, String extra) throws IOException {
    return start(remote, extra, "");
  }

  private Vigil start(String remote, String extra, String serverKeys) throws IOException {
    Path file = dir.resolve("vigil.yml");
    Files.writeString(
        file,
        "server:\n  listen: 127.0.0.1:0\n"
            + serverKeys
            + "storage:\n  path: \""
            + dir.resolve("data").toString().replace("\\", "/")
            + "\"\n"
            + "collect:\n  self: false\n  system: false\n  jvm: false\n  gpu: false\n"
            + "query:\n  remote:\n"
            + remote
            + extra);
    return Vigil.builder(ConfigLoader.load(file, Map.of())).configFile(file, Map.of()).start();
  }

  // ------------------------------------------------------------------ (a) replace mode

  @Test
  void replaceMode_rangeQueriesAnswerAsVictoriaMetricsDoes_andTheSeedsApiShowsItsData()
      throws Exception {
    try (Vigil v = start("    url: " + vmUrl + "\n    mode: replace\n", "")) {
      long start = T_NOW - 15 * 60_000;
      long end = T_NOW - 5 * 60_000;
      for (String q :
          List.of(
              "rate(rq_requests_total[5m])",
              "sum by (code) (rate(rq_requests_total[5m]))",
              "histogram_quantile(0.5, sum by (le) (rate(rq_latency_seconds_bucket[5m])))")) {
        Map<String, Map<Long, Double>> mine = range(v.url(), q, start, end);
        Map<String, Map<Long, Double>> theirs = range(vmUrl, q, start, end);
        assertThat(mine).as(q).isNotEmpty();
        assertThat(mine.keySet()).as(q).isEqualTo(theirs.keySet());
        mine.forEach(
            (series, points) -> {
              assertThat(points).as(q + " " + series).hasSize(11);
              assertThat(points.keySet()).isEqualTo(theirs.get(series).keySet());
              points.forEach(
                  (ts, val) ->
                      assertThat(val)
                          .as(q + " " + series + " at " + ts)
                          .isCloseTo(theirs.get(series).get(ts), Offset.offset(1e-9)));
            });
      }
      // Nothing is stored locally: the answers came from the backend.
      try (Querier q = v.storage().querier(0, Long.MAX_VALUE)) {
        assertThat(
                q.select(
                        SelectHints.range(0, Long.MAX_VALUE),
                        LabelMatcher.regex("__name__", "rq_.*"))
                    .next())
            .isFalse();
      }
      // The seeds' API over the same data.
      JsonNode history =
          getJson(
              v.url()
                  + "/api/metrics/history?metric=rq_requests_total&start="
                  + (start / 1000)
                  + "&end="
                  + (end / 1000)
                  + "&step=60");
      assertThat(history.path("series")).hasSize(2);
      assertThat(history.path("series").get(0).path("labels").path("instance").asText())
          .isEqualTo("vm-only");
      // The metadata endpoints (Explore's completion) list the backend's names and values.
      assertThat(getJson(v.url() + "/api/v1/label/instance/values").path("data").toString())
          .contains("vm-only");
      JsonNode series =
          getJson(
              v.url()
                  + "/api/v1/series?match[]="
                  + URLEncoder.encode("rq_requests_total", StandardCharsets.UTF_8)
                  + "&start="
                  + (start / 1000)
                  + "&end="
                  + (end / 1000));
      assertThat(series.path("data")).hasSize(2);
      // Its self-metrics and status.
      JsonNode status = getJson(v.url() + "/api/v1/status/remote_query").path("data");
      assertThat(status.path("url").asText()).isEqualTo(vmUrl);
      assertThat(status.path("mode").asText()).isEqualTo("replace");
      assertThat(status.path("requests").path("200").asLong()).isGreaterThanOrEqualTo(6);
      assertThat(text(v.url() + "/metrics"))
          .containsPattern("vigil_remote_query_requests_total\\{code=\"200\"} [1-9]")
          .contains("vigil_remote_query_request_duration_seconds_bucket");
    }
  }

  @Test
  void reload_addsAndRemovesTheBackend_andTheQueryLimitsStillApply() throws Exception {
    String q = "count(count_over_time(rq_requests_total[1h]))";
    try (Vigil v = start("    url: " + vmUrl + "\n", "")) {
      assertThat(samplesOf(v.url(), q, T_NOW)).containsValue(2.0);
      Path file = dir.resolve("vigil.yml");
      String withBackend = Files.readString(file);
      String without = withBackend.substring(0, withBackend.indexOf("query:\n"));
      Files.writeString(file, without);
      assertThat(v.reload()).isNull();
      assertThat(samplesOf(v.url(), q, T_NOW)).as("the local store only").isEmpty();
      Files.writeString(file, withBackend);
      assertThat(v.reload()).isNull();
      assertThat(samplesOf(v.url(), q, T_NOW)).containsValue(2.0);
      // A bad backend in the file is refused, naming it; the running one stays.
      Files.writeString(file, withBackend.replace("url: " + vmUrl, "url: ftp://" + vm.address()));
      assertThat(v.reload()).contains("query.remote.url: must be an http:// or https:// URL");
      assertThat(samplesOf(v.url(), q, T_NOW)).containsValue(2.0);
      assertThat(getJson(v.url() + "/api/v1/status/config").path("data").path("yaml").asText())
          .contains(vmUrl);
    }
    // server.limits.query_max_samples counts the backend's samples as the store's.
    try (Vigil v =
        start("    url: " + vmUrl + "\n", "", "  limits:\n    query_max_samples: 100\n")) {
      HttpResponse<String> r =
          rawGet(
              v.url()
                  + "/api/v1/query?query="
                  + URLEncoder.encode("rq_requests_total[1h]", StandardCharsets.UTF_8)
                  + "&time="
                  + RemoteQueryClient.seconds(T_NOW));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
      assertThat(r.body()).contains("execution").contains("samples");
    }
  }

  // ------------------------------------------------------------------ (b) rules over the backend

  @Test
  void rulesOverTheBackend_fire_andTheirOutputReachesItThroughRemoteWrite() throws Exception {
    Path rules = dir.resolve("rules.yml");
    Files.writeString(
        rules,
        """
        groups:
          - name: rq
            interval: 1s
            rules:
              - record: code:rq_requests:rate5m
                expr: sum by (code) (rate(rq_requests_total[5m]))
              - alert: RqErrors
                expr: sum(rate(rq_requests_total{code="500"}[5m])) > 0
                labels: {severity: page}
        """);
    String remoteWrite =
        "remote_write:\n  - url: "
            + vmUrl
            + "/api/v1/write\n    queue_config: {batch_send_deadline: 50ms}\n"
            + "rule_files: [\""
            + rules.toString().replace("\\", "/")
            + "\"]\n";
    try (Vigil v = start("    url: " + vmUrl + "\n", remoteWrite)) {
      await(
          "RqErrors fires in Vigil",
          () -> v.rules().alerts().stream().anyMatch(a -> a.state().apiName().equals("firing")));
      await(
          "the recording rule's series and ALERTS reach VictoriaMetrics",
          () -> {
            try {
              long now = System.currentTimeMillis();
              return samplesOf(vmUrl, "last_over_time(code:rq_requests:rate5m[5m])", now).size()
                      == 2
                  && samplesOf(
                              vmUrl,
                              "last_over_time(ALERTS{alertname=\"RqErrors\",alertstate=\"firing\"}[5m])",
                              now)
                          .size()
                      == 1;
            } catch (Exception e) {
              return false;
            }
          });
      Map<String, Double> recorded =
          samplesOf(
              vmUrl, "last_over_time(code:rq_requests:rate5m[5m])", System.currentTimeMillis());
      assertThat(recorded.get("{\"__name__\":\"code:rq_requests:rate5m\",\"code\":\"500\"}"))
          .isCloseTo(0.5 / 15, Offset.offset(1e-9));
    }
  }

  @Test
  void forState_isRestoredFromTheBackend_whenLocalDataIsMissing() throws Exception {
    Path rules = dir.resolve("rules.yml");
    Files.writeString(
        rules,
        """
        groups:
          - name: restore
            interval: 1s
            rules:
              - alert: RqRestored
                expr: sum(rate(rq_requests_total{code="500"}[5m])) > 0
                for: 30m
        """);
    // A fresh local store: the state is only in the backend (an ALERTS_FOR_STATE series active
    // since T_NOW - 40m, its last sample at T_NOW - 1m). Without it the alert would wait 30 m.
    try (Vigil v =
        start(
            "    url: " + vmUrl + "\n",
            "rule_files: [\""
                + rules.toString().replace("\\", "/")
                + "\"]\nglobal:\n  external_labels: {site: lab}\n")) {
      await(
          "RqRestored fires at once, as restored",
          () -> v.rules().alerts().stream().anyMatch(a -> a.state().apiName().equals("firing")));
      assertThat(v.rules().alerts().get(0).activeAt()).isEqualTo(T_NOW - 40 * 60_000);
    }
  }

  // ------------------------------------------------------------------ (c) merge mode

  @Test
  void mergeMode_seesTheLocalAndTheBackendsSamples_localWinningAtEqualTimestamps()
      throws Exception {
    try (Vigil v = start("    url: " + vmUrl + "\n    mode: merge\n", "")) {
      Appender a = v.storage().appender();
      for (int j = 0; j < 120; j += 2) {
        a.append(0, Labels.of("__name__", "rq_merge", "src", "both"), t(j), 1000 + j);
      }
      a.append(0, Labels.of("__name__", "rq_merge", "src", "local-only"), t(0), 1);
      a.commit();
      Map<String, Map<Long, Double>> got =
          samples(
              getJson(
                      v.url()
                          + "/api/v1/query?query="
                          + URLEncoder.encode("rq_merge[1h]", StandardCharsets.UTF_8)
                          + "&time="
                          + RemoteQueryClient.seconds(t(119)))
                  .path("data")
                  .path("result"));
      Map<Long, Double> both = got.get("{\"__name__\":\"rq_merge\",\"src\":\"both\"}");
      assertThat(both).hasSize(120);
      for (int j = 0; j < 120; j++) {
        assertThat(both.get(t(j))).as("sample %d", j).isEqualTo(1000.0 + j);
      }
      assertThat(got).containsKey("{\"__name__\":\"rq_merge\",\"src\":\"local-only\"}");
      assertThat(got).hasSize(2);
    }
  }

  // ------------------------------------------------------------------ (d) backend down

  @Test
  void deadBackend_isAClearErrorNamingIt_andInMergeModeAWarning() throws Exception {
    int dead = ExternalProcess.freePort(); // nothing listens there
    String url = "http://127.0.0.1:" + dead;
    try (Vigil v = start("    url: " + url + "\n    remote_timeout: 5s\n", "")) {
      HttpResponse<String> r = rawGet(v.url() + "/api/v1/query?query=up");
      assertThat(r.statusCode()).isEqualTo(503);
      JsonNode body = Json.MAPPER.readTree(r.body());
      assertThat(body.path("status").asText()).isEqualTo("error");
      assertThat(body.path("errorType").asText()).isEqualTo("unavailable");
      assertThat(body.path("error").asText())
          .startsWith("remote query backend " + url + " cannot be reached");
      assertThat(r.body()).doesNotContain("Exception:").doesNotContain("\tat ");
      assertThat(rawGet(v.url() + "/api/metrics/history?metric=up").statusCode()).isEqualTo(503);
      assertThat(rawGet(v.url() + "/api/v1/labels").statusCode()).isEqualTo(503);
      assertThat(text(v.url() + "/metrics"))
          .containsPattern("vigil_remote_query_requests_total\\{code=\"error\"} [1-9]");
    }
    try (Vigil v = start("    url: " + url + "\n    mode: merge\n", "")) {
      Appender a = v.storage().appender();
      a.append(0, Labels.of("__name__", "local_up"), System.currentTimeMillis(), 1);
      a.commit();
      JsonNode body = getJson(v.url() + "/api/v1/query?query=local_up");
      assertThat(body.path("data").path("result")).hasSize(1);
      assertThat(body.path("warnings").toString()).contains("remote query backend " + url);
    }
  }

  @Test
  void hungBackend_holdsUpNeitherHealthNorIngest_andTimesOutNamingIt() throws Exception {
    CountDownLatch accepted = new CountDownLatch(1);
    List<Socket> held = new ArrayList<>();
    java.util.concurrent.atomic.AtomicBoolean drop =
        new java.util.concurrent.atomic.AtomicBoolean();
    try (ServerSocket hung = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      while (true) {
                        Socket s = hung.accept(); // never answers
                        synchronized (held) {
                          if (drop.get()) {
                            s.close(); // a client's retry is dropped as well
                            continue;
                          }
                          held.add(s);
                        }
                        accepted.countDown();
                      }
                    } catch (IOException closed) {
                      // the test is over
                    }
                  });
      String url = "http://127.0.0.1:" + hung.getLocalPort();
      try (Vigil v = start("    url: " + url + "\n    remote_timeout: 2m\n", "")) {
        CompletableFuture<HttpResponse<String>> query =
            HTTP.sendAsync(
                HttpRequest.newBuilder(
                        URI.create(
                            v.url()
                                + "/api/v1/query?query="
                                + URLEncoder.encode("sum(rate(x[5m]))", StandardCharsets.UTF_8)
                                + "&timeout=3m"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.await(30, TimeUnit.SECONDS))
            .as("the query reached the backend")
            .isTrue();
        // While the query waits on the backend: health answers, and ingest stores.
        assertThat(rawGet(v.url() + "/-/healthy").statusCode()).isEqualTo(200);
        HttpResponse<String> w = pushSample(v.url(), "ingested_while_hung", 42);
        assertThat(w.statusCode()).as(w.body()).isEqualTo(204);
        try (Querier q = v.storage().querier(0, Long.MAX_VALUE)) {
          SeriesSet s =
              q.select(
                  SelectHints.range(0, Long.MAX_VALUE),
                  LabelMatcher.equal("__name__", "ingested_while_hung"));
          assertThat(s.next()).isTrue();
        }
        assertThat(query).isNotDone();
        // A query with its own shorter timeout stops at it, though remote_timeout is 2 m.
        HttpResponse<String> short_ = rawGet(v.url() + "/api/v1/query?query=up&timeout=1s");
        assertThat(short_.statusCode()).as(short_.body()).isEqualTo(503);
        assertThat(Json.MAPPER.readTree(short_.body()).path("errorType").asText())
            .isEqualTo("timeout");
        assertThat(query).isNotDone();
        // The backend drops the connections: the query ends with an error naming it.
        synchronized (held) {
          drop.set(true);
          for (Socket s : held) {
            s.close();
          }
        }
        HttpResponse<String> r = query.get(60, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(Json.MAPPER.readTree(r.body()).path("error").asText())
            .startsWith("remote query backend " + url);
      } finally {
        hung.close();
        acceptor.join(10_000);
      }
    }
  }

  // ------------------------------------------------------------------ helpers

  private static HttpResponse<String> pushSample(String base, String name, double value)
      throws Exception {
    byte[] proto =
        RemoteWriteEncoder.v1(
            List.of(
                new RemoteWriteEncoder.Series(
                    Labels.of("__name__", name),
                    new long[] {System.currentTimeMillis()},
                    new double[] {value})));
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + "/api/v1/write"))
            .header("Content-Type", "application/x-protobuf")
            .header("Content-Encoding", "snappy")
            .header("X-Prometheus-Remote-Write-Version", "0.1.0")
            .POST(HttpRequest.BodyPublishers.ofByteArray(Snappy.compress(proto)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> rawGet(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String text(String url) throws Exception {
    return rawGet(url).body();
  }

  private static JsonNode getJson(String url) throws Exception {
    HttpResponse<String> r = rawGet(url);
    assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
    return Json.MAPPER.readTree(r.body());
  }

  private static Map<String, Map<Long, Double>> range(String base, String q, long start, long end)
      throws Exception {
    return samples(
        getJson(
                base
                    + "/api/v1/query_range?query="
                    + URLEncoder.encode(q, StandardCharsets.UTF_8)
                    + "&start="
                    + start / 1000
                    + "&end="
                    + end / 1000
                    + "&step=60")
            .path("data")
            .path("result"));
  }

  /** Series (labels as JSON) → its one value, of an instant query at {@code ms}. */
  private static Map<String, Double> samplesOf(String base, String q, long ms) throws Exception {
    Map<String, Double> out = new LinkedHashMap<>();
    samples(
            getJson(
                    base
                        + "/api/v1/query?query="
                        + URLEncoder.encode(q, StandardCharsets.UTF_8)
                        + "&time="
                        + RemoteQueryClient.seconds(ms))
                .path("data")
                .path("result"))
        .forEach((k, m) -> out.put(k, m.values().iterator().next()));
    return out;
  }

  /** Series (labels as JSON, sorted) → time (ms) → value, of a matrix or vector answer. */
  private static Map<String, Map<Long, Double>> samples(JsonNode result) {
    Map<String, Map<Long, Double>> out = new TreeMap<>();
    for (JsonNode s : result) {
      Map<String, String> labels = new TreeMap<>();
      s.path("metric")
          .fields()
          .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
      Map<Long, Double> m =
          out.computeIfAbsent(Json.MAPPER.valueToTree(labels).toString(), k -> new TreeMap<>());
      JsonNode values =
          s.has("values") ? s.path("values") : Json.MAPPER.createArrayNode().add(s.path("value"));
      for (JsonNode p : values) {
        m.put(Math.round(p.get(0).asDouble() * 1000), Double.parseDouble(p.get(1).asText()));
      }
    }
    return out;
  }

  private static void await(String what, BooleanSupplier cond) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!cond.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(50); // polling another process: nothing in-process to wait on
    }
  }
}
