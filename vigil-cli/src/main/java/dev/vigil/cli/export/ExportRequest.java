package dev.vigil.cli.export;

import dev.vigil.export.ExportFormat;
import dev.vigil.export.ExportWriters;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code vigil export} was asked, checked: the series ({@code matches}) or a PromQL {@code
 * query}, the range in epoch ms, the grid ({@code stepMs} 0: raw samples), the format and layout,
 * the output ({@code "-"}: standard output) and the source: a server {@code url} (with {@code
 * token}, may be null) or a data directory {@code storagePath}.
 */
public record ExportRequest(
    List<String> matches,
    String query,
    long startMs,
    long endMs,
    long stepMs,
    ExportFormat format,
    ExportWriters.Layout layout,
    String output,
    String url,
    String token,
    Path storagePath) {

  /**
   * @throws IllegalArgumentException naming the option that is wrong
   */
  public ExportRequest {
    matches = List.copyOf(matches);
    if (matches.isEmpty() && (query == null || query.isBlank())) {
      throw new IllegalArgumentException("give --match SELECTOR (one or more) or --query PROMQL");
    }
    if (!matches.isEmpty() && query != null && !query.isBlank()) {
      throw new IllegalArgumentException("give --match or --query, not both");
    }
    if (query != null && !query.isBlank() && stepMs <= 0) {
      throw new IllegalArgumentException(
          "--query is evaluated on a grid: give --step (e.g. --step 1m)");
    }
    if ((url == null) == (storagePath == null)) {
      throw new IllegalArgumentException(
          "give --url (a running server) or --storage.path (a data directory), one of them");
    }
    if (endMs < startMs) {
      throw new IllegalArgumentException("--end is before --start");
    }
    if (format == ExportFormat.PARQUET) {
      throw new IllegalArgumentException(ExportFormat.PARQUET_REFUSAL);
    }
    if (format == ExportFormat.SQLITE && output.equals("-")) {
      throw new IllegalArgumentException(
          "format sqlite writes a database file: give --output FILE, not -");
    }
    if (layout == ExportWriters.Layout.WIDE && format != ExportFormat.CSV) {
      throw new IllegalArgumentException("--layout wide is a CSV layout: add --format csv");
    }
  }
}
