package dev.vigil.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MetricNamesTest {
  @Test
  void badMetricName_failsAtBuildNamingIt() {
    assertThatThrownBy(() -> Counter.builder().name("http-requests").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'http-requests'");
    assertThatThrownBy(() -> Gauge.builder().name("1abc").build()).hasMessageContaining("'1abc'");
    assertThatThrownBy(() -> Gauge.builder().build()).hasMessageContaining("name");
  }

  @Test
  void reservedSuffixes_areRejectedExceptWhereStripped() {
    assertThat(Counter.builder().name("requests_total").build().name()).isEqualTo("requests");
    assertThat(Info.builder().name("build_info").build().name()).isEqualTo("build");
    assertThatThrownBy(() -> Gauge.builder().name("temp_total").build())
        .hasMessageContaining("_total");
    assertThatThrownBy(() -> Histogram.builder().name("lat_bucket").build())
        .hasMessageContaining("_bucket");
    assertThatThrownBy(() -> Gauge.builder().name("x_created").build())
        .hasMessageContaining("_created");
  }

  @Test
  void unit_isAppendedWhenMissingLikeClientJava() {
    assertThat(Histogram.builder().name("request_duration").unit("seconds").build().name())
        .isEqualTo("request_duration_seconds");
    assertThat(Gauge.builder().name("heap_bytes").unit("bytes").build().name())
        .isEqualTo("heap_bytes");
    assertThat(Counter.builder().name("sent_bytes_total").unit("bytes").build().name())
        .isEqualTo("sent_bytes");
    assertThat(Timer.builder().name("gen").build().name()).isEqualTo("gen_seconds");
    assertThatThrownBy(() -> Gauge.builder().name("x").unit("Sec onds").build())
        .hasMessageContaining("unit");
  }

  @Test
  void badLabelNames_failAtBuild() {
    assertThatThrownBy(() -> Counter.builder().name("x").labelNames("a-b").build())
        .hasMessageContaining("'a-b'");
    assertThatThrownBy(() -> Counter.builder().name("x").labelNames("__a").build())
        .hasMessageContaining("reserved");
    assertThatThrownBy(() -> Counter.builder().name("x").labelNames("a", "a").build())
        .hasMessageContaining("twice");
    assertThatThrownBy(() -> Histogram.builder().name("x").labelNames("le").build())
        .hasMessageContaining("le");
  }
}
