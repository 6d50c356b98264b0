package dev.vigil.cli.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Querier;
import dev.vigil.model.Resolution;
import dev.vigil.model.SampleIterator;
import dev.vigil.model.SelectHints;
import dev.vigil.model.SeriesSet;
import dev.vigil.tsdb.Tsdb;
import dev.vigil.tsdb.block.BlockMeta;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil tsdb import openmetrics} writes rollups, and 1 h reads of imported data use them.
 */
class ImportRollupsTest {
  private static final long H = 3600_000L;
  private static final long START = 1_700_000_000_000L; // not on a 2 h boundary
  private static final long STEP = 15_000L;
  private static final int N = (int) (6 * H / STEP);

  @TempDir Path dir;

  @Test
  void import_writesRollupsBesideEveryBlock_andOneHourReadsUseThem() throws Exception {
    StringBuilder om = new StringBuilder("# TYPE req counter\n# TYPE temp gauge\n");
    double c = 1e6;
    for (int i = 0; i < N; i++) {
      c = i == N / 2 ? 5 : c + (i % 7); // a reset half way
      long t = START + i * STEP;
      om.append(
          String.format(Locale.ROOT, "req_total{job=\"a\"} %s %d.%03d%n", c, t / 1000, t % 1000));
      om.append(
          String.format(
              Locale.ROOT, "temp{job=\"a\"} %s %d.%03d%n", (i * 37) % 101, t / 1000, t % 1000));
    }
    om.append("# EOF\n");
    Path file = dir.resolve("in.om");
    Files.writeString(file, om, StandardCharsets.UTF_8);
    Path db = dir.resolve("db");

    OpenMetricsImporter.Result r = OpenMetricsImporter.run(file, db, b -> {});

    assertThat(r.blocks()).hasSize(4); // 6 h from a point inside a 2 h block
    long lastStart = Math.floorDiv(START, 2 * H) * 2 * H + 6 * H; // the last block: 13 min of data
    for (BlockMeta raw : r.blocks()) {
      for (Resolution res : List.of(Resolution.FIVE_MINUTES, Resolution.ONE_HOUR)) {
        if (raw.minTime() == lastStart) {
          assertThat(r.rollups())
              .as("%s rollups of the last block, 13 min of samples: none", res)
              .noneMatch(m -> m.minTime() == raw.minTime());
          continue;
        }
        assertThat(r.rollups())
            .as("%s rollups of block [%d, %d)", res, raw.minTime(), raw.maxTime())
            .anyMatch(
                m ->
                    m.resolution() == res.millis()
                        && m.minTime() == raw.minTime()
                        && m.maxTime() == raw.maxTime());
      }
    }
    try (Tsdb t = Tsdb.builder(db).backgroundInterval(Duration.ZERO).log(m -> {}).open()) {
      List<long[]> raw = read(t, SelectHints.range(START, START + N * STEP), "req_total");
      assertThat(raw).hasSize(N);
      // The last block has no rollups: 1 h reads there answer from its raw samples.
      List<long[]> tail = read(t, SelectHints.range(lastStart, START + N * STEP), "temp");
      assertThat(tail).hasSize(53); // 13 min 20 s at 15 s
      assertThat(
              read(
                  t,
                  new SelectHints(
                      lastStart, START + N * STEP, 0, "max_over_time", 0, Resolution.ONE_HOUR),
                  "temp"))
          .usingElementComparator(Arrays::compare)
          .containsExactlyElementsOf(tail);
      long end = lastStart - 1; // the rest is rolled up
      List<long[]> inc =
          read(t, new SelectHints(START, end, 0, "increase", 0, Resolution.ONE_HOUR), "req_total");
      assertThat(inc.size()).isBetween(6, 12); // one per hour (and per block start): rollups
      for (int i = 0; i + 1 < inc.size(); i++) {
        long t1 = inc.get(i)[0];
        long t2 = inc.get(i + 1)[0];
        double want = increase(raw, t1, t2);
        assertThat(
                Double.longBitsToDouble(inc.get(i + 1)[1]) - Double.longBitsToDouble(inc.get(i)[1]))
            .as("increase between %d and %d", t1, t2)
            .isCloseTo(want, Offset.offset(1e-6));
      }
      List<long[]> gauge = read(t, SelectHints.range(START, end), "temp");
      List<long[]> max =
          read(t, new SelectHints(START, end, 0, "max_over_time", 0, Resolution.ONE_HOUR), "temp");
      assertThat(max).hasSizeBetween(6, 7);
      for (long[] s : max) {
        long win = Math.floorDiv(s[0], H) * H;
        double want =
            gauge.stream()
                .filter(g -> g[0] >= win && g[0] < win + H)
                .mapToDouble(g -> Double.longBitsToDouble(g[1]))
                .max()
                .orElseThrow();
        assertThat(Double.longBitsToDouble(s[1])).as("max of hour %d", win).isEqualTo(want);
      }
    }
  }

  private static double increase(List<long[]> samples, long t1, long t2) {
    double sum = 0;
    double prev = Double.NaN;
    for (long[] s : samples) {
      if (s[0] < t1 || s[0] > t2) {
        continue;
      }
      double v = Double.longBitsToDouble(s[1]);
      if (!Double.isNaN(prev)) {
        sum += v >= prev ? v - prev : v;
      }
      prev = v;
    }
    return sum;
  }

  private static List<long[]> read(Tsdb db, SelectHints h, String name) {
    List<long[]> out = new ArrayList<>();
    try (Querier q = db.querier(h.start(), h.end())) {
      SeriesSet set = q.select(h, List.of(LabelMatcher.equal("__name__", name)));
      assertThat(set.next()).isTrue();
      SampleIterator it = set.at().iterator();
      while (it.next()) {
        out.add(new long[] {it.timestamp(), Double.doubleToRawLongBits(it.value())});
      }
      assertThat(set.next()).isFalse();
    }
    return out;
  }
}
