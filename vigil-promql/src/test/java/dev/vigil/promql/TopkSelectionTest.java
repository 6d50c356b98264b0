package dev.vigil.promql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TopkSelectionTest {
  @Test
  void firstK_isTheStableSortsFirstK_withTiesInInputOrder() {
    Comparator<Sample> desc = (x, y) -> Double.compare(y.value(), x.value());
    for (long seed = 0; seed < 300; seed++) {
      SplittableRandom r = new SplittableRandom(seed);
      List<Sample> g = new ArrayList<>();
      int n = 1 + r.nextInt(40);
      for (int i = 0; i < n; i++) {
        double v = r.nextInt(6) == 0 ? Double.NaN : r.nextInt(8); // many ties
        g.add(new Sample(Labels.of("i", Integer.toString(i)), 0, v, false));
      }
      int k = 1 + r.nextInt(n + 2);
      Sample[] sorted = g.toArray(new Sample[0]);
      Arrays.sort(sorted, desc);
      List<Sample> expected = Arrays.asList(sorted).subList(0, Math.min(k, n));
      assertThat(Aggregations.firstK(g, desc, Math.min(k, n)))
          .as("seed %d, k %d", seed, k)
          .containsExactlyElementsOf(expected);
    }
  }
}
