package dev.vigil.rules.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GoFloatTest {
  @Test
  void shortest_readsBackToTheSameDoubleWithNoMoreDigitsThanJava() {
    SplittableRandom r = new SplittableRandom(42);
    for (int i = 0; i < 20_000; i++) {
      double v = Double.longBitsToDouble(r.nextLong());
      if (Double.isNaN(v) || Double.isInfinite(v)) {
        continue;
      }
      String e = GoFloat.format(v, 'e', -1);
      assertThat(Double.parseDouble(e)).as(e).isEqualTo(v);
      String mantissa = e.substring(0, e.indexOf('e')).replace("-", "").replace(".", "");
      String java =
          new BigDecimal(Double.toString(Math.abs(v)))
              .stripTrailingZeros()
              .unscaledValue()
              .toString();
      assertThat(mantissa.length()).as(e).isLessThanOrEqualTo(java.length());
    }
  }

  @Test
  void precision_roundsTheExactBinaryValueHalfEven() {
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < 10_000; i++) {
      double v = (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(-12, 12));
      int p = r.nextInt(0, 17);
      BigDecimal exact = new BigDecimal(v).round(new MathContext(p + 1, RoundingMode.HALF_EVEN));
      String e = GoFloat.format(v, 'e', p);
      assertThat(new BigDecimal(e.replace("e", "E")).compareTo(exact))
          .as(v + " %." + p + "e")
          .isZero();
    }
  }

  @Test
  void precision_nearTies_matchTheExactValueForEAndF() {
    SplittableRandom r = new SplittableRandom(11);
    for (int i = 0; i < 20_000; i++) {
      int k = r.nextInt(-1_000_000, 1_000_000);
      double v =
          switch (i % 4) {
            case 0 -> k / 1000.0;
            case 1 -> k / 64.0;
            case 2 -> k * 1e-7;
            default -> k * 12345.0;
          };
      int p = r.nextInt(0, 9);
      BigDecimal exact = new BigDecimal(v);
      BigDecimal e = exact.round(new MathContext(p + 1, RoundingMode.HALF_EVEN));
      String ge = GoFloat.format(v, 'e', p);
      if (v != 0) {
        assertThat(new BigDecimal(ge.replace("e", "E")).compareTo(e))
            .as(v + " %." + p + "e = " + ge)
            .isZero();
      }
      String gf = GoFloat.format(v, 'f', p);
      assertThat(new BigDecimal(gf).compareTo(exact.setScale(p, RoundingMode.HALF_EVEN)))
          .as(v + " %." + p + "f = " + gf)
          .isZero();
      assertThat(gf.indexOf('.') < 0 ? 0 : gf.length() - gf.indexOf('.') - 1).isEqualTo(p);
    }
  }

  @Test
  void goForms_specialValuesAndExponents() {
    assertThat(GoFloat.format(1e6, 'g', -1)).isEqualTo("1e+06");
    assertThat(GoFloat.format(123456, 'g', -1)).isEqualTo("123456");
    assertThat(GoFloat.format(1e-5, 'g', -1)).isEqualTo("1e-05");
    assertThat(GoFloat.format(-0.0, 'g', -1)).isEqualTo("-0");
    assertThat(GoFloat.format(Double.NaN, 'f', 2)).isEqualTo("NaN");
    assertThat(GoFloat.format(Double.NEGATIVE_INFINITY, 'e', 2)).isEqualTo("-Inf");
    assertThat(GoFloat.format(Double.MIN_VALUE, 'g', -1)).isEqualTo("5e-324");
    assertThat(GoFloat.format(1234567.89, 'g', 4)).isEqualTo("1.235e+06");
    assertThat(GoFloat.format(2.5, 'f', 0)).isEqualTo("2");
  }
}
