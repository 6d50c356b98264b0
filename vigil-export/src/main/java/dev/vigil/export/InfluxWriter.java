package dev.vigil.export;

import dev.vigil.model.Labels;
import java.io.IOException;
import java.io.OutputStream;

/**
 * InfluxDB line protocol: {@code name,job=a,instance=b value=1.5 1765100000000000000}: the metric
 * name as measurement, the other labels as tags (escaped as line protocol asks), one float field
 * {@code value}, nanosecond timestamps. NaN and infinite values are left out: InfluxDB rejects them
 * (and so the whole batch they are in).
 */
final class InfluxWriter extends TextWriter {
  private String prefix;

  InfluxWriter(OutputStream out) {
    super(out);
  }

  @Override
  public void beginSeries(Labels labels) {
    StringBuilder sb = new StringBuilder(128);
    escape(sb, Text.name(labels), false);
    for (int i = 0; i < labels.size(); i++) {
      if (labels.name(i).equals(Labels.METRIC_NAME) || labels.value(i).isEmpty()) {
        continue;
      }
      sb.append(',');
      escape(sb, labels.name(i), true);
      sb.append('=');
      escape(sb, labels.value(i), true);
    }
    sb.append(" value=");
    prefix = sb.toString();
  }

  @Override
  public void sample(long t, double v) throws IOException {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return;
    }
    line.append(prefix);
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      line.append((long) v); // a float field still: no "i" suffix
    } else {
      line.append(v);
    }
    line.append(' ').append(Math.multiplyExact(t, 1_000_000L)).append('\n');
    if (line.length() > 8192) {
      emit();
    }
  }

  @Override
  public void endSeries() throws IOException {
    emit();
  }

  /** Measurements escape commas and spaces; tag keys and values also equals signs. */
  private static void escape(StringBuilder sb, String s, boolean tag) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ',' || c == ' ' || (tag && c == '=') || c == '\\') {
        sb.append('\\');
      }
      if (c == '\n') {
        sb.append("\\n");
        continue;
      }
      sb.append(c);
    }
  }
}
