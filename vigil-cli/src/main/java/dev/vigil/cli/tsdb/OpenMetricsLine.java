package dev.vigil.cli.tsdb;

import dev.vigil.model.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses one sample line of the OpenMetrics / Prometheus text format: {@code name{a="b"} value
 * [timestamp]}. Timestamps are OpenMetrics seconds (fractions allowed), returned in ms. Comment and
 * blank lines are for the caller to skip. Not thread-safe (holds the parsed fields).
 */
public final class OpenMetricsLine {
  private final Map<String, String> interned;
  private String prevLine = "";
  private int prevSeriesEnd = -1;
  private Labels labels;
  private double value;
  private long timestampMs;
  private boolean hasTimestamp;

  public OpenMetricsLine(Map<String, String> interned) {
    this.interned = interned;
  }

  /**
   * Parses {@code line}.
   *
   * @throws IllegalArgumentException naming the column of the problem
   */
  public void parse(String line) {
    int n = line.length();
    // Files group samples by series: when the series text equals the previous line's, reuse its
    // labels instead of parsing and sorting them again.
    if (prevSeriesEnd > 0
        && n > prevSeriesEnd
        && line.charAt(prevSeriesEnd) == ' '
        && line.regionMatches(0, prevLine, 0, prevSeriesEnd)) {
      parseSample(line, prevSeriesEnd);
      prevLine = line;
      return;
    }
    prevSeriesEnd = -1;
    int i = 0;
    while (i < n && isNameChar(line.charAt(i), i == 0)) {
      i++;
    }
    if (i == 0) {
      throw new IllegalArgumentException("expected a metric name at column 1");
    }
    List<String> nv = new ArrayList<>();
    nv.add("__name__");
    nv.add(intern(line.substring(0, i)));
    if (i < n && line.charAt(i) == '{') {
      i++;
      while (true) {
        i = skipSpaces(line, i);
        if (i < n && line.charAt(i) == '}') {
          i++;
          break;
        }
        int s = i;
        while (i < n && isNameChar(line.charAt(i), i == s)) {
          i++;
        }
        if (i == s || i + 1 >= n || line.charAt(i) != '=' || line.charAt(i + 1) != '"') {
          throw new IllegalArgumentException("expected label=\"value\" at column " + (s + 1));
        }
        String name = line.substring(s, i);
        i += 2;
        StringBuilder v = new StringBuilder();
        while (true) {
          if (i >= n) {
            throw new IllegalArgumentException("unterminated label value at column " + (s + 1));
          }
          char c = line.charAt(i++);
          if (c == '"') {
            break;
          }
          if (c == '\\' && i < n) {
            char e = line.charAt(i++);
            v.append(e == 'n' ? '\n' : e);
          } else {
            v.append(c);
          }
        }
        nv.add(intern(name));
        nv.add(intern(v.toString()));
        i = skipSpaces(line, i);
        if (i < n && line.charAt(i) == ',') {
          i++;
        }
      }
    }
    int seriesEnd = i;
    String[] pairs = nv.toArray(new String[0]);
    parseSample(line, i);
    labels = Labels.of(pairs);
    prevLine = line;
    prevSeriesEnd = seriesEnd;
  }

  private void parseSample(String line, int i) {
    int n = line.length();
    i = skipSpaces(line, i);
    int s = i;
    while (i < n && line.charAt(i) != ' ') {
      i++;
    }
    if (s == i) {
      throw new IllegalArgumentException("missing value at column " + (s + 1));
    }
    value = parseValue(line.substring(s, i), s);
    i = skipSpaces(line, i);
    hasTimestamp = i < n;
    if (hasTimestamp) {
      int e = i;
      while (e < n && line.charAt(e) != ' ') {
        e++;
      }
      timestampMs = parseSeconds(line.substring(i, e), i);
    }
  }

  public Labels labels() {
    return labels;
  }

  public double value() {
    return value;
  }

  public boolean hasTimestamp() {
    return hasTimestamp;
  }

  public long timestampMs() {
    return timestampMs;
  }

  private String intern(String s) {
    String old = interned.putIfAbsent(s, s);
    return old == null ? s : old;
  }

  private static double parseValue(String s, int col) {
    return switch (s) {
      case "+Inf", "Inf", "+inf", "inf" -> Double.POSITIVE_INFINITY;
      case "-Inf", "-inf" -> Double.NEGATIVE_INFINITY;
      case "NaN", "nan" -> Double.NaN;
      default -> {
        try {
          yield Double.parseDouble(s);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("invalid value " + s + " at column " + (col + 1));
        }
      }
    };
  }

  /** Seconds with up to millisecond precision (more digits are rounded) to ms, exactly. */
  static long parseSeconds(String s, int col) {
    try {
      int dot = s.indexOf('.');
      if (s.indexOf('e') < 0 && s.indexOf('E') < 0) {
        if (dot < 0) {
          return Math.multiplyExact(Long.parseLong(s), 1000L);
        }
        int frac = s.length() - dot - 1;
        if (frac >= 1 && frac <= 3 && dot > 0 && s.charAt(0) != '-') { // the common case, exactly
          long ms = Long.parseLong(s, dot + 1, s.length(), 10);
          for (int i = frac; i < 3; i++) {
            ms *= 10;
          }
          return Math.addExact(Math.multiplyExact(Long.parseLong(s, 0, dot, 10), 1000L), ms);
        }
      }
      return new java.math.BigDecimal(s)
          .movePointRight(3)
          .setScale(0, java.math.RoundingMode.HALF_EVEN)
          .longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("invalid timestamp " + s + " at column " + (col + 1));
    }
  }

  private static int skipSpaces(String s, int i) {
    while (i < s.length() && s.charAt(i) == ' ') {
      i++;
    }
    return i;
  }

  private static boolean isNameChar(char c, boolean first) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || c == '_'
        || c == ':'
        || (!first && c >= '0' && c <= '9');
  }
}
