package dev.vigil.export;

import dev.vigil.model.Labels;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * VictoriaMetrics' CSV export: the columns its {@code format} parameter names, in order, no header:
 * {@code __name__}, {@code __value__}, {@code __timestamp__[:unix_s|unix_ms|unix_ns|rfc3339]}
 * ({@code unix_ms} when no unit is given) and any label name (empty when the series lacks it).
 */
final class VmCsvWriter extends TextWriter {
  private enum Kind {
    NAME,
    VALUE,
    UNIX_S,
    UNIX_MS,
    UNIX_NS,
    RFC3339,
    LABEL
  }

  private record Column(Kind kind, String label) {}

  private final List<Column> columns;
  private final String[] cells;

  VmCsvWriter(OutputStream out, String format) {
    super(out);
    if (format == null || format.isBlank()) {
      throw new IllegalArgumentException(
          "missing format: e.g. __name__,__value__,__timestamp__:unix_ms");
    }
    java.util.ArrayList<Column> cols = new java.util.ArrayList<>();
    for (String f : format.split(",", -1)) {
      String c = f.strip();
      Column col;
      if (c.equals("__name__")) {
        col = new Column(Kind.NAME, null);
      } else if (c.equals("__value__")) {
        col = new Column(Kind.VALUE, null);
      } else if (c.equals("__timestamp__") || c.startsWith("__timestamp__:")) {
        String unit =
            c.equals("__timestamp__") ? "unix_ms" : c.substring("__timestamp__:".length());
        Kind k =
            switch (unit) {
              case "unix_s" -> Kind.UNIX_S;
              case "unix_ms" -> Kind.UNIX_MS;
              case "unix_ns" -> Kind.UNIX_NS;
              case "rfc3339" -> Kind.RFC3339;
              default ->
                  throw new IllegalArgumentException(
                      "unsupported timestamp format \""
                          + unit
                          + "\" in format: expected unix_s, unix_ms, unix_ns or rfc3339");
            };
        col = new Column(k, null);
      } else if (c.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
        col = new Column(Kind.LABEL, c);
      } else {
        throw new IllegalArgumentException("invalid column \"" + c + "\" in format");
      }
      cols.add(col);
    }
    columns = List.copyOf(cols);
    cells = new String[columns.size()];
  }

  @Override
  public void beginSeries(Labels labels) {
    for (int i = 0; i < cells.length; i++) {
      Column c = columns.get(i);
      if (c.kind == Kind.NAME || c.kind == Kind.LABEL) {
        String v = labels.get(c.kind == Kind.NAME ? Labels.METRIC_NAME : c.label);
        StringBuilder sb = new StringBuilder();
        Text.csvField(sb, v == null ? "" : v);
        cells[i] = sb.toString();
      }
    }
  }

  @Override
  public void sample(long t, double v) throws IOException {
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        line.append(',');
      }
      switch (columns.get(i).kind) {
        case NAME, LABEL -> line.append(cells[i]);
        case VALUE -> Text.number(line, v);
        case UNIX_S -> line.append(Math.floorDiv(t, 1000));
        case UNIX_MS -> line.append(t);
        case UNIX_NS -> line.append(t * 1_000_000L);
        case RFC3339 ->
            line.append(
                java.time.format.DateTimeFormatter.ISO_INSTANT.format(
                    java.time.Instant.ofEpochSecond(Math.floorDiv(t, 1000))));
      }
    }
    line.append('\n');
    if (line.length() > 8192) {
      emit();
    }
  }

  @Override
  public void endSeries() throws IOException {
    emit();
  }
}
