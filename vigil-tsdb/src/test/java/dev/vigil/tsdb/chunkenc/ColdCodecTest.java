package dev.vigil.tsdb.chunkenc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.StaleMarker;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Property tests: every generated column decodes to the exact same bits. */
class ColdCodecTest {
  @Test
  void valueColumns_ofEveryShape_roundTripBitExact() {
    Random r = new Random(7);
    for (int round = 0; round < 2_000; round++) {
      int n = 1 + r.nextInt(r.nextBoolean() ? 20 : 3000);
      double[] vs = generate(r, n, round % 9);
      byte[] enc = ColdCodec.encodeValues(vs, n);
      double[] dec = ColdCodec.decodeValues(enc, 0, enc.length, n);
      for (int i = 0; i < n; i++) {
        assertThat(Double.doubleToRawLongBits(dec[i]))
            .as("round %d shape %d sample %d of %s", round, round % 9, i, vs[i])
            .isEqualTo(Double.doubleToRawLongBits(vs[i]));
      }
    }
  }

  @Test
  void timestampColumns_roundTripExactly() {
    Random r = new Random(3);
    for (int round = 0; round < 1_000; round++) {
      int n = 1 + r.nextInt(5000);
      long[] ts = new long[n];
      long t = r.nextLong() >> 3;
      for (int i = 0; i < n; i++) {
        t +=
            switch (round % 4) {
              case 0 -> 1000;
              case 1 -> 1000 + r.nextInt(21) - 10; // scrape jitter
              case 2 -> r.nextInt(Integer.MAX_VALUE);
              default -> r.nextBoolean() ? 1 : 1L << 50;
            };
        ts[i] = t;
      }
      byte[] enc = ColdCodec.encodeTimestamps(ts, n);
      assertThat(ColdCodec.decodeTimestamps(enc, 0, enc.length)).isEqualTo(ts);
    }
  }

  @Test
  void constantAndCounterColumns_areSpecialCasedSmall() {
    double[] constant = new double[1000];
    java.util.Arrays.fill(constant, 3.25);
    assertThat(ColdCodec.encodeValues(constant, 1000)).hasSize(9);
    double[] counter = new double[1000];
    for (int i = 0; i < 1000; i++) {
      counter[i] = 1_000_000 + i * 1000; // constant rate: dod all zero
    }
    assertThat(ColdCodec.encodeValues(counter, 1000).length).isLessThan(80);
    double[] decimals = new double[1000];
    Random r = new Random(1);
    double v = 12345.67;
    for (int i = 0; i < 1000; i++) {
      v = Math.round((v + r.nextInt(50) / 100.0) * 100) / 100.0;
      decimals[i] = Double.parseDouble(String.format("%.2f", v));
    }
    byte[] enc = ColdCodec.encodeValues(decimals, 1000);
    assertThat(enc[0]).isEqualTo(ColdCodec.SCALED);
    assertThat(enc.length).isLessThan(1000); // under a byte per sample
  }

  @Test
  void timestampsOfRegularScrapes_costAlmostNothing() {
    long[] ts = new long[7200];
    for (int i = 0; i < ts.length; i++) {
      ts[i] = 1_700_000_000_000L + i * 1000L;
    }
    assertThat(ColdCodec.encodeTimestamps(ts, ts.length).length).isLessThan(7200 / 16 + 20);
  }

  private static double[] generate(Random r, int n, int shape) {
    double[] vs = new double[n];
    double v = r.nextInt(1000);
    for (int i = 0; i < n; i++) {
      vs[i] =
          switch (shape) {
            case 0 -> 5.5;
            case 1 -> v += r.nextInt(1000);
            case 2 -> v = Double.parseDouble(String.format("%.3f", r.nextDouble() * 1000));
            case 3 -> Double.longBitsToDouble(r.nextLong());
            case 4 -> special(r);
            case 5 -> r.nextInt(3) == 0 ? -0.0 : r.nextInt(5);
            case 6 -> r.nextGaussian();
            case 7 -> v += r.nextBoolean() ? 0.1 : -0.1;
            default -> i % 17 == 0 ? StaleMarker.VALUE : (double) (1L << 52) + i;
          };
    }
    return vs;
  }

  private static double special(Random r) {
    double[] s = {
      Double.NaN,
      StaleMarker.VALUE,
      Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY,
      -0.0,
      0.0,
      Double.MIN_VALUE,
      1e308,
      0.1,
      1e-9
    };
    return s[r.nextInt(s.length)];
  }
}
