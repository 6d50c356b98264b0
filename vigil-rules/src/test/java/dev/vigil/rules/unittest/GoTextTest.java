package dev.vigil.rules.unittest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Labels;
import org.junit.jupiter.api.Test;

/** The failure report prints numbers and labels as promtool (Go) does. */
class GoTextTest {
  @Test
  void floatE_isGoFormatFloatWithShortestDigits() {
    assertThat(GoText.floatE(99)).isEqualTo("9.9E+01");
    assertThat(GoText.floatE(1)).isEqualTo("1E+00");
    assertThat(GoText.floatE(0.05)).isEqualTo("5E-02");
    assertThat(GoText.floatE(0.049999999999999996)).isEqualTo("4.9999999999999996E-02");
    assertThat(GoText.floatE(1.7499999999999991)).isEqualTo("1.7499999999999991E+00");
    assertThat(GoText.floatE(123456789)).isEqualTo("1.23456789E+08");
    assertThat(GoText.floatE(1e21)).isEqualTo("1E+21");
    assertThat(GoText.floatE(1e-300)).isEqualTo("1E-300");
    assertThat(GoText.floatE(0)).isEqualTo("0E+00");
    assertThat(GoText.floatE(-0.0)).isEqualTo("-0E+00");
    assertThat(GoText.floatE(-2.5)).isEqualTo("-2.5E+00");
    assertThat(GoText.floatE(Double.NaN)).isEqualTo("NaN");
    assertThat(GoText.floatE(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
    assertThat(GoText.floatE(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
  }

  @Test
  void labels_includeTheNameInsideTheBracesSortedAndQuoted() {
    assertThat(GoText.labels(Labels.of("__name__", "up", "job", "a\"b", "instance", "x\ny")))
        .isEqualTo("{__name__=\"up\", instance=\"x\\ny\", job=\"a\\\"b\"}");
    assertThat(GoText.labels(Labels.EMPTY)).isEqualTo("{}");
  }
}
