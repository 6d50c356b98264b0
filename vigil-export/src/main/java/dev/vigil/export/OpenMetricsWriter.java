package dev.vigil.export;

import dev.vigil.model.Labels;
import java.io.IOException;
import java.io.OutputStream;

/**
 * OpenMetrics text as {@code promtool tsdb create-blocks-from openmetrics} reads it: one line per
 * sample, {@code name{labels} value timestamp} with the timestamp in seconds (millisecond
 * fraction), series after series (each in time order, series of one name together since storage
 * returns them sorted by labels), and {@code # EOF}.
 */
final class OpenMetricsWriter extends TextWriter {
  private String prefix;

  OpenMetricsWriter(OutputStream out) {
    super(out);
  }

  @Override
  public void beginSeries(Labels labels) {
    StringBuilder sb = new StringBuilder(128);
    sb.append(Text.name(labels));
    StringBuilder sel = new StringBuilder(96);
    Text.selectorLabels(sel, labels);
    if (sel.length() > 2) {
      sb.append(sel);
    }
    sb.append(' ');
    prefix = sb.toString();
  }

  @Override
  public void sample(long t, double v) throws IOException {
    line.append(prefix);
    Text.number(line, v);
    line.append(' ');
    Text.seconds(line, t);
    line.append('\n');
    if (line.length() > 8192) {
      emit();
    }
  }

  @Override
  public void endSeries() throws IOException {
    emit();
  }

  @Override
  public void finish() throws IOException {
    line.append("# EOF\n");
    super.finish();
  }
}
