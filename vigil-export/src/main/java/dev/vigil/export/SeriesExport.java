package dev.vigil.export;

import dev.vigil.model.SampleIterator;
import dev.vigil.model.Series;
import dev.vigil.model.SeriesSet;
import dev.vigil.model.StaleMarker;
import java.io.IOException;

/**
 * Streams a {@link SeriesSet} into a {@link SeriesWriter}: one series at a time, its samples as the
 * iterator yields them, so memory does not grow with the export. Staleness markers are storage's
 * bookkeeping, not data: they are left out, as {@code /federate} leaves them out. Series without a
 * sample in the range are left out.
 */
public final class SeriesExport {
  /**
   * Told the running count of samples written, every {@link #PROGRESS_EVERY} samples and at the
   * end.
   */
  @FunctionalInterface
  public interface Progress {
    void samples(long written);
  }

  static final int PROGRESS_EVERY = 65_536;

  private SeriesExport() {}

  /**
   * Writes every series of {@code set} (without calling {@link SeriesWriter#finish}), samples with
   * {@code mint <= t <= maxt}.
   *
   * @return the number of samples written
   */
  public static long write(SeriesSet set, long mint, long maxt, SeriesWriter w, Progress progress)
      throws IOException {
    long written = 0;
    while (set.next()) {
      Series s = set.at();
      SampleIterator it = s.iterator();
      boolean begun = false;
      if (!it.seek(mint)) {
        continue;
      }
      do {
        long t = it.timestamp();
        if (t > maxt) {
          break;
        }
        double v = it.value();
        if (StaleMarker.is(v)) {
          continue;
        }
        if (!begun) {
          w.beginSeries(s.labels());
          begun = true;
        }
        w.sample(t, v);
        if ((++written & (PROGRESS_EVERY - 1)) == 0) {
          progress.samples(written);
        }
      } while (it.next());
      if (begun) {
        w.endSeries();
      }
    }
    progress.samples(written);
    return written;
  }
}
