package dev.vigil.tsdb;

import static dev.vigil.tsdb.TestUtil.flat;
import static dev.vigil.tsdb.TestUtil.name;
import static dev.vigil.tsdb.TestUtil.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.model.OutOfOrderException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The head's commit protocol through the store's public API: what an appender creates survives a
 * concurrent cut, the WAL holds exactly what the head accepted, and no sample moves the head past
 * the present.
 */
class HeadProtocolTest {
  private static final long H = 3600_000L;

  /** The store's present: well after every timestamp these tests write, never the wall clock. */
  private static final long NOW = 1000 * H;

  @TempDir Path dir;

  private Tsdb open() throws Exception {
    return open(() -> NOW);
  }

  private Tsdb open(java.util.function.LongSupplier clock) throws Exception {
    return Tsdb.builder(dir)
        .backgroundInterval(Duration.ZERO)
        .rollups(false)
        .clock(clock)
        .log(m -> {})
        .open();
  }

  private static void commit(Tsdb db, Labels l, long t, double v) {
    Appender app = db.appender();
    app.append(0, l, t, v);
    app.commit();
  }

  private static List<Long> times(Tsdb db, String metric) {
    Map<Labels, List<long[]>> r = read(db, Long.MIN_VALUE, Long.MAX_VALUE, name(metric));
    return r.isEmpty() ? List.of() : r.values().iterator().next().stream().map(x -> x[0]).toList();
  }

  @Test
  void commit_ofSeriesCreatedBeforeAHeadCut_isVisibleAndSurvivesLaterCutsAndRestart()
      throws Exception {
    Labels old = Labels.of("__name__", "old");
    Labels fresh = Labels.of("__name__", "fresh");
    long t = 3 * H + H / 2 + 1;
    try (Tsdb db = open()) {
      for (long s = 0; s <= 7 * H / 2; s += 60_000) {
        commit(db, old, s, s);
      }
      Appender app = db.appender();
      app.append(0, fresh, t, 42);
      assertThat(db.maintain()).as("blocks cut while the append is pending").isPositive();
      app.commit();
      assertThat(times(db, "fresh")).containsExactly(t);
      for (long s = 7 * H / 2; s <= 6 * H; s += 60_000) {
        commit(db, old, s, s); // the next cut and checkpoint cover the fresh sample
      }
      assertThat(db.maintain()).isPositive();
      assertThat(times(db, "fresh")).containsExactly(t);
    }
    try (Tsdb db = open()) {
      assertThat(times(db, "fresh")).containsExactly(t);
    }
  }

  @Test
  void rollback_ofSeriesCreatedBeforeAHeadCut_letsTheNextCutCollectIt() throws Exception {
    Labels old = Labels.of("__name__", "old");
    try (Tsdb db = open()) {
      for (long s = 0; s <= 7 * H / 2; s += 60_000) {
        commit(db, old, s, s);
      }
      Appender app = db.appender();
      app.append(0, Labels.of("__name__", "fresh"), 7 * H / 2 + 1, 1);
      db.maintain();
      assertThat(db.headSeries()).isEqualTo(2);
      app.rollback();
      for (long s = 7 * H / 2; s <= 6 * H; s += 60_000) {
        commit(db, old, s, s);
      }
      db.maintain();
      assertThat(db.headSeries()).isEqualTo(1);
      assertThat(times(db, "fresh")).isEmpty();
    }
  }

  @Test
  void commit_refusedAtCommitAfterARacingCommit_isNeitherVisibleNorReplayed() throws Exception {
    Labels l = Labels.of("__name__", "race");
    try (Tsdb db = open()) {
      commit(db, l, 50, 1);
      Appender a = db.appender();
      a.append(0, l, 100, 2); // passes the early check: the newest sample is at 50
      commit(db, l, 200, 3);
      a.commit(); // refused by the head: 100 is older than 200
      assertThat(times(db, "race")).containsExactly(50L, 200L);
      assertThat(db.metrics().snapshot().get("vigil_tsdb_out_of_order_samples_total"))
          .isEqualTo(1.0);
    }
    try (Tsdb db = open()) {
      assertThat(times(db, "race")).containsExactly(50L, 200L);
    }
  }

  @Test
  void append_farAheadOfTheClock_isRefusedNamingTheTimeAndTheLimit() throws Exception {
    Labels l = Labels.of("__name__", "future");
    try (Tsdb db = open()) {
      Appender app = db.appender();
      app.append(0, l, NOW + 10 * 60_000, 1); // exactly at the limit: accepted
      long tenYears = NOW + 10 * 365 * 24 * H;
      assertThatThrownBy(() -> app.append(0, l, tenYears, 2))
          .isInstanceOf(OutOfOrderException.class)
          .hasMessageContaining("timestamp " + tenYears)
          .hasMessageContaining("" + (NOW + 10 * 60_000))
          .hasMessageContaining("600000 ms");
      assertThatThrownBy(() -> app.append(0, l, Long.MAX_VALUE, 3))
          .isInstanceOf(OutOfOrderException.class)
          .hasMessageContaining("timestamp " + Long.MAX_VALUE);
      app.commit();
      assertThat(times(db, "future")).containsExactly(NOW + 10 * 60_000);
    }
  }

  @Test
  void farFutureSample_doesNotStopPresentSamplesAfterTheNextCut() throws Exception {
    Labels l = Labels.of("__name__", "m");
    long[] now = {4 * H};
    try (Tsdb db = open(() -> now[0])) {
      for (long t = 0; t <= 4 * H; t += 60_000) {
        commit(db, l, t, t);
      }
      Appender app = db.appender();
      assertThatThrownBy(() -> app.append(0, Labels.of("__name__", "x"), Long.MAX_VALUE, 1))
          .isInstanceOf(OutOfOrderException.class);
      app.commit();
      db.maintain();
      commit(db, l, 4 * H + 1, 1); // the present is still writable
      assertThat(times(db, "m")).last().isEqualTo(4 * H + 1);
    }
  }

  @Test
  void replay_ofSampleAfterTheClockPlusLimit_skipsItAndSaysSo() throws Exception {
    Labels l = Labels.of("__name__", "m");
    long[] now = {100 * 365 * 24 * H};
    try (Tsdb db = open(() -> now[0])) {
      commit(db, l, 1000, 1);
      commit(db, l, now[0], 2); // accepted under a clock that was far ahead
    }
    now[0] = 4 * H;
    try (Tsdb db = open(() -> now[0])) {
      assertThat(times(db, "m")).containsExactly(1000L);
      assertThat(db.startupReport())
          .anyMatch(m -> m.contains("1 skipped as after " + (4 * H + 10 * 60_000)));
      for (long t = 60_000; t <= 4 * H; t += 60_000) {
        commit(db, l, t, t);
      }
      assertThat(db.maintain()).isPositive();
      commit(db, l, 4 * H + 1, 1);
      assertThat(times(db, "m")).last().isEqualTo(4 * H + 1);
    }
  }

  @Test
  void maxAheadTime_moreThanHalfTheBlockRange_isRefusedAtOpen() {
    assertThatThrownBy(
            () -> Tsdb.builder(dir).log(m -> {}).maxAheadTime(Duration.ofMinutes(61)).open())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max ahead time 3660000 ms is more than half the block range");
  }

  @Test
  void restart_afterRacingAppendersOnOneSeries_answersAsBefore() throws Exception {
    Labels l = Labels.of("__name__", "r");
    Map<Labels, List<Long>> live;
    try (Tsdb db = open()) {
      commit(db, l, 10, 1);
      Appender[] apps = {db.appender(), db.appender(), db.appender()};
      apps[0].append(0, l, 20, 2);
      apps[1].append(0, l, 30, 3);
      apps[2].append(0, l, 25, 4);
      apps[1].commit();
      apps[0].commit(); // 20 < 30: refused
      apps[2].commit(); // 25 < 30: refused
      live = flat(read(db, Long.MIN_VALUE, Long.MAX_VALUE, name("r")));
      assertThat(times(db, "r")).containsExactly(10L, 30L);
    }
    try (Tsdb db = open()) {
      assertThat(flat(read(db, Long.MIN_VALUE, Long.MAX_VALUE, name("r")))).isEqualTo(live);
    }
  }
}
