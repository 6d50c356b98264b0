package dev.vigil.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Prometheus' (Go's) texts for alert values, JSON floats and times. */
class RulesApiFormatTest {
  @Test
  void alertValues_areGoShortestExponentText() {
    assertThat(RulesApi.formatE(1)).isEqualTo("1e+00");
    assertThat(RulesApi.formatE(20)).isEqualTo("2e+01");
    assertThat(RulesApi.formatE(1234567.89)).isEqualTo("1.23456789e+06");
    assertThat(RulesApi.formatE(0.000123456)).isEqualTo("1.23456e-04");
    assertThat(RulesApi.formatE(1e-9)).isEqualTo("1e-09");
    assertThat(RulesApi.formatE(1e300)).isEqualTo("1e+300");
    assertThat(RulesApi.formatE(-0.5)).isEqualTo("-5e-01");
    assertThat(RulesApi.formatE(0)).isEqualTo("0e+00");
    assertThat(RulesApi.formatE(-0.0)).isEqualTo("-0e+00");
    assertThat(RulesApi.formatE(Double.NaN)).isEqualTo("NaN");
    assertThat(RulesApi.formatE(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
    assertThat(RulesApi.formatE(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
  }

  @Test
  void jsonFloats_areWrittenAsGoEncodingJsonDoes() {
    assertThat(raw(3)).isEqualTo("3");
    assertThat(raw(0.5)).isEqualTo("0.5");
    assertThat(raw(0.000123)).isEqualTo("0.000123");
    assertThat(raw(1.5e-7)).isEqualTo("1.5e-7");
    assertThat(raw(0)).isEqualTo("0");
  }

  private static String raw(double v) {
    return String.valueOf(RulesApi.goFloat(v).rawValue());
  }

  @Test
  void times_areRfc3339WithTrimmedNanoseconds_andZeroBeforeTheFirstEvaluation() {
    assertThat(RulesApi.time(null)).isEqualTo("0001-01-01T00:00:00Z");
    assertThat(RulesApi.time(Instant.parse("2026-12-07T17:29:44Z")))
        .isEqualTo("2026-12-07T17:29:44Z");
    assertThat(RulesApi.time(Instant.parse("2026-12-07T17:29:44.480Z")))
        .isEqualTo("2026-12-07T17:29:44.48Z");
    assertThat(RulesApi.time(Instant.parse("2026-12-07T17:29:44.487687194Z")))
        .isEqualTo("2026-12-07T17:29:44.487687194Z");
  }
}
