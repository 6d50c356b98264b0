package dev.vigil.export;

import dev.vigil.model.Labels;
import java.io.IOException;

/**
 * Receives an export series by series: {@link #beginSeries}, its samples in time order, {@link
 * #endSeries}; then {@link #finish} once. A writer holds at most one series' worth of a bounded
 * batch (the wide CSV layout excepted, which needs every series of a row: it documents its bound).
 *
 * <pre>{@code
 * try (SeriesWriter w = ExportWriters.open(ExportFormat.JSONL, Layout.LONG, out)) {
 *   w.beginSeries(labels);
 *   w.sample(t, v);
 *   w.endSeries();
 *   w.finish();
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one exporting thread drives it.
 */
public interface SeriesWriter extends AutoCloseable {
  /** Starts a series; {@code labels} includes {@code __name__} when the series has one. */
  void beginSeries(Labels labels) throws IOException;

  /** One sample of the current series: epoch milliseconds and value. */
  void sample(long timestampMs, double value) throws IOException;

  /** Ends the current series. */
  void endSeries() throws IOException;

  /** Writes what follows the last series (a trailer, indexes) and flushes. */
  void finish() throws IOException;

  /** Releases the output; does not close a stream the caller owns. */
  @Override
  void close() throws IOException;
}
