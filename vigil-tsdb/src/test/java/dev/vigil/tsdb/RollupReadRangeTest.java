package dev.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.model.Resolution;
import dev.vigil.model.SelectHints;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Counter rollups read over part of their range, as PromQL reads them (one window per step): the
 * samples a narrow read returns are exactly those of a read over everything that fall inside the
 * narrow range. A rollup block starts with a lead sample (its first raw value, which joins it to
 * the block before) that readers must never see; when a read ended on that sample, the window's own
 * sample after it was cut off and the lead was shown as data, so {@code rate} over a window ending
 * on a block boundary extrapolated from one sample too many (0.0301/s instead of 0.0333/s) and
 * {@code increase} with a reset lost the step to it (650 instead of 719).
 */
class RollupReadRangeTest {
  private static final long S = 1000;
  private static final long H = 3_600 * S;

  /**
   * Data at fixed times under a fixed clock: nothing depends on when the test runs. The retention
   * is the server's default, which keeps merged blocks at 18 h or less, as in {@code
   * RollupQueryTest}.
   */
  private static Tsdb open(Path dir, long now) throws Exception {
    return Tsdb.builder(dir)
        .backgroundInterval(Duration.ZERO)
        .retention(Duration.ofDays(15))
        .clock(() -> now)
        .log(m -> {})
        .open();
  }

  /** Appends {@code hours} of samples every 30 s from {@code base}: +1 each, 0 every 860. */
  private static void write(Tsdb db, long base, int hours) {
    Appender app = db.appender();
    long c = 0;
    long r = 0;
    for (int i = 0; i < hours * 120; i++) {
      long t = base + i * 30 * S;
      c = app.append(c, Labels.of("__name__", "ticks_total"), t, i);
      r = app.append(r, Labels.of("__name__", "resetting_total"), t, i % 860);
    }
    app.commit();
  }

  @Test
  void counterRollup_readEndingOnTheNextBlocksFirstSample_showsNoLeadSample(@TempDir Path dir)
      throws Exception {
    try (Tsdb db = open(dir, 10 * H)) {
      write(db, 0, 4);
      db.maintain(); // the head spans 4 h: [0, 2 h) becomes a block with its rollups
      db.flushHead(); // and [2 h, 4 h), whose counter rollups start with a lead sample at 2 h
      for (Resolution res : List.of(Resolution.FIVE_MINUTES, Resolution.ONE_HOUR)) {
        assertNarrowReadIsPartOfWideRead(db, "ticks_total", res, 0, 2 * H, 4 * H);
        assertNarrowReadIsPartOfWideRead(db, "resetting_total", res, 0, 2 * H, 4 * H);
      }
    }
  }

  @Test
  void counterRollup_afterMaintenance_windowEndingOnABlockBoundary_showsNoLeadSample(
      @TempDir Path dir) throws Exception {
    long base = Instant.parse("2026-12-05T06:00:00Z").toEpochMilli();
    try (Tsdb db = open(dir, base + 48 * H)) {
      write(db, base, 44);
      db.maintain();
      long boundary = base + 36 * H; // 18:00, where the rollup block [18:00, 00:00) starts
      assertThat(db.blocks())
          .anyMatch(b -> b.meta().resolution() > 0 && b.meta().minTime() == boundary);
      for (Resolution res : List.of(Resolution.FIVE_MINUTES, Resolution.ONE_HOUR)) {
        assertNarrowReadIsPartOfWideRead(
            db, "ticks_total", res, boundary - 6 * H, boundary, base + 44 * H);
      }
    }
  }

  /**
   * Reads {@code [from, to]} and {@code [from, wideEnd]} at {@code res} for {@code rate}: the same
   * timestamps up to {@code to}, and the narrow read's increase between any two of its samples is
   * the raw increase between the same times.
   */
  private static void assertNarrowReadIsPartOfWideRead(
      Tsdb db, String name, Resolution res, long from, long to, long wideEnd) {
    List<long[]> narrow = read(db, name, new SelectHints(from, to, 0, "rate", 0, res));
    List<long[]> wide = read(db, name, new SelectHints(from, wideEnd, 0, "rate", 0, res));
    List<long[]> raw = read(db, name, SelectHints.range(from, wideEnd));
    List<Long> wideTimes = new ArrayList<>();
    for (long[] s : wide) {
      if (s[0] <= to) {
        wideTimes.add(s[0]);
      }
    }
    assertThat(narrow.stream().map(s -> s[0]).toList())
        .as(
            "%s %s samples in [%s, %s]",
            res, name, Instant.ofEpochMilli(from), Instant.ofEpochMilli(to))
        .isEqualTo(wideTimes)
        .hasSizeLessThan((int) ((to - from) / (30 * S)) / 3);
    for (int i = 1; i < narrow.size(); i++) {
      long t1 = narrow.get(0)[0];
      long t2 = narrow.get(i)[0];
      double want = RollupCounterTest.increase(raw, t1, t2);
      assertThat(RollupCounterTest.increase(narrow, t1, t2))
          .as(
              "%s %s increase between %s and %s",
              res, name, Instant.ofEpochMilli(t1), Instant.ofEpochMilli(t2))
          .isCloseTo(want, Offset.offset(1e-9 * (1 + want)));
    }
  }

  private static List<long[]> read(Tsdb db, String name, SelectHints hints) {
    Map<Labels, List<long[]>> m = TestUtil.read(db, hints, TestUtil.name(name));
    assertThat(m).hasSize(1);
    return m.values().iterator().next();
  }
}
