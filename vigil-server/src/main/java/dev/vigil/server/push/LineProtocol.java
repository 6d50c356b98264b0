package dev.vigil.server.push;

import dev.vigil.model.Labels;
import dev.vigil.server.push.Families.Sample;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Encodes samples as InfluxDB line protocol, the way InfluxDB 1.x stores Prometheus remote write:
 * the metric name is the measurement, the labels are tags, the value is the float field {@code
 * value}. Stateless.
 */
final class LineProtocol {
  private LineProtocol() {}

  /** The encoded body and how many samples it left out. */
  record Body(String text, int lines, int dropped) {}

  /**
   * Encodes {@code samples}; {@code external} labels are added as tags where a series lacks them.
   * NaN and infinite values, which line protocol cannot carry, are left out and counted.
   *
   * @param precision {@code ns}, {@code u}, {@code ms}, {@code s}, {@code m} or {@code h}
   */
  static Body encode(List<Sample> samples, Map<String, String> external, String precision) {
    StringBuilder sb = new StringBuilder(samples.size() * 64);
    int dropped = 0;
    int lines = 0;
    for (Sample s : samples) {
      Labels l = s.labels();
      if (l.metricName() == null || Double.isNaN(s.v()) || Double.isInfinite(s.v())) {
        dropped++;
        continue;
      }
      escape(sb, l.metricName(), true);
      TreeMap<String, String> tags = new TreeMap<>(external);
      for (int i = 0; i < l.size(); i++) {
        if (!l.name(i).equals(Labels.METRIC_NAME)) {
          tags.put(l.name(i), l.value(i));
        }
      }
      for (var t : tags.entrySet()) {
        if (t.getValue().isEmpty()) {
          continue; // line protocol has no empty tag values; Prometheus treats them as absent
        }
        sb.append(',');
        escape(sb, t.getKey(), false);
        sb.append('=');
        escape(sb, t.getValue(), false);
      }
      sb.append(" value=").append(formatDouble(s.v())).append(' ');
      sb.append(timestamp(s.t(), precision)).append('\n');
      lines++;
    }
    return new Body(sb.toString(), lines, dropped);
  }

  static long timestamp(long ms, String precision) {
    return switch (precision) {
      case "ns" -> ms * 1_000_000L;
      case "u" -> ms * 1_000L;
      case "s" -> Math.floorDiv(ms, 1_000L);
      case "m" -> Math.floorDiv(ms, 60_000L);
      case "h" -> Math.floorDiv(ms, 3_600_000L);
      default -> ms;
    };
  }

  private static String formatDouble(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v); // a float field still: no "i" suffix
    }
    return Double.toString(v);
  }

  /** Measurements escape comma and space; tag keys and values also '='. */
  private static void escape(StringBuilder sb, String s, boolean measurement) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ',' || c == ' ' || !measurement && c == '=') {
        sb.append('\\');
      } else if (c == '\n') {
        sb.append("\\n");
        continue;
      }
      sb.append(c);
    }
  }
}
