package dev.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.model.StaleMarker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property test through the whole store: random values (special floats included) at irregular times
 * come back bit for bit from the head, from blocks cut from it, and from compacted blocks.
 */
class BitExactnessTest {
  @TempDir Path dir;

  @Test
  void everyValueAndTimestamp_survivesHeadBlocksAndCompaction_bitExact() throws Exception {
    Random r = new Random(Long.getLong("vigil.seed", 20261125L));
    Map<Labels, List<long[]>> want = new HashMap<>();
    try (Tsdb db =
        Tsdb.builder(dir).backgroundInterval(Duration.ZERO).rollups(false).log(m -> {}).open()) {
      Appender app = db.appender();
      for (int s = 0; s < 40; s++) {
        Labels l = Labels.of("__name__", "p", "s", "" + s);
        List<long[]> samples = new ArrayList<>();
        long t = r.nextInt(1000);
        double v = r.nextInt(100);
        for (int i = 0; i < 1500; i++) {
          t += 1 + (r.nextInt(10) == 0 ? r.nextInt(3_600_000) : r.nextInt(30_000));
          v = next(r, v, s % 6);
          app.append(0, l, t, v);
          samples.add(new long[] {t, Double.doubleToRawLongBits(v)});
        }
        app.commit();
        want.put(l, samples);
      }
      assertThat(
              TestUtil.flat(TestUtil.read(db, Long.MIN_VALUE, Long.MAX_VALUE, TestUtil.name("p"))))
          .isEqualTo(TestUtil.flat(want));
      db.maintain(); // cuts the head into blocks and compacts them
      assertThat(db.blocks()).isNotEmpty();
      db.flushHead();
      assertThat(
              TestUtil.flat(TestUtil.read(db, Long.MIN_VALUE, Long.MAX_VALUE, TestUtil.name("p"))))
          .isEqualTo(TestUtil.flat(want));
    }
  }

  private static double next(Random r, double prev, int shape) {
    return switch (shape) {
      case 0 -> Double.longBitsToDouble(r.nextLong());
      case 1 -> prev + r.nextInt(1000);
      case 2 -> Math.round(r.nextDouble() * 1e5) / 100.0;
      case 3 -> {
        double[] s = {
          Double.NaN,
          StaleMarker.VALUE,
          -0.0,
          0.0,
          Double.POSITIVE_INFINITY,
          Double.NEGATIVE_INFINITY,
          Double.MIN_VALUE,
          1.5
        };
        yield s[r.nextInt(s.length)];
      }
      case 4 -> r.nextInt(20) == 0 ? r.nextGaussian() : prev;
      default -> r.nextGaussian() * 1e-300;
    };
  }
}
