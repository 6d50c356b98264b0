package dev.vigil.metrics.exposition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.metrics.model.MetricFamily;
import dev.vigil.metrics.model.MetricType;
import dev.vigil.metrics.model.Sample;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Prometheus text 0.0.4 reader: what Prometheus accepts, it accepts; errors name the line. */
class PrometheusParserTest {
  private final ExpositionParser parser = ExpositionParser.prometheus();

  @Test
  void readsCommentsBlankLinesMillisecondTimestampsAndTrailingCommas() throws Exception {
    List<MetricFamily> families =
        parser.parse(
            """
            # A free comment
            # HELP http_requests_total Requests\\nserved.
            # TYPE http_requests_total counter

            http_requests_total{method="GET",code="200",} 1027 1395066363000
            http_requests_total{method="POST",code="400"}    3   1395066363000
            # TYPE lat histogram
            lat_bucket{le="0.5"} 1
            lat_bucket{le="+Inf"} 2
            lat_count 2
            lat_sum 1.5
            metric_without_type 12.47
            """);
    assertThat(families)
        .extracting(MetricFamily::name)
        .containsExactly("http_requests_total", "lat", "metric_without_type");
    MetricFamily req = families.get(0);
    assertThat(req.metadata().help()).isEqualTo("Requests\nserved.");
    Sample first = req.samples().get(0);
    assertThat(first.labels().get("code")).isEqualTo("200");
    assertThat(first.timestampMillis()).isEqualTo(1395066363000L);
    assertThat(families.get(1).type()).isEqualTo(MetricType.HISTOGRAM);
    assertThat(families.get(1).samples()).hasSize(4);
    assertThat(families.get(2).type()).isEqualTo(MetricType.UNKNOWN);
  }

  @Test
  void badInput_isRejectedWithTheLine() {
    assertThatThrownBy(() -> parser.parse("# TYPE a gauge\n# TYPE a counter\n"))
        .hasMessageStartingWith("line 2: second TYPE line for a");
    assertThatThrownBy(() -> parser.parse("a 1\n# TYPE a gauge\n"))
        .hasMessageStartingWith("line 2: TYPE line for a after its samples");
    assertThatThrownBy(() -> parser.parse("ok 1\nbad{x=\"1\" 2\n"))
        .hasMessageStartingWith("line 2: ");
    assertThatThrownBy(() -> parser.parse("a 1 1.5\n"))
        .hasMessageStartingWith("line 1: timestamp must be integer milliseconds");
    assertThatThrownBy(() -> parser.parse("# TYPE a info\n"))
        .hasMessageContaining("unknown type 'info'");
    assertThatThrownBy(() -> parser.parse("# TYPE h histogram\nh_bucket 1\n"))
        .hasMessageStartingWith("line 2: h_bucket needs an 'le' label");
  }

  @Test
  void forContentType_picksTheParser() {
    assertThat(
            ExpositionParser.forContentType("application/openmetrics-text; version=1.0.0")
                .isOpenMetrics())
        .isTrue();
    assertThat(ExpositionParser.forContentType("text/plain; version=0.0.4").isOpenMetrics())
        .isFalse();
    assertThat(ExpositionParser.forContentType(null).isOpenMetrics()).isFalse();
  }

  @Test
  void streamLargerThanTheLimit_isRejected() {
    byte[] big = "a 1\n".repeat(100).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThatThrownBy(() -> parser.withMaxBytes(64).parse(new java.io.ByteArrayInputStream(big)))
        .hasMessageContaining("larger than the limit of 64 bytes");
  }
}
