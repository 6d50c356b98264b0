package dev.vigil.server.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.model.Exemplar;
import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.model.SeriesExemplars;
import dev.vigil.server.config.ScrapeConfig;
import dev.vigil.server.relabel.RelabelAction;
import dev.vigil.server.relabel.RelabelConfig;
import dev.vigil.tsdb.Tsdb;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scrape loop appends OpenMetrics exemplars next to their samples into a real store. */
class ScrapeLoopExemplarTest {
  @TempDir Path dir;
  private HttpServer server;
  private final AtomicReference<String> body = new AtomicReference<>("");
  private Tsdb db;
  private String address;

  @BeforeEach
  void start() throws Exception {
    db = Tsdb.builder(dir).backgroundInterval(Duration.ZERO).log(m -> {}).open();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/metrics",
        ex -> {
          byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders()
              .set("Content-Type", "application/openmetrics-text; version=1.0.0; charset=utf-8");
          ex.sendResponseHeaders(200, b.length);
          try (OutputStream o = ex.getResponseBody()) {
            o.write(b);
          }
        });
    server.start();
    address = "127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() throws Exception {
    server.stop(0);
    db.close();
  }

  private ScrapeLoop loop(List<RelabelConfig> metricRelabel) {
    ScrapeConfig j = ScrapeConfig.of("app", Duration.ofSeconds(1), address);
    ScrapeConfig job =
        new ScrapeConfig(
            j.jobName(),
            j.interval(),
            j.timeout(),
            j.metricsPath(),
            j.scheme(),
            j.params(),
            j.staticConfigs(),
            j.fileSdConfigs(),
            j.basicAuth(),
            j.bearerToken(),
            false,
            true,
            j.relabelConfigs(),
            metricRelabel,
            0,
            0,
            0,
            0,
            0);
    Target t = Target.build(job, address, Map.of(), new ArrayList<>());
    return new ScrapeLoop(t, db, HttpClient.newHttpClient(), 0);
  }

  private List<SeriesExemplars> exemplars(String metric) {
    return db.selectExemplars(
        Long.MIN_VALUE, Long.MAX_VALUE, List.of(List.of(LabelMatcher.equal("__name__", metric))));
  }

  private static final String BODY =
      """
      # TYPE req_seconds histogram
      req_seconds_bucket{le="0.5"} 3 # {trace_id="abc"} 0.42 1700000000.123
      req_seconds_bucket{le="+Inf"} 4 # {trace_id="def",span_id="7"} 2.5
      req_seconds_count 4
      req_seconds_sum 3.9
      # TYPE errors counter
      errors_total{code="500"} 2 # {trace_id="e1"} 1 1700000001
      # EOF
      """;

  @Test
  void scrape_storesExemplarsOnTheTargetsSeries_withScrapeTimeWhenNoneIsGiven() {
    body.set(BODY);
    loop(List.of()).scrapeOnce(1_700_000_005_000L);
    List<SeriesExemplars> h = exemplars("req_seconds_bucket");
    assertThat(h).hasSize(2);
    assertThat(h.get(0).seriesLabels())
        .isEqualTo(
            Labels.of(
                "__name__", "req_seconds_bucket", "le", "+Inf", "job", "app", "instance", address));
    assertThat(h.get(0).exemplars())
        .containsExactly(
            new Exemplar(Labels.of("trace_id", "def", "span_id", "7"), 2.5, 1_700_000_005_000L));
    assertThat(h.get(1).exemplars())
        .containsExactly(new Exemplar(Labels.of("trace_id", "abc"), 0.42, 1_700_000_000_123L));
    assertThat(exemplars("errors_total").get(0).exemplars())
        .containsExactly(new Exemplar(Labels.of("trace_id", "e1"), 1, 1_700_000_001_000L));
  }

  @Test
  void rescrapingTheSameExemplars_storesThemOnce_andAnOlderOneIsSkippedWithoutFailingTheScrape() {
    body.set(BODY);
    ScrapeLoop l = loop(List.of());
    l.scrapeOnce(1_700_000_005_000L);
    l.scrapeOnce(1_700_000_006_000L);
    // The +Inf bucket's exemplar has no timestamp: it takes each scrape's time, so it is new.
    assertThat(exemplars("req_seconds_bucket").get(1).exemplars()).hasSize(1);
    assertThat(exemplars("req_seconds_bucket").get(0).exemplars()).hasSize(2);
    body.set(BODY.replace("} 1 1700000001\n", "} 1 1600000000\n"));
    l.scrapeOnce(1_700_000_007_000L);
    assertThat(l.target().health()).isEqualTo(Target.Health.UP);
    assertThat(exemplars("errors_total").get(0).exemplars()).hasSize(1);
    assertThat(db.metrics().snapshot())
        .containsEntry("vigil_tsdb_exemplar_out_of_order_exemplars_total", 1.0);
  }

  @Test
  void metricRelabeling_appliesToTheExemplarsSeries_droppedSeriesDropItsExemplars() {
    RelabelConfig drop =
        RelabelConfig.of(
            RelabelAction.DROP, List.of("__name__"), null, null, "errors_total", 0, null);
    RelabelConfig rename =
        RelabelConfig.of(RelabelAction.REPLACE, List.of("le"), null, "bucket", "(.*)", 0, "$1");
    body.set(BODY);
    loop(List.of(drop, rename)).scrapeOnce(1_700_000_005_000L);
    assertThat(exemplars("errors_total")).isEmpty();
    assertThat(exemplars("req_seconds_bucket"))
        .extracting(s -> s.seriesLabels().get("bucket"))
        .containsExactly("+Inf", "0.5");
  }

  @Test
  void exemplarWithTooLongLabels_isSkipped_theScrapeAndItsSamplesStand() {
    String longTrace = "x".repeat(121); // with "trace_id": 129 characters
    body.set(
        "# TYPE errors counter\nerrors_total 2 # {trace_id=\""
            + longTrace
            + "\"} 1 1700000001\n# EOF\n");
    ScrapeLoop l = loop(List.of());
    l.scrapeOnce(1_700_000_005_000L);
    assertThat(l.target().health()).isEqualTo(Target.Health.UP);
    assertThat(exemplars("errors_total")).isEmpty();
    assertThat(db.headSeries()).as("errors_total and the 5 report series").isEqualTo(6);
  }
}
