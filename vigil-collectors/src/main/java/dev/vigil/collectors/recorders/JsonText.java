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

  /** Appends epoch milliseconds as {@code 2026-11-25T12:42:29.123Z}. */
  static void isoTime(StringBuilder b, long millis) {
    long day = Math.floorDiv(millis, 86_400_000L);
    long ms = Math.floorMod(millis, 86_400_000L);
    LocalDate d = LocalDate.ofEpochDay(day);
    pad(b, d.getYear(), 4).append('-');
    pad(b, d.getMonthValue(), 2).append('-');
    pad(b, d.getDayOfMonth(), 2).append('T');
    pad(b, (int) (ms / 3_600_000), 2).append(':');
    pad(b, (int) (ms / 60_000 % 60), 2).append(':');
    pad(b, (int) (ms / 1000 % 60), 2).append('.');
    pad(b, (int) (ms % 1000), 3).append('Z');
  }

  private static StringBuilder pad(StringBuilder b, int v, int width) {
    int digits = v == 0 ? 1 : (int) Math.log10(v) + 1;
    for (int i = digits; i < width; i++) {
      b.append('0');
    }
    return b.append(v);
  }
}
