package dev.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.model.Resolution;
import dev.vigil.model.SelectHints;
import dev.vigil.model.StaleMarker;
import dev.vigil.tsdb.block.Block;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Counter rollups against raw data. A rollup keeps, per window, the counter's value at the window's
 * last raw sample (resets removed), so what it can represent exactly is the increase between two of
 * its sample times: for any two rollup samples at t1 &lt; t2 the increase PromQL sees in the rollup
 * (drops counted as resets) must equal the increase in the raw samples between t1 and t2. Anything
 * above that is an invented increase, anything below a lost one. The tolerance is floating-point
 * rounding only.
 */
class RollupCounterTest {
  private static final long S = 1000;
  private static final long M = 60 * S;
  private static final long H = 60 * M;

  @TempDir Path dir;

  private Tsdb open() throws Exception {
    return Tsdb.builder(dir).backgroundInterval(Duration.ZERO).log(m -> {}).open();
  }

  /** Appends one sample per 30 s in [from, to) of a counter growing by 10 per sample. */
  private static double grow(Tsdb db, String name, long from, long to, double start) {
    Appender app = db.appender();
    double v = start;
    for (long t = from; t < to; t += 30 * S) {
      app.append(0, Labels.of("__name__", name), t, v);
      v += 10;
    }
    app.commit();
    return v;
  }

  private static void append(Tsdb db, String name, long t, double v) {
    Appender app = db.appender();
    app.append(0, Labels.of("__name__", name), t, v);
    app.commit();
  }

  @Test
  void resetInFirstBlock_thenNoResetAtTheBoundary_rollupInventsNoIncrease() throws Exception {
    try (Tsdb db = open()) {
      grow(db, "c", 0, H, 5000); // up to 5000 + 119 * 10
      double v = grow(db, "c", H, 2 * H, 0); // reset at 1 h
      db.flushHead(); // block [0, 2 h)
      grow(db, "c", 2 * H, 4 * H, v); // no reset at the boundary
      db.flushHead();
      assertRollupsMatchRaw(db, "c", 0, 4 * H, 4 * H - 30 * S);
    }
  }

  @Test
  void resetOnTheFirstSampleOfTheSecondBlock() throws Exception {
    try (Tsdb db = open()) {
      grow(db, "c", 0, H, 100);
      grow(db, "c", H, 2 * H, 3); // a reset inside the first block too
      db.flushHead();
      grow(db, "c", 2 * H, 4 * H, 1); // reset exactly at the boundary
      db.flushHead();
      assertRollupsMatchRaw(db, "c", 0, 4 * H, 4 * H - 30 * S);
    }
  }

  @Test
  void windowsSplitAcrossBlocks_seriesStartingInTheSecondBlock_staleMarkers() throws Exception {
    try (Tsdb db = open()) {
      grow(db, "c", 0, 40 * M, 50);
      double v = grow(db, "c", 40 * M, 117 * M + 30 * S, 7);
      grow(db, "only_first", 0, 50 * M, 10);
      grow(db, "only_first", 50 * M, 90 * M, 1);
      db.flushHead(); // cut at 1:57:30, inside a 5 m and a 1 h window
      v = grow(db, "c", 118 * M, 150 * M + 15 * S, v);
      append(db, "c", 150 * M + 30 * S, StaleMarker.VALUE); // stale inside a window
      v = grow(db, "c", 151 * M, 200 * M, v);
      grow(db, "c", 200 * M, 230 * M, 2);
      grow(db, "late", 130 * M, 170 * M, 900);
      grow(db, "late", 170 * M, 230 * M, 4);
      db.flushHead();
      assertRollupsMatchRaw(db, "c", 0, 4 * H, 4 * H - 30 * S);
      assertRollupsMatchRaw(db, "late", 0, 4 * H, 4 * H - 30 * S);
      assertRollupsMatchRaw(db, "only_first", 0, 4 * H, 4 * H - 30 * S);
    }
  }

  @Test
  void rollupsFollowedByTheRawHead() throws Exception {
    try (Tsdb db = open()) {
      grow(db, "c", 0, H, 5000);
      double v = grow(db, "c", H, 2 * H, 0);
      db.flushHead();
      v = grow(db, "c", 2 * H, 3 * H, v); // stays in the head, read raw
      grow(db, "c", 3 * H, 4 * H, 0);
      assertRollupsMatchRaw(db, "c", 0, 4 * H, 2 * H - 30 * S);
    }
  }

  @Test
  void compactedRollupBlocks_keepTheCounterConsistent() throws Exception {
    try (Tsdb db = open()) {
      double v = 0;
      for (int b = 0; b < 3; b++) { // three 2 h blocks, each with a reset in its middle
        grow(db, "c", b * 2 * H, b * 2 * H + H, v);
        v = grow(db, "c", b * 2 * H + H, (b + 1) * 2 * H, b + 1);
        db.flushHead();
      }
      grow(db, "c", 6 * H, 7 * H, v);
      assertRollupsMatchRaw(db, "c", 0, 7 * H, 6 * H - 30 * S);
      db.maintain(); // merges the rollup blocks of [0, 6 h)
      assertThat(db.blocks())
          .anyMatch(b -> b.meta().resolution() == Resolution.ONE_HOUR.millis() && level(b) > 1);
      assertRollupsMatchRaw(db, "c", 0, 7 * H, 6 * H - 30 * S);
    }
    try (Tsdb db = open()) { // and after a restart
      assertRollupsMatchRaw(db, "c", 0, 7 * H, 6 * H - 30 * S);
    }
  }

  @Test
  void rawBlocksWithoutRollups_getThemAtMaintenance_once() throws Exception {
    try (Tsdb db =
        Tsdb.builder(dir).backgroundInterval(Duration.ZERO).rollups(false).log(m -> {}).open()) {
      grow(db, "c", 0, H, 5000);
      double v = grow(db, "c", H, 2 * H, 0);
      db.flushHead();
      grow(db, "c", 2 * H, 4 * H, v);
      db.flushHead();
      assertThat(db.blocks()).allMatch(b -> b.meta().resolution() == 0).hasSize(2);
    }
    try (Tsdb db = open()) {
      assertThat(db.maintain()).isEqualTo(4); // 5 m and 1 h beside both raw blocks
      for (Resolution res : List.of(Resolution.FIVE_MINUTES, Resolution.ONE_HOUR)) {
        assertThat(db.blocks()).filteredOn(b -> b.meta().resolution() == res.millis()).hasSize(2);
      }
      assertRollupsMatchRaw(db, "c", 0, 4 * H, 4 * H - 30 * S);
      db.maintain(); // merges the new rollup blocks
      assertThat(db.maintain()).isZero(); // and writes no more
      assertRollupsMatchRaw(db, "c", 0, 4 * H, 4 * H - 30 * S);
    }
  }

  private static int level(Block b) {
    return b.meta().level();
  }

  /**
   * For both rollup resolutions: the rollup's increase between any two of its samples equals the
   * raw increase between the same times; and the rollup really was read where blocks were cut
   * (before {@code rolledUpTo}: far fewer samples than raw).
   */
  private static void assertRollupsMatchRaw(
      Tsdb db, String name, long from, long to, long rolledUpTo) {
    List<long[]> raw = only(TestUtil.read(db, from, to, TestUtil.name(name)));
    for (Resolution res : List.of(Resolution.FIVE_MINUTES, Resolution.ONE_HOUR)) {
      for (String func : List.of("rate", "increase")) {
        SelectHints h = new SelectHints(from, to, 0, func, 0, res);
        List<long[]> roll = only(TestUtil.read(db, h, TestUtil.name(name)));
        assertThat(roll).as("%s rollup samples of %s", res, name).isNotEmpty();
        assertThat(roll.stream().filter(x -> x[0] < rolledUpTo).count())
            .as("rollup samples before %d", rolledUpTo)
            .isLessThan(raw.stream().filter(x -> x[0] < rolledUpTo).count() / 3);
        for (int i = 0; i < roll.size(); i++) {
          for (int j = i + 1; j < roll.size(); j++) {
            long t1 = roll.get(i)[0];
            long t2 = roll.get(j)[0];
            double want = increase(raw, t1, t2);
            double got = increase(roll, t1, t2);
            assertThat(got)
                .as("%s %s increase of %s between %d and %d", res, func, name, t1, t2)
                .isCloseTo(want, org.assertj.core.data.Offset.offset(1e-9 * (1 + want)));
          }
        }
      }
    }
  }

  /** PromQL's counter increase over the samples in [t1, t2] (drops are resets, stale skipped). */
  static double increase(List<long[]> samples, long t1, long t2) {
    double sum = 0;
    double prev = Double.NaN;
    for (long[] s : samples) {
      double v = Double.longBitsToDouble(s[1]);
      if (s[0] < t1 || s[0] > t2 || StaleMarker.is(v)) {
        continue;
      }
      if (!Double.isNaN(prev)) {
        sum += v >= prev ? v - prev : v;
      }
      prev = v;
    }
    return sum;
  }

  private static List<long[]> only(Map<Labels, List<long[]>> m) {
    assertThat(m).hasSize(1);
    return new ArrayList<>(m.values().iterator().next());
  }
}
