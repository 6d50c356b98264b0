package dev.vigil.export;

import dev.vigil.model.Labels;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Number, time and label text shared by the text formats. */
final class Text {
  /** RFC 3339 in UTC with milliseconds, fixed width (sorts as text). */
  static final DateTimeFormatter RFC3339_MS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Text() {}

  /**
   * A value as Prometheus' formats and Go's ParseFloat read it: integers without a fraction, other
   * values in Java's shortest round-tripping form, {@code NaN}, {@code +Inf}, {@code -Inf}.
   */
  static void number(StringBuilder sb, double v) {
    if (Double.isNaN(v)) {
      sb.append("NaN");
    } else if (Double.isInfinite(v)) {
      sb.append(v > 0 ? "+Inf" : "-Inf");
    } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      sb.append((long) v);
    } else if (!fewDecimals(sb, v)) {
      sb.append(v);
    }
  }

  private static final long[] POW10 = {1, 10, 100, 1000};

  /**
   * Appends {@code v} as a decimal of 1 to 3 fraction digits when one reads back as exactly {@code
   * v}, else appends nothing and returns false. {@code r / 10^k} and parsing its digits both round
   * the same real number to the nearest double, so the test is exact. Metric values are mostly such
   * decimals, and this is several times faster than the general shortest-digits algorithm (about a
   * quarter of the CPU samples in a JFR profile of a JSON lines export).
   */
  static boolean fewDecimals(StringBuilder sb, double v) {
    if (!(Math.abs(v) < 1e12)) {
      return false;
    }
    for (int k = 1; k <= 3; k++) {
      long p = POW10[k];
      double r = Math.rint(v * p);
      if (r / p == v) {
        long n = (long) r;
        if (n < 0) {
          sb.append('-');
          n = -n;
        }
        sb.append(n / p).append('.');
        long frac = n % p;
        for (long d = p / 10; d > frac && d > 1; d /= 10) {
          sb.append('0');
        }
        sb.append(frac);
        return true;
      }
    }
    return false;
  }

  /** Epoch milliseconds as seconds with a millisecond fraction when there is one. */
  static void seconds(StringBuilder sb, long ms) {
    sb.append(Math.floorDiv(ms, 1000));
    long frac = Math.floorMod(ms, 1000);
    if (frac != 0) {
      sb.append('.');
      if (frac < 100) {
        sb.append('0');
      }
      if (frac < 10) {
        sb.append('0');
      }
      sb.append(frac);
    }
  }

  /** A JSON string literal. */
  static void jsonString(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  /** {@code {"__name__":"up","job":"a"}}. */
  static void jsonLabels(StringBuilder sb, Labels l) {
    sb.append('{');
    for (int i = 0; i < l.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      jsonString(sb, l.name(i));
      sb.append(':');
      jsonString(sb, l.value(i));
    }
    sb.append('}');
  }

  /**
   * The labels other than the name in Prometheus' selector syntax, {@code {job="a",le="0.5"}}
   * ({@code {}} when none), escaped as the text formats escape them.
   */
  static void selectorLabels(StringBuilder sb, Labels l) {
    sb.append('{');
    boolean first = true;
    for (int i = 0; i < l.size(); i++) {
      if (l.name(i).equals(Labels.METRIC_NAME)) {
        continue;
      }
      if (!first) {
        sb.append(',');
      }
      first = false;
      sb.append(l.name(i)).append("=\"");
      for (int j = 0; j < l.value(i).length(); j++) {
        char c = l.value(i).charAt(j);
        switch (c) {
          case '\\' -> sb.append("\\\\");
          case '"' -> sb.append("\\\"");
          case '\n' -> sb.append("\\n");
          default -> sb.append(c);
        }
      }
      sb.append('"');
    }
    sb.append('}');
  }

  /** A CSV field, quoted when it holds a comma, quote or line break (RFC 4180). */
  static void csvField(StringBuilder sb, String s) {
    boolean quote = false;
    for (int i = 0; i < s.length() && !quote; i++) {
      char c = s.charAt(i);
      quote = c == ',' || c == '"' || c == '\n' || c == '\r';
    }
    if (!quote) {
      sb.append(s);
      return;
    }
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        sb.append('"');
      }
      sb.append(c);
    }
    sb.append('"');
  }

  /** The series' name, or {@link ExportWriters#NAMELESS} for a query result without one. */
  static String name(Labels l) {
    String n = l.metricName();
    return n == null || n.isEmpty() ? ExportWriters.NAMELESS : n;
  }
}
