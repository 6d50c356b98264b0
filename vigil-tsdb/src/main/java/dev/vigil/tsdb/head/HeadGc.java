package dev.vigil.tsdb.head;

import java.util.ArrayList;

/**
 * Garbage collection of the head after a cut: every series drops what lies wholly before the cut,
 * and a series left with nothing at or after it is removed, unless an open transaction holds it.
 *
 * <p>Runs under the head's monitor (see {@link Head#truncate}); takes each series' monitor in turn.
 */
final class HeadGc {
  /*
   * Why pinned series are skipped (Prometheus' memSeries.pendingCommit): an appender creates a
   * series, or finds an old one, before its commit adds the samples. Removing it in between left
   * the commit writing into an orphan no query and no checkpoint could see, and the next
   * checkpoint deleted the WAL segment that held it: an acknowledged sample lost. A pin (taken
   * under the series' monitor by MemSeries.pin) is released only by the commit that applied the
   * sample or by rollback, so at most an empty series outlives one cut.
   *
   * The decision and the unlink happen under the series' monitor: an appender that pins
   * afterwards sees `removed` and resolves the labels again (creating a new series, after this
   * one has left the maps, since creation takes the head's monitor that GC holds).
   *
   * Samples committed while GC runs lie at or after the minimum valid time, which is at least the
   * cut `mint` (raised under the exclusive commit lock before the cut is written), so a series a
   * commit just added to is never empty from `mint`.
   */
  private HeadGc() {}

  /** Collects the head at {@code mint}; the caller holds the head's monitor. */
  static void collect(Head head, long mint) {
    long newMin = Long.MAX_VALUE;
    for (MemSeries s : new ArrayList<>(head.byLabels.values())) {
      synchronized (s) {
        if (s.collect(mint)) {
          head.unlink(s);
          continue;
        }
        long m = s.minTime();
        if (m != Long.MAX_VALUE) {
          newMin = Math.min(newMin, Math.max(mint, m));
        }
      }
    }
    head.minTime.set(newMin);
    if (head.byLabels.isEmpty()) {
      head.maxTime.set(Long.MIN_VALUE);
    }
  }
}
