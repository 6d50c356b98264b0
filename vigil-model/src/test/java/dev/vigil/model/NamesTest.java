package dev.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NamesTest {
  @Test
  void metricName_allowsColonsAndDigitsAfterTheFirstCharacter() {
    assertThat(Names.isValidMetricName("http_requests_total")).isTrue();
    assertThat(Names.isValidMetricName("job:rate5m:sum")).isTrue();
    assertThat(Names.isValidMetricName(":x")).isTrue();
    assertThat(Names.isValidMetricName("_9")).isTrue();
    assertThat(Names.isValidMetricName("9x")).isFalse();
    assertThat(Names.isValidMetricName("a-b")).isFalse();
    assertThat(Names.isValidMetricName("a.b")).isFalse();
    assertThat(Names.isValidMetricName("é")).isFalse();
    assertThat(Names.isValidMetricName("")).isFalse();
    assertThat(Names.isValidMetricName(null)).isFalse();
  }

  @Test
  void labelName_rejectsColons_andAllowsTheReservedPrefix() {
    assertThat(Names.isValidLabelName("instance")).isTrue();
    assertThat(Names.isValidLabelName("__name__")).isTrue();
    assertThat(Names.isValidLabelName("a1")).isTrue();
    assertThat(Names.isValidLabelName("a:b")).isFalse();
    assertThat(Names.isValidLabelName("1a")).isFalse();
    assertThat(Names.isValidLabelName("")).isFalse();
    assertThat(Names.isValidLabelName(null)).isFalse();
  }

  @Test
  void sanitized_namesAreValid_runsOfInvalidCharactersCollapse_andDigitsGetAPrefix() {
    assertThat(Names.metric("cpu.usage-idle")).isEqualTo("cpu_usage_idle");
    assertThat(Names.metric("a::b")).isEqualTo("a::b");
    assertThat(Names.label("a:b")).isEqualTo("a_b");
    assertThat(Names.label("host name..x")).isEqualTo("host_name_x");
    assertThat(Names.label("9lives")).isEqualTo("_9lives");
    assertThat(Names.label("")).isEqualTo("_");
    for (String s : new String[] {"", "9", "é", "a b", "..", "x:y", "_"}) {
      assertThat(Names.isValidMetricName(Names.metric(s))).as(s).isTrue();
      assertThat(Names.isValidLabelName(Names.label(s))).as(s).isTrue();
    }
  }
}
