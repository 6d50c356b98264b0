package dev.vigil.export;

import dev.vigil.model.Labels;
import java.io.IOException;
import java.io.OutputStream;

/**
 * VictoriaMetrics' export format, which its {@code /api/v1/import} reads back: one line per series
 * and batch, {@code
 * {"metric":{"__name__":"up",...},"values":[1,0.5],"timestamps":[1765100000000,...]}}
 * (milliseconds). A series longer than {@code maxRowsPerLine} continues on further lines with the
 * same metric, as VictoriaMetrics writes it with {@code max_rows_per_line}; so a line holds a
 * bounded batch whatever the series' length.
 */
final class JsonLinesWriter extends TextWriter {
  private final int maxRows;
  private final long[] ts;
  private final double[] vs;
  private int n;
  private String metric;

  JsonLinesWriter(OutputStream out, int maxRowsPerLine) {
    super(out);
    this.maxRows = maxRowsPerLine;
    this.ts = new long[maxRowsPerLine];
    this.vs = new double[maxRowsPerLine];
  }

  @Override
  public void beginSeries(Labels labels) {
    StringBuilder sb = new StringBuilder(128);
    sb.append("{\"metric\":");
    Text.jsonLabels(sb, labels);
    sb.append(",\"values\":[");
    metric = sb.toString();
    n = 0;
  }

  @Override
  public void sample(long t, double v) throws IOException {
    ts[n] = t;
    vs[n] = v;
    if (++n == maxRows) {
      flushLine();
    }
  }

  @Override
  public void endSeries() throws IOException {
    if (n > 0) {
      flushLine();
    }
  }

  private void flushLine() throws IOException {
    line.append(metric);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        line.append(',');
      }
      Text.number(line, vs[i]);
      if (line.length() > 8192) {
        emit();
      }
    }
    line.append("],\"timestamps\":[");
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        line.append(',');
      }
      line.append(ts[i]);
      if (line.length() > 8192) {
        emit();
      }
    }
    line.append("]}\n");
    emit();
    n = 0;
  }
}
