package dev.vigil.promql.parser;

import java.util.List;

/** Number and duration literals, read as Prometheus reads them. */
final class Literals {
  private Literals() {}

  /** Parses a number the way Prometheus does (Go ParseInt base 0, then ParseFloat). */
  static double number(String query, String s, int pos) {
    String l = s.toLowerCase();
    switch (l) {
      case "inf", "+inf" -> {
        return Double.POSITIVE_INFINITY;
      }
      case "-inf" -> {
        return Double.NEGATIVE_INFINITY;
      }
      case "nan" -> {
        return Double.NaN;
      }
      default -> {}
    }
    try {
      if (l.startsWith("0x")) {
        return Long.parseLong(l.substring(2).replace("_", ""), 16);
      }
      if (l.length() > 1 && l.startsWith("0") && l.chars().allMatch(c -> c >= '0' && c <= '7')) {
        return Long.parseLong(l.substring(1), 8);
      }
      if (l.contains("_")) {
        throw new NumberFormatException();
      }
      double d = Double.parseDouble(l);
      if (Double.isInfinite(d)) {
        // Go's ParseFloat refuses a finite literal beyond the largest double (underflow is 0).
        throw new ParseException(
            query,
            pos,
            "error parsing number: strconv.ParseFloat: parsing \"" + s + "\": value out of range");
      }
      return d;
    } catch (NumberFormatException e) {
      throw new ParseException(query, pos, "bad number or duration syntax: \"" + s + "\"");
    }
  }

  /** Parses a duration such as {@code 1h30m} into milliseconds; units strictly decreasing. */
  static long duration(String query, String s, int pos) {
    long total = 0;
    int i = 0;
    int lastUnit = -1;
    String[] units = {"y", "w", "d", "h", "m", "s", "ms"};
    long[] ms = {365L * 86_400_000, 7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1};
    while (i < s.length()) {
      int j = i;
      while (j < s.length() && Lexer.isDigit(s.charAt(j))) {
        j++;
      }
      if (j == i) {
        throw new ParseException(query, pos, "bad duration syntax: \"" + s + "\"");
      }
      long n;
      try {
        n = Long.parseLong(s.substring(i, j));
      } catch (NumberFormatException tooLong) {
        throw new ParseException(query, pos, "duration out of range: \"" + s + "\"");
      }
      String unit;
      if (s.startsWith("ms", j)) {
        unit = "ms";
      } else if (j < s.length()) {
        unit = String.valueOf(s.charAt(j));
      } else {
        throw new ParseException(query, pos, "bad duration syntax: \"" + s + "\"");
      }
      int u = List.of(units).indexOf(unit);
      if (u < 0 || u <= lastUnit) {
        throw new ParseException(query, pos, "not a valid duration string: \"" + s + "\"");
      }
      lastUnit = u;
      try {
        total = Math.addExact(total, Math.multiplyExact(n, ms[u]));
      } catch (ArithmeticException overflow) {
        throw new ParseException(query, pos, "duration out of range: \"" + s + "\"");
      }
      i = j + unit.length();
    }
    return total;
  }
}
