package dev.vigil.promql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Labels;
import dev.vigil.promql.test.MemoryStorage;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Range queries answer max/min_over_time from a monotonic queue and skip rate's reset scan on
 * windows without a drop; an {@code @}-pinned instant query per step still scans each window. Both
 * must give bit-identical answers, NaN, equal values of either sign and counter resets included.
 */
class SlidingWindowTest {
  private static MemoryStorage randomSeries(long seed) {
    Random rnd = new Random(seed);
    MemoryStorage db = new MemoryStorage();
    for (int s = 0; s < 4; s++) {
      Labels l = Labels.of("__name__", "m_total", "i", "" + s);
      double counter = 0;
      long t = 0;
      for (int i = 0; i < 400; i++) {
        t += 1_000 + rnd.nextInt(3) * 1_000; // irregular gaps
        double v =
            switch (rnd.nextInt(12)) {
              case 0 -> Double.NaN;
              case 1 -> 0.0;
              case 2 -> -0.0;
              case 3 -> counter = 0; // a counter reset
              default -> counter += rnd.nextInt(5);
            };
        db.add(l, t, v);
      }
    }
    return db;
  }

  @ParameterizedTest
  @ValueSource(strings = {"max_over_time", "min_over_time", "rate", "increase"})
  void rangeQueryEqualsPinnedInstantQueries(String fn) {
    for (long seed = 1; seed <= 5; seed++) {
      Engine e = Engine.builder(randomSeries(seed)).build();
      String q = fn + "(m_total[" + (10 + seed * 7) + "s])";
      long start = 3_500;
      long step = 1_000 + seed * 500;
      QueryResult range = e.rangeQuery(q, start, 700_000, step);
      for (QueryResult.Series s : range.matrix()) {
        String sel = "{i=\"" + s.labels().get("i") + "\"}";
        for (int k = 0; k < s.size(); k++) {
          long t = s.timestamps()[k];
          String pinned =
              fn + "(m_total" + sel + "[" + (10 + seed * 7) + "s] @ " + (t / 1000.0) + ")";
          QueryResult one = e.instantQuery(pinned, t);
          assertThat(one.vector()).as("%s at %d", pinned, t).hasSize(1);
          assertThat(Double.doubleToRawLongBits(one.vector().get(0).value()))
              .as("%s at %d", pinned, t)
              .isEqualTo(Double.doubleToRawLongBits(s.values()[k]));
        }
      }
    }
  }

  @Test
  void everyStepOfAnAllNanWindowIsNan() {
    MemoryStorage db = new MemoryStorage();
    Labels l = Labels.of("__name__", "g");
    for (int i = 0; i < 20; i++) {
      db.add(l, i * 1_000L, i < 10 ? Double.NaN : i);
    }
    QueryResult r = Engine.builder(db).build().rangeQuery("max_over_time(g[3s])", 0, 19_000, 1_000);
    double[] v = r.matrix().get(0).values();
    assertThat(v[0]).isNaN();
    assertThat(v[9]).isNaN();
    assertThat(v[10]).isEqualTo(10);
    assertThat(v[19]).isEqualTo(19);
  }
}
