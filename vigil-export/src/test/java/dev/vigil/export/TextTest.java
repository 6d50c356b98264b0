package dev.vigil.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TextTest {
  private static String number(double v) {
    StringBuilder sb = new StringBuilder();
    Text.number(sb, v);
    return sb.toString();
  }

  @Test
  void fewDecimals_writeTheShortDecimal() {
    assertThat(number(12.3)).isEqualTo("12.3");
    assertThat(number(-0.05)).isEqualTo("-0.05");
    assertThat(number(0.001)).isEqualTo("0.001");
    assertThat(number(1.05)).isEqualTo("1.05");
    assertThat(number(-7.125)).isEqualTo("-7.125");
    assertThat(number(0.1 + 0.2)).isEqualTo("0.30000000000000004");
    assertThat(number(1e-7)).isEqualTo("1.0E-7");
    assertThat(number(3)).isEqualTo("3");
  }

  @Test
  void everyValue_readsBackExactly() {
    SplittableRandom r = new SplittableRandom(42);
    for (int i = 0; i < 1_000_000; i++) {
      double v =
          switch (i % 4) {
            case 0 -> Math.round(r.nextDouble(-1e6, 1e6) * 10) / 10.0;
            case 1 -> Math.round(r.nextDouble(-1e4, 1e4) * 1000) / 1000.0;
            case 2 -> r.nextDouble(-1e13, 1e13);
            default -> Double.longBitsToDouble(r.nextLong());
          };
      String s = number(v);
      double back =
          switch (s) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
          };
      assertThat(Double.doubleToLongBits(back))
          .as(s)
          .isEqualTo(Double.doubleToLongBits(v == 0 ? 0.0 : v));
    }
  }
}
