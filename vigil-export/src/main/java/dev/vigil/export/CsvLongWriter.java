package dev.vigil.export;

import dev.vigil.model.Labels;
import java.io.IOException;
import java.io.OutputStream;

/**
 * CSV, long layout: {@code timestamp,name,labels,value}, one row per sample; the timestamp in RFC
 * 3339 (UTC, milliseconds), the labels other than the name as a selector ({@code
 * {job="a",instance="b"}}), RFC 4180 quoting.
 */
final class CsvLongWriter extends TextWriter {
  private String prefix;

  CsvLongWriter(OutputStream out) throws IOException {
    super(out);
    line.append("timestamp,name,labels,value\n");
    emit();
  }

  @Override
  public void beginSeries(Labels labels) {
    StringBuilder sb = new StringBuilder(128);
    sb.append(',');
    Text.csvField(sb, labels.metricName() == null ? "" : labels.metricName());
    sb.append(',');
    StringBuilder sel = new StringBuilder(96);
    Text.selectorLabels(sel, labels);
    Text.csvField(sb, sel.toString());
    sb.append(',');
    prefix = sb.toString();
  }

  @Override
  public void sample(long t, double v) throws IOException {
    Text.RFC3339_MS.formatTo(java.time.Instant.ofEpochMilli(t), line);
    line.append(prefix);
    Text.number(line, v);
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
