package dev.vigil.server.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.MetricMetadata;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScrapeParserTest {
  private record S(String key, String name, List<String> labels, double v, long ts) {}

  private static List<S> parse(String body, ScrapeFormat f) throws Exception {
    List<S> out = new ArrayList<>();
    ScrapeParser.parse(
        body.getBytes(StandardCharsets.UTF_8),
        f,
        (key, name, labels, v, ts) -> out.add(new S(key, name, List.copyOf(labels), v, ts)));
    return out;
  }

  @Test
  void text_samplesLabelsTimestampsAndSpecialValues() throws Exception {
    List<S> s =
        parse(
            """
            # HELP http_requests_total Total requests.\\nSecond line.
            # TYPE http_requests_total counter
            http_requests_total{method="post",code="200"} 1027 1395066363000
            http_requests_total{method="post", code="400" } 3 1395066363000

            msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9
            metric_without_timestamp_and_labels 12.47
            nan_metric NaN
            inf_metric +Inf
            ninf_metric -Inf
            """,
            ScrapeFormat.PROMETHEUS_TEXT);
    assertThat(s).hasSize(7);
    assertThat(s.get(0).labels()).containsExactly("method", "post", "code", "200");
    assertThat(s.get(0).ts()).isEqualTo(1395066363000L);
    assertThat(s.get(1).labels()).containsExactly("method", "post", "code", "400");
    assertThat(s.get(2).labels().get(1)).isEqualTo("C:\\DIR\\FILE.TXT");
    assertThat(s.get(2).labels().get(3)).isEqualTo("Cannot find file:\n\"FILE.TXT\"");
    assertThat(s.get(3).ts()).isEqualTo(Long.MIN_VALUE);
    assertThat(s.get(4).v()).isNaN();
    assertThat(s.get(5).v()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(s.get(6).v()).isEqualTo(Double.NEGATIVE_INFINITY);
  }

  @Test
  void openMetrics_secondsTimestampsExemplarsAndEof() throws Exception {
    List<MetricMetadata> meta = new ArrayList<>();
    List<S> s = new ArrayList<>();
    ScrapeParser.parse(
        """
        # TYPE foo counter
        # UNIT foo seconds
        # HELP foo Foo help.
        foo_total{a="b"} 17 1520879607.789 # {trace_id="oHg5SJYRHA0"} 9.8 1520879607.789
        foo_created{a="b"} 1520872607.123
        # EOF
        """
            .getBytes(StandardCharsets.UTF_8),
        ScrapeFormat.OPENMETRICS,
        new ScrapeParser.Sink() {
          @Override
          public void sample(String key, String name, List<String> l, double v, long ts) {
            s.add(new S(key, name, List.copyOf(l), v, ts));
          }

          @Override
          public void unit(String name, String unit) {
            meta.add(new MetricMetadata(name, "", "", unit));
          }
        });
    assertThat(s).hasSize(2);
    assertThat(s.get(0).name()).isEqualTo("foo_total");
    assertThat(s.get(0).ts()).isEqualTo(1520879607789L);
    assertThat(s.get(0).key()).isEqualTo("foo_total{a=\"b\"}");
    assertThat(meta).extracting(MetricMetadata::unit).containsExactly("seconds");
  }

  @Test
  void openMetrics_withoutEof_isRejected() {
    assertThatThrownBy(() -> parse("a 1\n", ScrapeFormat.OPENMETRICS))
        .hasMessageContaining("missing # EOF");
  }

  @Test
  void errors_nameTheLine() {
    assertThatThrownBy(() -> parse("a 1\nb{x=\"1\" 2\n", ScrapeFormat.PROMETHEUS_TEXT))
        .hasMessageContaining("line 2:");
    assertThatThrownBy(() -> parse("a one\n", ScrapeFormat.PROMETHEUS_TEXT))
        .hasMessageContaining("line 1: invalid value \"one\"");
    assertThatThrownBy(() -> parse("a{x=\"1\",x=\"2\"} 1\n", ScrapeFormat.PROMETHEUS_TEXT))
        .hasMessageContaining("duplicate label name x");
    assertThatThrownBy(() -> parse("# TYPE a bogus\n", ScrapeFormat.PROMETHEUS_TEXT))
        .hasMessageContaining("invalid metric type");
    assertThatThrownBy(() -> parse("a 1 notatime\n", ScrapeFormat.PROMETHEUS_TEXT))
        .hasMessageContaining("invalid timestamp");
  }
}
