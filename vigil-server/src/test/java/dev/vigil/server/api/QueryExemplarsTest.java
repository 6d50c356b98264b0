package dev.vigil.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.metrics.Counter;
import dev.vigil.metrics.Histogram;
import dev.vigil.metrics.MetricRegistry;
import dev.vigil.metrics.exposition.MetricsHttpHandler;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.CollectConfig;
import dev.vigil.server.config.ScrapeConfig;
import dev.vigil.server.config.VigilConfig;
import dev.vigil.server.http.Json;
import dev.vigil.server.testing.ExternalProcess;
import java.net.InetSocketAddress;
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
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/v1/query_exemplars} end to end: Vigil scrapes an OpenMetrics target (a vigil-metrics
 * registry behind the JDK HttpServer) that exposes exemplars and answers them; a real Prometheus
 * 2.42 with {@code --enable-feature=exemplar-storage} scrapes the same target and answers the same
 * calls the same way; a restarted Vigil still has them (WAL replay).
 */
class QueryExemplarsTest {
  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private HttpServer target;
  private String targetAddress;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void startTarget() throws Exception {
    MetricRegistry registry = new MetricRegistry();
    Histogram latency =
        Histogram.builder()
            .name("demo_latency_seconds")
            .help("Demo latency.")
            .buckets(0.1, 0.5, 1)
            .register(registry);
    Counter errors =
        Counter.builder().name("demo_errors_total").help("Demo errors.").register(registry);
    // Recorded once: every scrape by either server then sees the same exemplars.
    latency.observeWithExemplar(0.05, "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7");
    latency.observeWithExemplar(0.3, "a3ce929d0e0e47364bf92f3577b34da6", "0ba902b700f067aa");
    latency.observeWithExemplar(2.5, "77b34da6a3ce929d0e0e47364bf92f35", null);
    errors.incWithExemplar(1, "0e0e47364bf92f3577b34da6a3ce929d", "902b700f067aa0ba");
    target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    target.createContext("/metrics", new MetricsHttpHandler(registry));
    target.start();
    targetAddress = "127.0.0.1:" + target.getAddress().getPort();
  }

  @AfterEach
  void stopAll() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
    target.stop(0);
  }

  private Vigil startVigil(boolean scrape) {
    VigilConfig c =
        VigilConfig.defaults()
            .withListen("127.0.0.1", 0)
            .withStoragePath(dir.resolve("vigil-data"))
            .withCollect(new CollectConfig(Duration.ofSeconds(1), false, false, false, false, ""))
            .withScrapeConfigs(
                scrape
                    ? List.of(ScrapeConfig.of("app", Duration.ofSeconds(1), targetAddress))
                    : List.of());
    Vigil v = Vigil.start(c);
    open.add(v);
    return v;
  }

  private HttpResponse<String> get(String base, String params) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + "/api/v1/query_exemplars?" + params)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String base, String form) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + "/api/v1/query_exemplars"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String q(String query) {
    return "query=" + URLEncoder.encode(query, StandardCharsets.UTF_8);
  }

  private JsonNode data(String base, String params) throws Exception {
    HttpResponse<String> r = get(base, params);
    assertThat(r.statusCode()).as("%s %s: %s", base, params, r.body()).isEqualTo(200);
    return Json.MAPPER.readTree(r.body()).path("data");
  }

  private JsonNode await(String base, String params, Predicate<JsonNode> done) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode d = data(base, params);
    while (!done.test(d) && System.nanoTime() < deadline) {
      Thread.sleep(200);
      d = data(base, params);
    }
    return d;
  }

  @Test
  void vigil_storesTheExemplarsOfItsOwnRegistry() throws Exception {
    VigilConfig c =
        VigilConfig.defaults()
            .withListen("127.0.0.1", 0)
            .withStoragePath(dir.resolve("self-data"))
            .withCollect(new CollectConfig(Duration.ofSeconds(1), false, false, false, true, ""));
    Vigil v = Vigil.start(c);
    open.add(v);
    // An embedding application records into Vigil's registry; the self-scrape stores exemplars.
    Histogram h =
        Histogram.builder()
            .name("app_checkout_seconds")
            .help("Checkout time.")
            .buckets(0.1, 1)
            .register(v.registry());
    h.observeWithExemplar(0.42, "5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174");
    JsonNode d = await(v.url(), q("app_checkout_seconds_bucket"), n -> n.size() == 1);
    assertThat(d.size()).as("%s", d).isEqualTo(1);
    assertThat(d.get(0).path("seriesLabels").path("job").asText()).isEqualTo(Vigil.SELF_JOB);
    assertThat(d.get(0).path("seriesLabels").path("le").asText()).isEqualTo("1.0");
    JsonNode e = d.get(0).path("exemplars").get(0);
    assertThat(e.path("labels").path("trace_id").asText())
        .isEqualTo("5b8efff798038103d269b633813fc60c");
    assertThat(e.path("value").asText()).isEqualTo("0.42");
    // The OpenMetrics self-scrape stores no _created series.
    JsonNode created =
        Json.MAPPER
            .readTree(
                http.send(
                        HttpRequest.newBuilder(
                                URI.create(
                                    v.url()
                                        + "/api/v1/series?match[]="
                                        + URLEncoder.encode(
                                            "{__name__=~\".+_created\"}", StandardCharsets.UTF_8)))
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body())
            .path("data");
    assertThat(created.size()).as("%s", created).isZero();
  }

  private static final String ALL = "{__name__=~\"demo_.+\"}";

  /** {@code /api/v1/targets/metadata} once the target's families are known. */
  private JsonNode targetMetadata(String base, String params) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/api/v1/targets/metadata" + params))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as("%s%s: %s", base, params, r.body()).isEqualTo(200);
      JsonNode d = Json.MAPPER.readTree(r.body()).path("data");
      if (d.size() > 0 || params.contains("other") || System.nanoTime() > deadline) {
        return d;
      }
      Thread.sleep(200);
    }
  }

  private static List<String> sortedByMetric(JsonNode entries) {
    List<String> out = new ArrayList<>();
    entries.forEach(e -> out.add(e.toString()));
    out.sort(null);
    return out;
  }

  @Test
  void vigil_answersScrapedExemplars_andKeepsThemAcrossARestart() throws Exception {
    Vigil vigil = startVigil(true);
    JsonNode d = await(vigil.url(), q(ALL), n -> n.size() == 4);
    assertThat(d.size()).as("3 buckets and the counter have exemplars: %s", d).isEqualTo(4);
    JsonNode counter = d.get(0);
    assertThat(counter.path("seriesLabels").path("__name__").asText())
        .isEqualTo("demo_errors_total");
    assertThat(counter.path("seriesLabels").path("job").asText()).isEqualTo("app");
    assertThat(counter.path("seriesLabels").path("instance").asText()).isEqualTo(targetAddress);
    JsonNode e = counter.path("exemplars").get(0);
    assertThat(e.path("labels").path("trace_id").asText())
        .isEqualTo("0e0e47364bf92f3577b34da6a3ce929d");
    assertThat(e.path("labels").path("span_id").asText()).isEqualTo("902b700f067aa0ba");
    assertThat(e.path("value").asText()).isEqualTo("1");
    assertThat(e.path("timestamp").isNumber()).isTrue();
    assertThat(e.path("timestamp").asDouble() * 1000)
        .isBetween(System.currentTimeMillis() - 60_000.0, System.currentTimeMillis() + 1.0);
    JsonNode buckets =
        data(vigil.url(), q("histogram_quantile(0.9, rate(demo_latency_seconds_bucket[5m]))"));
    assertThat(buckets)
        .extracting(b -> b.path("seriesLabels").path("le").asText())
        .containsExactly("+Inf", "0.1", "0.5");
    assertThat(buckets.get(0).path("exemplars").get(0).path("value").asText()).isEqualTo("2.5");
    assertThat(buckets.get(0).path("exemplars").get(0).path("labels").has("span_id")).isFalse();
    long t = Math.round(e.path("timestamp").asDouble() * 1000);
    assertThat(data(vigil.url(), q(ALL) + "&start=" + (t + 1) / 1000.0 + "&end=" + (t + 1e6)))
        .as("exemplars before start are left out")
        .noneMatch(
            s -> s.path("seriesLabels").path("__name__").asText().equals("demo_errors_total"));

    String self =
        http.send(
                HttpRequest.newBuilder(URI.create(vigil.url() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(self)
        .contains("vigil_tsdb_exemplar_exemplars_in_storage 4")
        .contains("vigil_tsdb_exemplar_max_exemplars 100000")
        .contains("vigil_tsdb_exemplar_series_with_exemplars_in_storage 4");

    vigil.close();
    open.remove(vigil);
    Vigil again = startVigil(false);
    assertThat(data(again.url(), q(ALL))).as("after a restart (WAL replay)").isEqualTo(d);
    assertThat(data(again.url(), q("demo_errors_total")).get(0)).isEqualTo(counter);
  }

  @Test
  void vigil_andPrometheus_answerTheSameCallsTheSame() throws Exception {
    Path bin = ExternalProcess.require("prometheus");
    Vigil vigil = startVigil(true);
    Files.writeString(
        dir.resolve("prometheus.yml"),
        "scrape_configs:\n  - job_name: app\n    scrape_interval: 1s\n    static_configs:\n"
            + "      - targets: ['"
            + targetAddress
            + "']\n");
    ExternalProcess prom =
        ExternalProcess.start(
            List.of(
                bin.toString(),
                "--config.file=prometheus.yml",
                "--storage.tsdb.path=prom-data",
                "--enable-feature=exemplar-storage",
                "--web.listen-address=127.0.0.1:{port}"),
            "/-/ready",
            dir);
    open.add(prom);
    String p = "http://" + prom.address();
    await(vigil.url(), q(ALL), n -> n.size() == 4);
    assertThat(await(p, q(ALL), n -> n.size() == 4).size())
        .as("Prometheus stored the exemplars: %s", prom.log())
        .isEqualTo(4);

    long now = System.currentTimeMillis();
    List<String> same =
        List.of(
            q(ALL),
            q("demo_latency_seconds_bucket"),
            q("histogram_quantile(0.9, sum by (le) (rate(demo_latency_seconds_bucket[5m])))"),
            q("demo_errors_total / ignoring(le) group_left demo_latency_seconds_count"),
            q("demo_latency_seconds_bucket{le=~\"0.1|\\\\+Inf\"} or demo_errors_total"),
            q("demo_errors_total") + "&start=" + (now - 600_000) / 1000.0 + "&end=" + now / 1000.0,
            q("demo_errors_total") + "&start=2000-01-01T00:00:00Z&end=2000-01-02T00:00:00Z",
            q("nothing_here"),
            q("1 + 1"));
    for (String call : same) {
      HttpResponse<String> v = get(vigil.url(), call);
      HttpResponse<String> r = get(p, call);
      assertThat(v.statusCode()).as(call).isEqualTo(r.statusCode());
      assertThat(Json.MAPPER.readTree(v.body()))
          .as("%s\nVigil:      %s\nPrometheus: %s", call, v.body(), r.body())
          .isEqualTo(Json.MAPPER.readTree(r.body()));
    }

    // Per-target metadata of the same scrapes: the same entries (Prometheus lists them in map
    // order, so both are compared sorted by metric).
    for (String call :
        List.of(
            "",
            "?match_target=" + URLEncoder.encode("{job=\"app\"}", StandardCharsets.UTF_8),
            "?metric=demo_latency_seconds",
            "?match_target=" + URLEncoder.encode("{job=\"other\"}", StandardCharsets.UTF_8))) {
      JsonNode vm = targetMetadata(vigil.url(), call);
      assertThat(vm.size()).as("Vigil %s: %s", call, vm).isEqualTo(targetMetadata(p, call).size());
      assertThat(sortedByMetric(vm)).as(call).isEqualTo(sortedByMetric(targetMetadata(p, call)));
    }
    assertThat(targetMetadata(vigil.url(), "?metric=demo_latency_seconds").get(0).has("metric"))
        .isFalse();

    String form = q("histogram_quantile(0.5, rate(demo_latency_seconds_bucket[1m]))");
    HttpResponse<String> vp = post(vigil.url(), form);
    HttpResponse<String> rp = post(p, form);
    assertThat(vp.statusCode()).isEqualTo(rp.statusCode()).isEqualTo(200);
    assertThat(Json.MAPPER.readTree(vp.body()))
        .as("form POST")
        .isEqualTo(Json.MAPPER.readTree(rp.body()));

    List<String> bad =
        List.of(
            q("demo_errors_total{"),
            q("demo_errors_total") + "&start=200&end=100",
            q("demo_errors_total") + "&start=yesterday");
    for (String call : bad) {
      HttpResponse<String> v = get(vigil.url(), call);
      HttpResponse<String> r = get(p, call);
      assertThat(v.statusCode()).as(call).isEqualTo(r.statusCode()).isEqualTo(400);
      JsonNode vj = Json.MAPPER.readTree(v.body());
      JsonNode rj = Json.MAPPER.readTree(r.body());
      assertThat(vj.path("status").asText()).isEqualTo("error");
      assertThat(vj.path("errorType")).as(call).isEqualTo(rj.path("errorType"));
    }
  }

  @Test
  void prometheus_remoteWritesExemplars_toVigil_andBothAnswerTheSame() throws Exception {
    Path bin = ExternalProcess.require("prometheus");
    Vigil vigil = startVigil(false);
    Files.writeString(
        dir.resolve("prometheus.yml"),
        """
        scrape_configs:
          - job_name: app
            scrape_interval: 1s
            static_configs:
              - targets: ['%s']
        remote_write:
          - url: %s/api/v1/write
            send_exemplars: true
            queue_config:
              batch_send_deadline: 500ms
        """
            .formatted(targetAddress, vigil.url()));
    ExternalProcess prom =
        ExternalProcess.start(
            List.of(
                bin.toString(),
                "--config.file=prometheus.yml",
                "--storage.tsdb.path=prom-data",
                "--enable-feature=exemplar-storage",
                "--web.listen-address=127.0.0.1:{port}"),
            "/-/ready",
            dir);
    open.add(prom);
    String p = "http://" + prom.address();
    JsonNode fromProm = await(p, q(ALL), n -> n.size() == 4);
    JsonNode inVigil = await(vigil.url(), q(ALL), n -> n.equals(fromProm));
    assertThat(inVigil).as("Prometheus log: %s", prom.log()).isEqualTo(fromProm);
  }
}
