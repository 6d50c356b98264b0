package dev.vigil.promql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Labels;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RawSeriesTest {
  @Test
  void firstAfterAgreesWithALinearScanFromEveryStart() {
    Random rnd = new Random(42);
    for (int round = 0; round < 200; round++) {
      RawSeries s = new RawSeries(Labels.of("__name__", "m"), 1);
      int n = rnd.nextInt(70);
      long t = rnd.nextInt(10);
      for (int i = 0; i < n; i++) {
        t += rnd.nextInt(4); // repeats allowed: firstAfter must skip equal timestamps
        s.add(t, i);
      }
      for (int from = 0; from <= n; from++) {
        for (long q = -1; q <= t + 2; q++) {
          int expected = from;
          while (expected < n && s.ts[expected] <= q) {
            expected++;
          }
          assertThat(s.firstAfter(q, from)).as("n=%d from=%d t=%d", n, from, q).isEqualTo(expected);
        }
      }
    }
  }
}
