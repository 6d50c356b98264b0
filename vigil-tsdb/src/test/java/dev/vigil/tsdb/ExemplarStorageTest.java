package dev.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.Appender;
import dev.vigil.model.Exemplar;
import dev.vigil.model.ExemplarException;
import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.model.SeriesExemplars;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExemplarStorageTest {
  @TempDir Path dir;

  private static final Labels A =
      Labels.of("__name__", "req_seconds_bucket", "le", "0.5", "job", "api");
  private static final Labels B =
      Labels.of("__name__", "req_seconds_bucket", "le", "1", "job", "api");
  private static final Labels C = Labels.of("__name__", "errors_total", "job", "web");

  private Tsdb open(int maxExemplars) throws Exception {
    return Tsdb.builder(dir)
        .backgroundInterval(Duration.ZERO)
        .maxExemplars(maxExemplars)
        .log(m -> {})
        .open();
  }

  private static Exemplar ex(String trace, double v, long t) {
    return new Exemplar(Labels.of("trace_id", trace), v, t);
  }

  /** Appends one sample and one exemplar per (series, exemplar) pair, one commit. */
  private static void put(Tsdb db, Labels series, Exemplar... exs) {
    Appender app = db.appender();
    for (Exemplar e : exs) {
      long ref = app.append(0, series, e.timestampMs(), 1);
      app.appendExemplar(ref, null, e);
    }
    app.commit();
  }

  private static List<SeriesExemplars> all(Tsdb db, LabelMatcher... m) {
    return db.selectExemplars(Long.MIN_VALUE, Long.MAX_VALUE, List.of(List.of(m)));
  }

  private static LabelMatcher name(String n) {
    return LabelMatcher.equal("__name__", n);
  }

  @Test
  void select_returnsOnlyMatchingSeries_sortedByLabels_oldestFirst_withinTimeRange()
      throws Exception {
    try (Tsdb db = open(100)) {
      put(db, B, ex("b1", 0.9, 1000), ex("b2", 0.8, 2000));
      put(db, A, ex("a1", 0.4, 1500), ex("a2", 0.3, 2500), ex("a3", 0.2, 3500));
      put(db, C, ex("c1", 1, 1000));

      List<SeriesExemplars> r = all(db, name("req_seconds_bucket"));
      assertThat(r).extracting(SeriesExemplars::seriesLabels).containsExactly(A, B);
      assertThat(r.get(0).exemplars())
          .extracting(e -> e.labels().get("trace_id"))
          .containsExactly("a1", "a2", "a3");

      List<SeriesExemplars> ranged =
          db.selectExemplars(2000, 2500, List.of(List.of(name("req_seconds_bucket"))));
      assertThat(ranged).hasSize(2);
      assertThat(ranged.get(0).exemplars()).containsExactly(ex("a2", 0.3, 2500));
      assertThat(ranged.get(1).exemplars()).containsExactly(ex("b2", 0.8, 2000));

      assertThat(db.selectExemplars(4000, 5000, List.of(List.of(name("req_seconds_bucket")))))
          .as("no exemplar in range: series left out")
          .isEmpty();
      assertThat(
              db.selectExemplars(
                  Long.MIN_VALUE,
                  Long.MAX_VALUE,
                  List.of(List.of(LabelMatcher.equal("le", "1")), List.of(name("errors_total")))))
          .as("matcher sets are alternatives")
          .extracting(SeriesExemplars::seriesLabels)
          .containsExactly(C, B);
      assertThat(all(db, name("nope"))).isEmpty();
    }
  }

  @Test
  void appendExemplar_duplicateOfNewest_isIgnored() throws Exception {
    try (Tsdb db = open(100)) {
      put(db, A, ex("a1", 0.4, 1000));
      Appender app = db.appender();
      long ref = app.append(0, A, 2000, 2);
      app.appendExemplar(ref, null, ex("a1", 0.4, 1000));
      app.commit();
      assertThat(all(db, name("req_seconds_bucket")).get(0).exemplars()).hasSize(1);
      assertThat(db.metrics().snapshot())
          .containsEntry("vigil_tsdb_exemplar_exemplars_appended_total", 1.0);
    }
  }

  @Test
  void appendExemplar_outOfOrder_isRejectedWithSeriesName() throws Exception {
    try (Tsdb db = open(100)) {
      put(db, A, ex("a1", 0.4, 2000));
      Appender app = db.appender();
      long ref = app.append(0, A, 3000, 2);
      assertThatThrownBy(() -> app.appendExemplar(ref, null, ex("old", 0.1, 1000)))
          .isInstanceOf(ExemplarException.class)
          .hasMessageContaining("out-of-order exemplar")
          .hasMessageContaining("req_seconds_bucket{")
          .extracting(e -> ((ExemplarException) e).reason())
          .isEqualTo(ExemplarException.Reason.OUT_OF_ORDER);
      app.commit();
      assertThat(db.metrics().snapshot())
          .containsEntry("vigil_tsdb_exemplar_out_of_order_exemplars_total", 1.0);
    }
  }

  @Test
  void appendExemplar_outOfOrderInsideOneCommit_secondIsDroppedAndCounted() throws Exception {
    try (Tsdb db = open(100)) {
      Appender app = db.appender();
      long ref = app.append(0, A, 3000, 2);
      app.appendExemplar(ref, null, ex("new", 0.4, 2000));
      app.appendExemplar(ref, null, ex("old", 0.1, 1000));
      app.commit();
      assertThat(all(db, name("req_seconds_bucket")).get(0).exemplars())
          .containsExactly(ex("new", 0.4, 2000));
      assertThat(db.metrics().snapshot())
          .containsEntry("vigil_tsdb_exemplar_out_of_order_exemplars_total", 1.0);
    }
  }

  @Test
  void appendExemplar_labelSetOver128Characters_isRejected_128IsAccepted() throws Exception {
    try (Tsdb db = open(100)) {
      Appender app = db.appender();
      long ref = app.append(0, A, 1000, 1);
      // "trace_id" is 8 characters; 120 more make 128. Multi-byte characters count once.
      String ok = "é".repeat(120);
      app.appendExemplar(ref, null, new Exemplar(Labels.of("trace_id", ok), 1, 1000));
      assertThatThrownBy(
              () ->
                  app.appendExemplar(
                      ref, null, new Exemplar(Labels.of("trace_id", ok + "x"), 1, 1001)))
          .isInstanceOf(ExemplarException.class)
          .hasMessageContaining("129 characters long")
          .extracting(e -> ((ExemplarException) e).reason())
          .isEqualTo(ExemplarException.Reason.LABEL_SET_TOO_LONG);
      app.commit();
      assertThat(all(db, name("req_seconds_bucket")).get(0).exemplars()).hasSize(1);
    }
  }

  @Test
  void rollback_discardsPendingExemplars() throws Exception {
    try (Tsdb db = open(100)) {
      Appender app = db.appender();
      long ref = app.append(0, A, 1000, 1);
      app.appendExemplar(ref, null, ex("a", 1, 1000));
      app.rollback();
      app.commit();
      assertThat(all(db, name("req_seconds_bucket"))).isEmpty();
    }
  }

  @Test
  void capacity_wraps_oldestExemplarsAreEvicted_emptySeriesLeaveTheIndex() throws Exception {
    try (Tsdb db = open(4)) {
      put(db, C, ex("c1", 1, 1000));
      put(db, A, ex("a1", 1, 1000), ex("a2", 1, 2000));
      put(db, B, ex("b1", 1, 1000), ex("b2", 1, 2000), ex("b3", 1, 3000));
      // c1 and a1 were overwritten: 4 stay, C has none left.
      assertThat(all(db, LabelMatcher.regex("__name__", ".+")))
          .extracting(SeriesExemplars::seriesLabels)
          .containsExactly(A, B);
      assertThat(all(db, name("req_seconds_bucket")).get(0).exemplars())
          .containsExactly(ex("a2", 1, 2000));
      put(db, A, ex("a3", 1, 4000), ex("a4", 1, 5000), ex("a5", 1, 6000));
      assertThat(all(db, name("req_seconds_bucket")))
          .extracting(s -> s.exemplars().size())
          .containsExactly(3, 1);
      assertThat(db.metrics().snapshot())
          .containsEntry("vigil_tsdb_exemplar_exemplars_in_storage", 4.0)
          .containsEntry("vigil_tsdb_exemplar_series_with_exemplars_in_storage", 2.0)
          .containsEntry("vigil_tsdb_exemplar_max_exemplars", 4.0)
          .containsEntry("vigil_tsdb_exemplar_exemplars_appended_total", 9.0);
    }
  }

  @Test
  void capacity_wrapsManyTimes_keepsExactlyTheNewest() throws Exception {
    try (Tsdb db = open(3000)) {
      for (int i = 0; i < 10_000; i++) {
        put(db, i % 2 == 0 ? A : B, ex("t" + i, i, i));
      }
      List<SeriesExemplars> r = all(db, name("req_seconds_bucket"));
      assertThat(r.get(0).exemplars()).hasSize(1500);
      assertThat(r.get(0).exemplars().get(0).timestampMs()).isEqualTo(7000);
      assertThat(r.get(1).exemplars().get(1499).timestampMs()).isEqualTo(9999);
    }
  }

  @Test
  void maxExemplarsZero_disablesStorage_appendsAreIgnored() throws Exception {
    try (Tsdb db = open(0)) {
      put(db, A, ex("a1", 1, 1000));
      assertThat(all(db, name("req_seconds_bucket"))).isEmpty();
      assertThat(db.maxExemplars()).isZero();
    }
  }

  @Test
  void restart_replaysExemplarsFromTheWal() throws Exception {
    try (Tsdb db = open(100)) {
      put(db, A, ex("a1", 0.4, 1000), ex("a2", 0.3, 2000));
      put(db, C, new Exemplar(Labels.EMPTY, Double.NaN, 1500));
    }
    try (Tsdb db = open(100)) {
      assertThat(all(db, name("req_seconds_bucket")).get(0).exemplars())
          .containsExactly(ex("a1", 0.4, 1000), ex("a2", 0.3, 2000));
      Exemplar c = all(db, name("errors_total")).get(0).exemplars().get(0);
      assertThat(c.value()).isNaN();
      assertThat(c.labels()).isEqualTo(Labels.EMPTY);
      assertThat(db.startupReport()).anyMatch(m -> m.contains("3 exemplars"));
    }
  }

  @Test
  void restart_afterHeadCut_keepsExemplarsOfLiveSeriesThroughTheCheckpoint() throws Exception {
    long h = 3600_000;
    try (Tsdb db = open(100)) {
      put(db, A, ex("a1", 0.4, 1000));
      put(db, C, ex("c1", 1, 2000)); // C has no sample after the cut: it leaves the head
      put(db, A, ex("a2", 0.3, 5 * h));
      assertThat(db.maintain()).isPositive(); // block [0, 2h), checkpoint, old segments deleted
      put(db, A, ex("a3", 0.2, 5 * h + 1000));
    }
    try (Tsdb db = open(100)) {
      assertThat(all(db, name("req_seconds_bucket")).get(0).exemplars())
          .containsExactly(ex("a1", 0.4, 1000), ex("a2", 0.3, 5 * h), ex("a3", 0.2, 5 * h + 1000));
      assertThat(all(db, name("errors_total")))
          .as("as in Prometheus, a checkpoint keeps the exemplars of series still in the head")
          .isEmpty();
    }
  }

  @Test
  void concurrentAppendersAndQueries_loseNothing_andSeeOrderedChains() throws Exception {
    try (Tsdb db = open(100_000)) {
      int threads = 4;
      int perThread = 2_000;
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      List<Thread> ts = new java.util.ArrayList<>();
      java.util.concurrent.atomic.AtomicReference<Throwable> failure =
          new java.util.concurrent.atomic.AtomicReference<>();
      for (int w = 0; w < threads; w++) {
        Labels series = Labels.of("__name__", "c_total", "w", "" + w);
        ts.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      try {
                        go.await();
                        for (int i = 0; i < perThread; i++) {
                          put(db, series, ex("t" + i, i, i));
                        }
                      } catch (Throwable e) {
                        failure.set(e);
                      }
                    }));
      }
      Thread reader =
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      go.await();
                      for (int i = 0; i < 200; i++) {
                        for (SeriesExemplars s : all(db, name("c_total"))) {
                          List<Exemplar> e = s.exemplars();
                          for (int j = 1; j < e.size(); j++) {
                            assertThat(e.get(j).timestampMs())
                                .isGreaterThan(e.get(j - 1).timestampMs());
                          }
                        }
                      }
                    } catch (Throwable e) {
                      failure.set(e);
                    }
                  });
      go.countDown();
      for (Thread t : ts) {
        t.join();
      }
      reader.join();
      assertThat(failure.get()).isNull();
      assertThat(all(db, name("c_total")))
          .hasSize(threads)
          .allSatisfy(s -> assertThat(s.exemplars()).hasSize(perThread));
      assertThat(db.metrics().snapshot())
          .containsEntry(
              "vigil_tsdb_exemplar_exemplars_appended_total", (double) threads * perThread);
    }
  }
}
