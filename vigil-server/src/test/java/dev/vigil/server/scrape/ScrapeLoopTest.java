package dev.vigil.server.scrape;

import static dev.vigil.server.testing.TestStorage.labels;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.model.Labels;
import dev.vigil.model.MetricMetadata;
import dev.vigil.model.StaleMarker;
import dev.vigil.server.config.ScrapeConfig;
import dev.vigil.server.relabel.RelabelAction;
import dev.vigil.server.relabel.RelabelConfig;
import dev.vigil.server.testing.TestStorage;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ScrapeLoopTest {
  private HttpServer server;
  private final AtomicReference<String> body = new AtomicReference<>("");
  private final AtomicReference<String> contentType =
      new AtomicReference<>("text/plain; version=0.0.4");
  private final AtomicReference<String> lastAccept = new AtomicReference<>();
  private final AtomicReference<Integer> status = new AtomicReference<>(200);
  private final TestStorage db = new TestStorage();
  private final HttpClient client = HttpClient.newHttpClient();
  private String address;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/metrics",
        ex -> {
          lastAccept.set(ex.getRequestHeaders().getFirst("Accept"));
          byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
          String ae = ex.getRequestHeaders().getFirst("Accept-Encoding");
          if (ae != null && ae.contains("gzip")) {
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(bo)) {
              gz.write(b);
            }
            b = bo.toByteArray();
            ex.getResponseHeaders().set("Content-Encoding", "gzip");
          }
          ex.getResponseHeaders().set("Content-Type", contentType.get());
          ex.sendResponseHeaders(status.get(), b.length);
          try (OutputStream o = ex.getResponseBody()) {
            o.write(b);
          }
        });
    server.start();
    address = "127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private ScrapeLoop loop(ScrapeConfig job) {
    Target t = Target.build(job, address, Map.of("env", "test"), new ArrayList<>());
    return new ScrapeLoop(t, db, client, 0);
  }

  private ScrapeConfig job() {
    return ScrapeConfig.of("app", Duration.ofSeconds(1), address);
  }

  private ScrapeConfig with(
      ScrapeConfig j, boolean honorLabels, List<RelabelConfig> metricRelabel, long sampleLimit) {
    return new ScrapeConfig(
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
        honorLabels,
        j.honorTimestamps(),
        j.relabelConfigs(),
        metricRelabel,
        sampleLimit,
        0,
        0,
        0,
        0);
  }

  private Labels series(String name, String... pairs) {
    List<String> all = new ArrayList<>(List.of("job", "app", "instance", address, "env", "test"));
    all.addAll(List.of(pairs));
    return labels(name, all.toArray(new String[0]));
  }

  private double last(Labels l) {
    List<double[]> s = db.samples(l);
    assertThat(s).as("samples of %s", l).isNotEmpty();
    return s.get(s.size() - 1)[1];
  }

  @Test
  void scrape_appendsSamplesWithTargetLabels_andReportSeries() {
    body.set("# TYPE a counter\na_total{x=\"1\"} 5\nb 2\n");
    loop(job()).scrapeOnce(1000);
    assertThat(last(series("a_total", "x", "1"))).isEqualTo(5);
    assertThat(last(series("b"))).isEqualTo(2);
    assertThat(last(series("up"))).isEqualTo(1);
    assertThat(last(series("scrape_samples_scraped"))).isEqualTo(2);
    assertThat(last(series("scrape_samples_post_metric_relabeling"))).isEqualTo(2);
    assertThat(last(series("scrape_series_added"))).isEqualTo(2);
    assertThat(last(series("scrape_duration_seconds"))).isGreaterThan(0);
    assertThat(lastAccept.get()).startsWith("application/openmetrics-text;version=1.0.0");
  }

  @Test
  void openMetricsResponse_isParsedAsOpenMetrics() {
    contentType.set("application/openmetrics-text; version=1.0.0; charset=utf-8");
    body.set("# TYPE c counter\nc_total 3 1.5\n# EOF\n");
    loop(job()).scrapeOnce(1000);
    List<double[]> s = db.samples(series("c_total"));
    assertThat(s).hasSize(1);
    assertThat((long) s.get(0)[0]).isEqualTo(1500);
  }

  @Test
  void disappearingSeries_getsStaleMarker_andSecondScrapeAddsNone() {
    ScrapeLoop l = loop(job());
    body.set("a 1\nb 2\n");
    l.scrapeOnce(1000);
    body.set("a 1\n");
    l.scrapeOnce(2000);
    List<double[]> b = db.samples(series("b"));
    assertThat(b).hasSize(2);
    assertThat(StaleMarker.is(b.get(1)[1])).isTrue();
    assertThat((long) b.get(1)[0]).isEqualTo(2000);
    assertThat(last(series("scrape_series_added"))).isEqualTo(0);
  }

  @Test
  void failedScrape_setsUpZero_andMarksEverythingStale() {
    ScrapeLoop l = loop(job());
    body.set("a 1\n");
    l.scrapeOnce(1000);
    status.set(500);
    l.scrapeOnce(2000);
    assertThat(last(series("up"))).isEqualTo(0);
    assertThat(StaleMarker.is(last(series("a")))).isTrue();
    assertThat(l.target().health()).isEqualTo(Target.Health.DOWN);
    assertThat(l.target().lastError()).contains("HTTP status 500");
  }

  /**
   * A new series' label names and repeated values are the strings other series already hold, not
   * copies per series: at 20,000 scraped series the copies were most of the server's heap (issue
   * 22, M2).
   */
  @Test
  void newSeries_shareLabelStrings_acrossSeries() {
    body.set(
        "cpu_seconds_total{cpu=\"0\",mode=\"idle\",job=\"node\"} 1\n"
            + "cpu_seconds_total{cpu=\"1\",mode=\"idle\",job=\"node\"} 2\n"
            + "memory_bytes{cpu=\"1\",mode=\"idle\",job=\"node\"} 3\n");
    loop(job()).scrapeOnce(1000);
    List<Labels> scraped = db.series().stream().filter(l -> l.get("mode") != null).toList();
    assertThat(scraped).hasSize(3);
    Labels a = scraped.get(0);
    for (Labels b : scraped.subList(1, 3)) {
      for (String name : List.of("cpu", "mode", "exported_job", "__name__")) {
        int i = indexOf(a, name);
        int j = indexOf(b, name);
        assertThat(b.name(j)).as("label name %s", name).isSameAs(a.name(i));
      }
      assertThat(b.get("mode")).isSameAs(a.get("mode"));
      assertThat(b.get("exported_job")).isSameAs(a.get("exported_job"));
    }
    assertThat(scraped.get(1).get("cpu")).isSameAs(scraped.get(2).get("cpu"));
    // Target labels as well, so the head keeps these labels instead of an interned copy of them.
    for (Labels l : scraped) {
      for (int i = 0; i < l.size(); i++) {
        // Interning a fresh copy: a string not interned yet would itself become the copy.
        assertThat(l.name(i)).as("name %s", l.name(i)).isSameAs(new String(l.name(i)).intern());
        assertThat(l.value(i))
            .as("value of %s", l.name(i))
            .isSameAs(new String(l.value(i)).intern());
      }
    }
  }

  private static int indexOf(Labels l, String name) {
    for (int i = 0; i < l.size(); i++) {
      if (l.name(i).equals(name)) {
        return i;
      }
    }
    throw new AssertionError(name + " not in " + l);
  }

  @Test
  void clashingLabels_becomeExported_unlessHonorLabels() {
    body.set("m{job=\"inner\",instance=\"x\"} 1\n");
    loop(job()).scrapeOnce(1000);
    assertThat(last(series("m", "exported_job", "inner", "exported_instance", "x"))).isEqualTo(1);
    TestStorage other = new TestStorage();
    ScrapeConfig honor = with(job(), true, List.of(), 0);
    Target t = Target.build(honor, address, Map.of(), new ArrayList<>());
    new ScrapeLoop(t, other, client, 0).scrapeOnce(1000);
    assertThat(other.series()).contains(labels("m", "job", "inner", "instance", "x"));
  }

  @Test
  void metricRelabeling_dropsSeries_andCountsPostRelabel() {
    RelabelConfig drop =
        RelabelConfig.of(RelabelAction.DROP, List.of("__name__"), null, null, "go_.*", 0, null);
    body.set("go_gc 1\nkeep 2\n");
    loop(with(job(), false, List.of(drop), 0)).scrapeOnce(1000);
    assertThat(db.series()).doesNotContain(series("go_gc")).contains(series("keep"));
    assertThat(last(series("scrape_samples_scraped"))).isEqualTo(2);
    assertThat(last(series("scrape_samples_post_metric_relabeling"))).isEqualTo(1);
  }

  @Test
  void sampleLimit_failsTheScrape_andStoresNothing() {
    body.set("a 1\nb 2\nc 3\n");
    ScrapeLoop l = loop(with(job(), false, List.of(), 2));
    l.scrapeOnce(1000);
    assertThat(db.samples(series("a"))).isEmpty();
    assertThat(last(series("up"))).isEqualTo(0);
    assertThat(l.target().lastError()).contains("sample_limit exceeded");
  }

  @Test
  void badExposition_failsWithLine() {
    body.set("a 1\nb{ 2\n");
    ScrapeLoop l = loop(job());
    l.scrapeOnce(1000);
    assertThat(l.target().lastError()).contains("line 2");
    assertThat(db.samples(series("a"))).isEmpty();
  }

  @Test
  void stopWithStaleness_marksAllSeries() {
    ScrapeLoop l = loop(job());
    body.set("a 1\n");
    l.scrapeOnce(1000);
    l.stop(true);
    assertThat(StaleMarker.is(last(series("a")))).isTrue();
    assertThat(StaleMarker.is(last(series("up")))).isTrue();
  }

  @Test
  void metadata_isKeptPerFamily() {
    body.set("# HELP a Some help.\n# TYPE a gauge\na 1\n");
    ScrapeLoop l = loop(job());
    l.scrapeOnce(1000);
    assertThat(l.metadata()).containsEntry("a", new MetricMetadata("a", "gauge", "Some help.", ""));
  }
}
