package dev.vigil.tsdb;

import static dev.vigil.tsdb.TestUtil.name;
import static dev.vigil.tsdb.TestUtil.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.Appender;
import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.model.OutOfOrderException;
import dev.vigil.model.Querier;
import dev.vigil.model.Resolution;
import dev.vigil.model.SampleIterator;
import dev.vigil.model.SelectHints;
import dev.vigil.model.SeriesSet;
import dev.vigil.model.StaleMarker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TsdbTest {
  @TempDir Path dir;

  private Tsdb open() throws Exception {
    return Tsdb.builder(dir).backgroundInterval(Duration.ZERO).log(m -> {}).open();
  }

  private static void fill(Tsdb db, int series, int samples, long step) {
    Appender app = db.appender();
    long[] refs = new long[series];
    for (int i = 0; i < samples; i++) {
      for (int s = 0; s < series; s++) {
        refs[s] =
            app.append(
                refs[s],
                Labels.of("__name__", "m", "job", s % 2 == 0 ? "even" : "odd", "i", "" + s),
                i * step,
                s * 1000 + i);
      }
      app.commit();
    }
  }

  @Test
  void append_thenQuery_withEveryMatcherType() throws Exception {
    try (Tsdb db = open()) {
      fill(db, 10, 300, 1000);
      assertThat(read(db, 0, Long.MAX_VALUE, name("m"))).hasSize(10);
      assertThat(read(db, 0, Long.MAX_VALUE, name("m"), LabelMatcher.equal("job", "even")))
          .hasSize(5);
      assertThat(read(db, 0, Long.MAX_VALUE, name("m"), LabelMatcher.notEqual("job", "even")))
          .hasSize(5);
      assertThat(read(db, 0, Long.MAX_VALUE, LabelMatcher.regex("i", "1|2|3"))).hasSize(3);
      assertThat(read(db, 0, Long.MAX_VALUE, name("m"), LabelMatcher.notRegex("i", "[0-4]")))
          .hasSize(5);
      Map<Labels, List<long[]>> one = read(db, 10_000, 19_999, LabelMatcher.equal("i", "3"));
      List<long[]> s = one.values().iterator().next();
      assertThat(s).hasSize(10);
      assertThat(s.get(0)[0]).isEqualTo(10_000);
      assertThat(Double.longBitsToDouble(s.get(0)[1])).isEqualTo(3010);
      try (Querier q = db.querier(0, Long.MAX_VALUE)) {
        assertThat(q.labelNames(List.of())).containsExactly("__name__", "i", "job");
        assertThat(q.labelValues("job", List.of())).containsExactly("even", "odd");
        assertThat(q.labelValues("i", List.of(LabelMatcher.equal("job", "odd"))))
            .containsExactly("1", "3", "5", "7", "9");
        assertThatThrownBy(() -> q.select(SelectHints.range(0, 1), LabelMatcher.regex("i", ".*")))
            .hasMessageContaining("at least one matcher");
      }
    }
  }

  @Test
  void labelNamesAndValues_honourTheQuerierTimeRange() throws Exception {
    try (Tsdb db = open()) {
      Appender app = db.appender();
      app.append(0, Labels.of("__name__", "early", "zone", "a"), 1_000, 1);
      app.append(0, Labels.of("__name__", "late", "zone", "b", "extra", "x"), 9_000, 1);
      app.commit();
      try (Querier q = db.querier(0, 5_000)) {
        assertThat(q.labelValues("__name__", List.of())).containsExactly("early");
        assertThat(q.labelNames(List.of())).containsExactly("__name__", "zone");
      }
      try (Querier q = db.querier(0, 10_000)) {
        assertThat(q.labelValues("zone", List.of(LabelMatcher.equal("__name__", "late"))))
            .containsExactly("b");
      }
    }
  }

  @Test
  void seek_jumpsToFirstSampleAtOrAfter() throws Exception {
    try (Tsdb db = open()) {
      fill(db, 1, 1000, 1000);
      try (Querier q = db.querier(0, Long.MAX_VALUE)) {
        SeriesSet set = q.select(SelectHints.range(0, Long.MAX_VALUE), name("m"));
        assertThat(set.next()).isTrue();
        SampleIterator it = set.at().iterator();
        assertThat(it.seek(500_500)).isTrue();
        assertThat(it.timestamp()).isEqualTo(501_000);
        assertThat(it.seek(400_000)).isTrue(); // stays put
        assertThat(it.timestamp()).isEqualTo(501_000);
        assertThat(it.next()).isTrue();
        assertThat(it.timestamp()).isEqualTo(502_000);
        assertThat(it.seek(5_000_000)).isFalse();
      }
    }
  }

  @Test
  void metrics_reportTheRetentionSizeLimit() throws Exception {
    try (Tsdb db = open()) {
      assertThat(db.metrics().snapshot().get("vigil_tsdb_retention_limit_bytes")).isEqualTo(0.0);
    }
    try (Tsdb db =
        Tsdb.builder(dir)
            .backgroundInterval(Duration.ZERO)
            .retentionBytes(10L << 30)
            .log(m -> {})
            .open()) {
      assertThat(db.metrics().snapshot().get("vigil_tsdb_retention_limit_bytes"))
          .isEqualTo((double) (10L << 30));
    }
  }

  @Test
  void append_outOfOrderSample_isRejectedWithSeriesName() throws Exception {
    try (Tsdb db = open()) {
      Appender app = db.appender();
      long ref = app.append(0, Labels.of("__name__", "up", "job", "a"), 10_000, 1);
      app.commit();
      assertThatThrownBy(() -> db.appender().append(ref, null, 9_000, 1))
          .isInstanceOf(OutOfOrderException.class)
          .hasMessageContaining("up{job=\"a\"}")
          .hasMessageContaining("9000")
          .hasMessageContaining("10000");
      assertThat(db.metrics().snapshot().get("vigil_tsdb_out_of_order_samples_total"))
          .isEqualTo(1.0);
    }
  }

  @Test
  void outOfOrderWindow_acceptsOlderSamples_andMergesThemInOrder() throws Exception {
    try (Tsdb db =
        Tsdb.builder(dir)
            .outOfOrderWindow(Duration.ofSeconds(60))
            .backgroundInterval(Duration.ZERO)
            .log(m -> {})
            .open()) {
      Appender app = db.appender();
      Labels l = Labels.of("__name__", "x");
      app.append(0, l, 100_000, 1);
      app.append(0, l, 110_000, 2);
      app.commit();
      app.append(0, l, 105_000, 9);
      app.commit();
      assertThatThrownBy(() -> db.appender().append(0, l, 10_000, 1))
          .isInstanceOf(OutOfOrderException.class);
      List<long[]> s = read(db, 0, Long.MAX_VALUE, name("x")).get(l);
      assertThat(s).extracting(a -> a[0]).containsExactly(100_000L, 105_000L, 110_000L);
      assertThat(Double.longBitsToDouble(s.get(1)[1])).isEqualTo(9);
    }
    try (Tsdb db = open()) { // the out-of-order sample survives WAL replay
      assertThat(read(db, 0, Long.MAX_VALUE, name("x")).values().iterator().next()).hasSize(3);
    }
  }

  @Test
  void interruptedAppenderThread_doesNotBreakTheWalForOthers() throws Exception {
    try (Tsdb db = open()) {
      Thread t =
          new Thread(
              () -> {
                Thread.currentThread().interrupt();
                Appender app = db.appender();
                app.append(0, Labels.of("__name__", "i"), 1, 1);
                app.commit();
              });
      t.start();
      t.join();
      Appender app = db.appender();
      app.append(0, Labels.of("__name__", "i"), 2, 2);
      app.commit();
    }
    try (Tsdb db = open()) {
      assertThat(read(db, 0, 10, name("i")).values().iterator().next()).hasSize(2);
    }
  }

  @Test
  void rollback_discardsAppends() throws Exception {
    try (Tsdb db = open()) {
      Appender app = db.appender();
      app.append(0, Labels.of("__name__", "r"), 1000, 1);
      app.rollback();
      app.commit();
      assertThat(read(db, 0, Long.MAX_VALUE, name("r"))).isEmpty();
    }
  }

  @Test
  void walReplay_restoresEveryCommittedSample_exactly() throws Exception {
    try (Tsdb db = open()) {
      fill(db, 20, 500, 15_000);
      Appender app = db.appender();
      app.append(0, Labels.of("__name__", "special"), 1, StaleMarker.VALUE);
      app.append(0, Labels.of("__name__", "special"), 2, -0.0);
      app.append(0, Labels.of("__name__", "special"), 3, Double.NEGATIVE_INFINITY);
      app.commit();
      app.append(0, Labels.of("__name__", "uncommitted"), 3, 1);
    }
    try (Tsdb db = open()) {
      Map<Labels, List<long[]>> all = read(db, 0, Long.MAX_VALUE, name("m"));
      assertThat(all).hasSize(20);
      all.values().forEach(s -> assertThat(s).hasSize(500));
      List<long[]> sp = read(db, 0, 10, name("special")).values().iterator().next();
      assertThat(sp.get(0)[1]).isEqualTo(StaleMarker.BITS);
      assertThat(sp.get(1)[1]).isEqualTo(Double.doubleToRawLongBits(-0.0));
      assertThat(read(db, 0, 10, name("uncommitted"))).isEmpty();
      assertThat(db.startupReport()).anyMatch(m -> m.contains("replayed"));
    }
  }

  @Test
  void secondOpen_ofLockedDirectory_failsNamingTheLock() throws Exception {
    try (Tsdb db = open()) {
      assertThatThrownBy(this::open).hasMessageContaining("lock");
    }
  }

  @Test
  void headCompaction_writesBlocks_queriesSpanBlocksAndHead_andReopenReadsThem() throws Exception {
    long hour = 3600_000L;
    Map<Labels, List<long[]>> before;
    try (Tsdb db = open()) {
      fill(db, 6, 1000, 30_000); // 8.3 hours at 30 s
      before = read(db, 0, Long.MAX_VALUE, name("m"));
      assertThat(db.maintain()).isGreaterThan(0);
      assertThat(db.blocks()).anyMatch(b -> b.meta().resolution() == 0);
      assertThat(db.blocks()).anyMatch(b -> b.meta().resolution() == 5 * 60_000L);
      assertThat(TestUtil.flat(read(db, 0, Long.MAX_VALUE, name("m"))))
          .isEqualTo(TestUtil.flat(before));
      assertThatThrownBy(() -> db.appender().append(0, Labels.of("__name__", "m"), hour, 1))
          .isInstanceOf(OutOfOrderException.class);
      fill2(db);
    }
    try (Tsdb db = open()) {
      Map<Labels, List<long[]>> after = read(db, 0, 1000L * 30_000 - 1, name("m"));
      assertThat(TestUtil.flat(after)).isEqualTo(TestUtil.flat(before));
    }
  }

  private static void fill2(Tsdb db) {
    Appender app = db.appender();
    app.append(0, Labels.of("__name__", "late"), 1000L * 30_000 + 5, 1);
    app.commit();
  }

  @Test
  void blockCompaction_mergesThreeRangesIntoOne_withoutChangingResults() throws Exception {
    try (Tsdb db = open()) {
      fill(db, 4, 2000, 30_000); // 16.7 hours: 7 two-hour blocks get cut
      Map<Labels, List<long[]>> before = read(db, 0, Long.MAX_VALUE, name("m"));
      db.maintain();
      assertThat(db.blocks().stream().filter(b -> b.meta().level() > 1)).isNotEmpty();
      assertThat(TestUtil.flat(read(db, 0, Long.MAX_VALUE, name("m"))))
          .isEqualTo(TestUtil.flat(before));
      assertThat(db.metrics().snapshot().get("vigil_tsdb_compactions_total")).isPositive();
    }
  }

  @Test
  void rollups_answerResolutionHint_rawStaysExact() throws Exception {
    try (Tsdb db = open()) {
      fill(db, 2, 1000, 30_000);
      db.maintain();
      SelectHints raw = SelectHints.range(0, 6 * 3600_000L - 1);
      SelectHints coarse =
          new SelectHints(0, 6 * 3600_000L - 1, 0, "max_over_time", 0, Resolution.FIVE_MINUTES);
      List<long[]> r = read(db, raw, LabelMatcher.equal("i", "1")).values().iterator().next();
      List<long[]> c = read(db, coarse, LabelMatcher.equal("i", "1")).values().iterator().next();
      assertThat(r).hasSize(720);
      assertThat(c).hasSize(72); // 6 h of 5 m windows
      // max over the first window (10 samples at 30 s): the 10th sample's value
      assertThat(Double.longBitsToDouble(c.get(0)[1])).isEqualTo(1000 + 9);
      assertThat(c.get(0)[0]).isEqualTo(270_000);
    }
  }

  @Test
  void retention_byAge_dropsOldBlocksOnly() throws Exception {
    long h = 3600_000L;
    long[] now = {2000 * 30_000L}; // the present while writing: the newest sample (16.7 h)
    try (Tsdb db =
        Tsdb.builder(dir)
            .retention(Duration.ofHours(6))
            .clock(() -> now[0])
            .backgroundInterval(Duration.ZERO)
            .rollups(false)
            .log(m -> {})
            .open()) {
      fill(db, 2, 2000, 30_000);
      db.maintain(); // cuts blocks up to 14 h; its retention keeps those ending after 10.7 h
      int blocks = db.blocks().size();
      now[0] = 18 * h;
      List<String> removed = db.applyRetention();
      assertThat(removed).isNotEmpty();
      assertThat(db.blocks()).hasSize(blocks - removed.size());
      db.blocks().forEach(b -> assertThat(b.meta().maxTime()).isGreaterThan(12 * h));
      Map<Labels, List<long[]>> left = read(db, 0, Long.MAX_VALUE, name("m"));
      assertThat(left.values().iterator().next().get(0)[0]).isGreaterThanOrEqualTo(12 * h);
    }
  }

  @Test
  void retention_byBytes_dropsOldestUntilUnderLimit() throws Exception {
    try (Tsdb db =
        Tsdb.builder(dir).backgroundInterval(Duration.ZERO).rollups(false).log(m -> {}).open()) {
      fill(db, 50, 2000, 30_000);
      db.maintain();
      long total = db.blocks().stream().mapToLong(b -> b.sizeBytes()).sum();
      assertThat(db.blocks().size()).isGreaterThan(1);
      long newest = db.blocks().get(db.blocks().size() - 1).meta().maxTime();
      db.close(); // reopen with a byte limit of half the current size
      try (Tsdb db2 =
          Tsdb.builder(dir)
              .retentionBytes(total / 2)
              .backgroundInterval(Duration.ZERO)
              .log(m -> {})
              .open()) {
        db2.applyRetention();
        assertThat(db2.blocks().stream().mapToLong(b -> b.sizeBytes()).sum())
            .isLessThanOrEqualTo(total / 2);
        assertThat(db2.blocks().get(db2.blocks().size() - 1).meta().maxTime()).isEqualTo(newest);
      }
    }
  }

  @Test
  void delete_byMatchers_hidesSamples_survivesRestart_andCompactionRemovesThem() throws Exception {
    try (Tsdb db = open()) {
      fill(db, 4, 1000, 30_000);
      db.maintain();
      db.delete(0, 4 * 3600_000L, List.of(LabelMatcher.equal("i", "2")));
      List<long[]> s =
          read(db, 0, Long.MAX_VALUE, LabelMatcher.equal("i", "2")).values().iterator().next();
      assertThat(s.get(0)[0]).isGreaterThan(4 * 3600_000L);
      assertThat(
              read(db, 0, Long.MAX_VALUE, LabelMatcher.equal("i", "1")).values().iterator().next())
          .hasSize(1000);
    }
    try (Tsdb db = open()) {
      List<long[]> s =
          read(db, 0, Long.MAX_VALUE, LabelMatcher.equal("i", "2")).values().iterator().next();
      assertThat(s.get(0)[0]).isGreaterThan(4 * 3600_000L);
      db.maintain(); // rewrites blocks with tombstones
      assertThat(db.blocks()).allMatch(b -> b.tombstones().isEmpty());
      s = read(db, 0, Long.MAX_VALUE, LabelMatcher.equal("i", "2")).values().iterator().next();
      assertThat(s.get(0)[0]).isGreaterThan(4 * 3600_000L);
    }
  }

  @Test
  void snapshot_isAConsistentStoreOfItsOwn() throws Exception {
    Path snap = dir.resolve("..").resolve(dir.getFileName() + "-snap");
    Map<Labels, List<long[]>> before;
    try (Tsdb db = open()) {
      fill(db, 3, 1000, 30_000);
      db.maintain();
      before = read(db, 0, Long.MAX_VALUE, name("m"));
      db.snapshot(snap);
      fill2(db);
    }
    try (Tsdb copy = Tsdb.builder(snap).backgroundInterval(Duration.ZERO).log(m -> {}).open()) {
      assertThat(TestUtil.flat(read(copy, 0, Long.MAX_VALUE, name("m"))))
          .isEqualTo(TestUtil.flat(before));
      assertThat(read(copy, 0, Long.MAX_VALUE, name("late"))).isEmpty();
    } finally {
      dev.vigil.tsdb.block.BlockWriter.deleteTree(snap);
    }
  }

  @Test
  void crashAfterCompaction_sourcesLeftBehind_areDeletedAtOpen() throws Exception {
    long range = 2 * 3600_000L;
    List<Path> sources = new java.util.ArrayList<>();
    for (int b = 0; b < 3; b++) {
      var w =
          new dev.vigil.tsdb.block.BlockWriter(dir, b * range, (b + 1) * range, 1, List.of(), 0, b);
      long[] ts = {b * range, b * range + 1000};
      w.add(Labels.of("__name__", "m"), ts, new double[] {b, b + 0.5}, 2);
      sources.add(dir.resolve(w.finish().id()));
    }
    Path aside = Files.createTempDirectory("vigil-aside");
    for (Path p : sources) {
      copyTree(p, aside.resolve(p.getFileName()));
    }
    // rollups off: these raw blocks would otherwise get rollups written beside them
    try (Tsdb db =
        Tsdb.builder(dir).backgroundInterval(Duration.ZERO).rollups(false).log(m -> {}).open()) {
      db.maintain();
      assertThat(db.blocks()).hasSize(1);
      assertThat(db.blocks().get(0).meta().level()).isEqualTo(2);
    }
    for (Path p : sources) { // as if the process died before deleting them
      copyTree(aside.resolve(p.getFileName()), p);
    }
    List<String> log = new java.util.ArrayList<>();
    try (Tsdb db =
        Tsdb.builder(dir).backgroundInterval(Duration.ZERO).rollups(false).log(log::add).open()) {
      assertThat(db.blocks()).hasSize(1);
      assertThat(log).filteredOn(m -> m.contains("already compacted")).hasSize(3);
      assertThat(read(db, 0, Long.MAX_VALUE, name("m")).values().iterator().next()).hasSize(6);
    }
    dev.vigil.tsdb.block.BlockWriter.deleteTree(aside);
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (var s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path d = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(d);
        } else {
          Files.copy(p, d);
        }
      }
    }
  }
}
