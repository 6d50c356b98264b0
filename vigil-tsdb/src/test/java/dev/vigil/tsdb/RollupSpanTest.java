package dev.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.model.Resolution;
import dev.vigil.model.SelectHints;
import dev.vigil.tsdb.block.Block;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollups only where they pay: a block whose samples span less than an hour gets none (its rollup
 * indexes would outweigh it), not at the head cut, not by the backfill; reads asking for a coarse
 * resolution fall back to its raw samples. A block with two hours of data still gets both.
 */
class RollupSpanTest {
  private static final long S = 1000;
  private static final long H = 3_600 * S;

  private static Tsdb open(Path dir) throws Exception {
    return Tsdb.builder(dir)
        .backgroundInterval(Duration.ZERO)
        .retention(Duration.ofDays(15))
        .clock(() -> 100 * H)
        .log(m -> {})
        .open();
  }

  /** Appends samples every second over {@code [from, to)}: a counter and a gauge. */
  private static void write(Tsdb db, long from, long to) {
    Appender app = db.appender();
    long c = 0;
    long g = 0;
    for (long t = from; t < to; t += S) {
      c = app.append(c, Labels.of("__name__", "ticks_total"), t, t / S);
      g = app.append(g, Labels.of("__name__", "temp"), t, (t / S) % 17);
    }
    app.commit();
  }

  private static List<Long> resolutions(Tsdb db) {
    return db.blocks().stream().map(b -> b.meta().resolution()).sorted().toList();
  }

  private static List<String> samples(Tsdb db, SelectHints hints) {
    Map<Labels, List<long[]>> m = TestUtil.read(db, hints, TestUtil.name("ticks_total"));
    assertThat(m).hasSize(1);
    return m.values().iterator().next().stream()
        .map(s -> s[0] + "=" + Double.longBitsToDouble(s[1]))
        .toList();
  }

  @Test
  void fifteenMinutes_getNoRollups_andCoarseReadsAnswerFromRawData(@TempDir Path dir)
      throws Exception {
    try (Tsdb db = open(dir)) {
      write(db, 0, 15 * 60 * S);
      db.flushHead();
      assertThat(resolutions(db)).containsExactly(0L);
      assertThat(db.maintain()).as("backfill writes none either").isZero();
      assertThat(resolutions(db)).containsExactly(0L);

      List<String> raw = samples(db, SelectHints.range(0, 15 * 60 * S));
      assertThat(raw).hasSize(900);
      for (Resolution res : List.of(Resolution.FIVE_MINUTES, Resolution.ONE_HOUR)) {
        SelectHints coarse = new SelectHints(0, 15 * 60 * S, 0, "rate", 0, res);
        assertThat(samples(db, coarse)).as("%s read falls back to raw", res).isEqualTo(raw);
      }
    }
    try (Tsdb db = open(dir)) {
      assertThat(db.maintain()).as("reopened: still none").isZero();
      assertThat(resolutions(db)).containsExactly(0L);
    }
  }

  @Test
  void twoHours_getBothRollups(@TempDir Path dir) throws Exception {
    try (Tsdb db = open(dir)) {
      write(db, 0, 2 * H);
      db.flushHead();
      assertThat(resolutions(db))
          .containsExactly(0L, Resolution.FIVE_MINUTES.millis(), Resolution.ONE_HOUR.millis());
      for (Block b : db.blocks()) {
        assertThat(b.meta().minTime()).isZero();
      }
    }
  }

  @Test
  void rollupsOff_thenOn_backfillSkipsTheShortBlock_butFillsTheLongOne(@TempDir Path dir)
      throws Exception {
    try (Tsdb db =
        Tsdb.builder(dir)
            .backgroundInterval(Duration.ZERO)
            .rollups(false)
            .clock(() -> 100 * H)
            .log(m -> {})
            .open()) {
      write(db, 0, 2 * H);
      db.flushHead();
      write(db, 2 * H, 2 * H + 10 * 60 * S);
      db.flushHead();
      assertThat(resolutions(db)).containsExactly(0L, 0L);
    }
    try (Tsdb db = open(dir)) {
      assertThat(db.maintain()).isEqualTo(2);
      assertThat(db.blocks())
          .filteredOn(b -> b.meta().resolution() > 0)
          .allMatch(b -> b.meta().minTime() == 0 && b.meta().maxTime() <= 2 * H)
          .hasSize(2);
      assertThat(db.maintain()).isZero();
    }
  }
}
