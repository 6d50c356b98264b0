package dev.vigil.metrics.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.metrics.Counter;
import dev.vigil.metrics.Gauge;
import dev.vigil.metrics.Histogram;
import dev.vigil.metrics.Info;
import dev.vigil.metrics.MetricRegistry;
import dev.vigil.metrics.StateSet;
import dev.vigil.metrics.Summary;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;

class WritersTest {
  private static final InstantSource CLOCK =
      InstantSource.fixed(Instant.ofEpochMilli(1_700_000_000_250L));

  private MetricRegistry sample() {
    MetricRegistry r = new MetricRegistry();
    Counter c =
        Counter.builder()
            .name("http_requests_total")
            .help("Requests \"served\".\nSecond line \\ end")
            .labelNames("method", "path")
            .clock(CLOCK)
            .register(r);
    c.labelValues("GET", "/a\"b\\c\nd").inc(3);
    c.labelValues("POST", "/").incWithExemplar(1, "abc", "def");
    Gauge.builder().name("temp").unit("celsius").help("T.").register(r).set(-1.5);
    Histogram h =
        Histogram.builder().name("lat").unit("seconds").buckets(0.1, 1).clock(CLOCK).register(r);
    h.observe(0.05);
    h.observeWithExemplar(0.5, "t1", "s1");
    Info.builder().name("build_info").labelNames("version").register(r).set("1.0");
    StateSet.builder().name("mode").states("a", "b").register(r).setOnly("b");
    Summary s = Summary.builder().name("sz").quantiles(0.5).clock(CLOCK).register(r);
    s.observe(10);
    return r;
  }

  @Test
  void prometheusText_writesEveryTypeAsPromtoolExpects() {
    String out = PrometheusTextWriter.INSTANCE.toString(sample().scrape());
    assertThat(out)
        .isEqualTo(
            """
            # TYPE build_info gauge
            build_info{version="1.0"} 1
            # HELP http_requests_total Requests "served".\\nSecond line \\\\ end
            # TYPE http_requests_total counter
            http_requests_total{method="GET",path="/a\\"b\\\\c\\nd"} 3
            http_requests_total{method="POST",path="/"} 1
            # TYPE lat_seconds histogram
            lat_seconds_bucket{le="0.1"} 1
            lat_seconds_bucket{le="1.0"} 2
            lat_seconds_bucket{le="+Inf"} 2
            lat_seconds_count 2
            lat_seconds_sum 0.55
            # TYPE mode gauge
            mode{mode="a"} 0
            mode{mode="b"} 1
            # TYPE sz summary
            sz{quantile="0.5"} 10.074696689511331
            sz_count 1
            sz_sum 10
            # HELP temp_celsius T.
            # TYPE temp_celsius gauge
            temp_celsius -1.5
            # HELP vigil_cardinality_overflow_total Label sets folded into a metric's overflow \
            series because it reached its cardinality limit.
            # TYPE vigil_cardinality_overflow_total counter
            vigil_cardinality_overflow_total{metric="build"} 0
            vigil_cardinality_overflow_total{metric="http_requests"} 0
            """);
  }

  @Test
  void openMetrics_writesUnitsExemplarsCreatedAndEof() {
    String out = OpenMetricsTextWriter.INSTANCE.toString(sample().scrape());
    assertThat(out)
        .contains(
            """
            # TYPE http_requests counter
            # HELP http_requests Requests \\"served\\".\\nSecond line \\\\ end
            http_requests_total{method="GET",path="/a\\"b\\\\c\\nd"} 3
            http_requests_created{method="GET",path="/a\\"b\\\\c\\nd"} 1700000000.000
            http_requests_total{method="POST",path="/"} 1 # {span_id="def",trace_id="abc"} 1 1700000000.250
            """)
        .contains(
            """
            # TYPE lat_seconds histogram
            # UNIT lat_seconds seconds
            lat_seconds_bucket{le="0.1"} 1
            lat_seconds_bucket{le="1.0"} 2 # {span_id="s1",trace_id="t1"} 0.5 1700000000.250
            lat_seconds_bucket{le="+Inf"} 2
            lat_seconds_count 2
            lat_seconds_sum 0.55
            lat_seconds_created 1700000000.250
            """)
        .contains("# TYPE build info\nbuild_info{version=\"1.0\"} 1\n")
        .contains("# TYPE mode stateset\nmode{mode=\"a\"} 0\nmode{mode=\"b\"} 1\n")
        .endsWith("# EOF\n");
  }

  @Test
  void json_hasDocumentedShape() {
    String out = JsonWriter.INSTANCE.toString(sample().scrape());
    assertThat(out)
        .startsWith("{\"metrics\":[{\"name\":\"build\",\"type\":\"info\"")
        .contains(
            "{\"labels\":{\"method\":\"POST\",\"path\":\"/\"},\"value\":1,"
                + "\"created\":1700000000.000,\"exemplar\":{\"labels\":{\"span_id\":\"def\","
                + "\"trace_id\":\"abc\"},\"value\":1,\"timestamp\":1700000000.250}}")
        .contains("{\"le\":\"+Inf\",\"count\":2}")
        .contains("\"states\":{\"a\":false,\"b\":true}")
        .contains("\"path\":\"/a\\\"b\\\\c\\nd\"");
  }

  @Test
  void negotiate_picksByAcceptHeader() {
    assertThat(ExpositionFormat.negotiate(null)).isEqualTo(ExpositionFormat.PROMETHEUS);
    assertThat(
            ExpositionFormat.negotiate(
                "application/openmetrics-text;version=1.0.0;q=0.75,"
                    + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1"))
        .isEqualTo(ExpositionFormat.OPENMETRICS);
    assertThat(ExpositionFormat.negotiate("application/openmetrics-text;version=2.0.0"))
        .isEqualTo(ExpositionFormat.PROMETHEUS);
    assertThat(ExpositionFormat.negotiate("application/json")).isEqualTo(ExpositionFormat.JSON);
    assertThat(ExpositionFormat.negotiate("text/html, text/plain;q=0.2"))
        .isEqualTo(ExpositionFormat.PROMETHEUS);
    assertThat(ExpositionFormat.PROMETHEUS.contentType()).contains("version=0.0.4");
  }

  @Test
  void openMetrics_histogramWithNegativeBuckets_leavesOutCountAndSumAndStaysValid()
      throws Exception {
    MetricRegistry r = new MetricRegistry();
    Histogram h = Histogram.builder().name("delta").buckets(-1, 0, 1).register(r);
    h.observe(-5);
    h.observe(0.5);
    String out = OpenMetricsTextWriter.INSTANCE.toString(r.scrape());
    assertThat(out).contains("delta_bucket{le=\"-1.0\"} 1").doesNotContain("delta_sum");
    ExpositionParser.openMetrics().parse(out);
    assertThat(PrometheusTextWriter.INSTANCE.toString(r.scrape())).contains("delta_sum -4.5");
  }
}
