package dev.vigil.report;

import java.time.Instant;
import java.util.List;

/**
 * A report's data, evaluated and ready to render: every query has run, within the cost limits.
 * Immutable; the renderers only read it.
 */
public record Report(
    String name, String title, Instant start, Instant end, long stepMs, List<Part> parts) {

  public Report {
    parts = List.copyOf(parts);
  }

  /** One section's evaluated content. */
  public record Part(
      String title, String text, List<Tile> tiles, TableData table, ChartData chart) {
    public Part {
      tiles = List.copyOf(tiles);
    }
  }

  /** A stat tile's value (NaN: no data). */
  public record Tile(String title, double value, Unit unit) {
    public String formatted() {
      return unit.format(value);
    }
  }

  /** A table: header names, then rows of label values followed by formatted column values. */
  public record TableData(List<String> header, List<List<String>> rows, List<List<Double>> values) {
    public TableData {
      header = List.copyOf(header);
      rows = rows.stream().map(List::copyOf).toList();
      values =
          values.stream()
              .map(r -> java.util.Collections.unmodifiableList(new java.util.ArrayList<>(r)))
              .toList();
    }
  }

  /**
   * A chart: its series over the range ({@code dropped} series beyond the limit are counted, not
   * drawn).
   */
  public record ChartData(
      int figure,
      String caption,
      Unit unit,
      ReportDefinition.Kind kind,
      List<Line> lines,
      int dropped) {
    public ChartData {
      lines = List.copyOf(lines);
    }
  }

  /** One series: its legend name and points (ms, value; NaN where it has none). */
  public record Line(String name, long[] timestamps, double[] values) {
    /** Last, lowest, average and highest finite value (NaN when none). */
    public double[] stats() {
      double min = Double.NaN;
      double max = Double.NaN;
      double sum = 0;
      double last = Double.NaN;
      int n = 0;
      for (double v : values) {
        if (Double.isFinite(v)) {
          min = n == 0 ? v : Math.min(min, v);
          max = n == 0 ? v : Math.max(max, v);
          sum += v;
          last = v;
          n++;
        }
      }
      return new double[] {last, min, n == 0 ? Double.NaN : sum / n, max};
    }
  }
}
