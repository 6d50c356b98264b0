package dev.vigil.collectors.recorders;

import java.time.LocalDate;

/** Small allocation-free helpers to write JSON strings and ISO-8601 UTC timestamps. */
final class JsonText {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private JsonText() {}

  /** Appends {@code s} as a JSON string literal, quotes included; null becomes {@code null}. */
  static void string(StringBuilder b, String s) {
    if (s == null) {
      b.append("null");
      return;
    }
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append("\\u00").append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  // The date part changes once a day: cached as {day, "yyyy-MM-ddT"} so formatting a timestamp
  // appends one string and four two-digit fields.
  private static volatile Object[] dayPrefix = {Long.MIN_VALUE, ""};

  /** Appends epoch milliseconds as {@code 2026-11-25T12:42:29.123Z}. */
  static void isoTime(StringBuilder b, long millis) {
    long day = Math.floorDiv(millis, 86_400_000L);
    int ms = (int) Math.floorMod(millis, 86_400_000L);
    Object[] cached = dayPrefix;
    String prefix;
    if ((Long) cached[0] == day) {
      prefix = (String) cached[1];
    } else {
      LocalDate d = LocalDate.ofEpochDay(day);
      StringBuilder p = new StringBuilder(11);
      int year = d.getYear();
      if (year < 1000) {
        p.append(year < 10 ? "000" : year < 100 ? "00" : "0");
      }
      p.append(year).append('-');
      two(p, d.getMonthValue()).append('-');
      two(p, d.getDayOfMonth()).append('T');
      prefix = p.toString();
      dayPrefix = new Object[] {day, prefix};
    }
    b.append(prefix);
    two(b, ms / 3_600_000).append(':');
    two(b, ms / 60_000 % 60).append(':');
    two(b, ms / 1000 % 60).append('.');
    int frac = ms % 1000;
    b.append((char) ('0' + frac / 100))
        .append((char) ('0' + frac / 10 % 10))
        .append((char) ('0' + frac % 10));
    b.append('Z');
  }

  private static StringBuilder two(StringBuilder b, int v) {
    return b.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
  }
}
