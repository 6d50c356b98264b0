package dev.vigil.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * Opens the {@link SeriesWriter} of a format.
 *
 * <pre>{@code
 * try (SeriesWriter w = ExportWriters.open(ExportFormat.CSV, ExportWriters.Layout.WIDE, out)) { ... }
 * try (SeriesWriter w = ExportWriters.sqlite(Path.of("x.db"))) { ... }
 * }</pre>
 */
public final class ExportWriters {
  /** The name the influx and OpenMetrics formats give a query result without {@code __name__}. */
  public static final String NAMELESS = "query_result";

  /** VictoriaMetrics' JSON lines: samples per line unless asked otherwise. */
  public static final int DEFAULT_MAX_ROWS_PER_LINE = 10_000;

  /** The CSV layouts. */
  public enum Layout {
    /** {@code timestamp,name,labels,value}: streams. */
    LONG,
    /** One row per timestamp, one column per series: buffered, bounded. */
    WIDE
  }

  private ExportWriters() {}

  /**
   * A writer of a text format to {@code out} (flushed at {@link SeriesWriter#finish}, not closed).
   *
   * @throws IllegalArgumentException for sqlite (a file: {@link #sqlite}) and parquet (refused)
   */
  public static SeriesWriter open(ExportFormat format, Layout layout, OutputStream out)
      throws IOException {
    return open(format, layout, out, DEFAULT_MAX_ROWS_PER_LINE);
  }

  /** As {@link #open(ExportFormat, Layout, OutputStream)}, with JSON lines' batch size. */
  public static SeriesWriter open(
      ExportFormat format, Layout layout, OutputStream out, int maxRowsPerLine) throws IOException {
    if (maxRowsPerLine < 1) {
      throw new IllegalArgumentException("max_rows_per_line must be at least 1");
    }
    return switch (format) {
      case CSV ->
          layout == Layout.WIDE
              ? new CsvWideWriter(out, CsvWideWriter.MAX_SAMPLES)
              : new CsvLongWriter(out);
      case JSON -> new JsonWriter(out);
      case JSONL -> new JsonLinesWriter(out, maxRowsPerLine);
      case INFLUX -> new InfluxWriter(out);
      case OPENMETRICS -> new OpenMetricsWriter(out);
      case SQLITE ->
          throw new IllegalArgumentException(
              "format sqlite writes a database file: give --output FILE, not a stream");
      case PARQUET -> throw new IllegalArgumentException(ExportFormat.PARQUET_REFUSAL);
    };
  }

  /**
   * VictoriaMetrics' CSV export: the columns its {@code format} parameter lists ({@code
   * __name__,__value__,__timestamp__:unix_s,job}).
   *
   * @throws IllegalArgumentException naming a column or timestamp unit it does not know
   */
  public static SeriesWriter vmCsv(String format, OutputStream out) {
    return new VmCsvWriter(out, format);
  }

  /**
   * {@code w} driven from a writer thread of its own, fed through a bounded queue, so that the
   * caller's reading and {@code w}'s formatting overlap. Closing the result drains it and stops the
   * thread, leaving {@code w} open (neither finished nor closed); a failure of {@code w} is thrown
   * by a later call, at the latest by {@code close}.
   */
  public static SeriesWriter pipelined(SeriesWriter w) {
    return new PipelinedWriter(w);
  }

  /** A SQLite database at {@code file}, replaced if present. */
  public static SeriesWriter sqlite(Path file) throws IOException {
    return new SqliteWriter(file);
  }
}
