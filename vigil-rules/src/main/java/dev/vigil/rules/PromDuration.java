package dev.vigil.rules;

import java.time.Duration;

/**
 * Prometheus' duration syntax ({@code model.ParseDuration}): units y, w, d, h, m, s, ms, each at
 * most once, largest first, integers only ({@code 1h30m}, {@code 90s}, {@code 0}); and its printing
 * ({@code model.Duration.String}: {@code 1h30m}, {@code 0s}).
 */
public final class PromDuration {
  private static final String[] UNITS = {"y", "w", "d", "h", "m", "s", "ms"};
  private static final long[] MILLIS = {
    365L * 86_400_000, 7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1
  };

  private PromDuration() {}

  /**
   * Parses {@code s}.
   *
   * @throws IllegalArgumentException worded as Prometheus: {@code not a valid duration string:
   *     "1.5m"}
   */
  public static Duration parse(String s) {
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    IllegalArgumentException bad =
        new IllegalArgumentException("not a valid duration string: \"" + s + "\"");
    if (s.isEmpty()) {
      throw bad;
    }
    long total = 0;
    int i = 0;
    int last = -1;
    while (i < s.length()) {
      int j = i;
      while (j < s.length() && s.charAt(j) >= '0' && s.charAt(j) <= '9') {
        j++;
      }
      if (j == i || j == s.length()) {
        throw bad;
      }
      int u = -1;
      int len = 0;
      if (s.startsWith("ms", j)) {
        u = 6;
        len = 2;
      } else {
        for (int k = 0; k < 6; k++) {
          if (s.charAt(j) == UNITS[k].charAt(0)) {
            u = k;
            len = 1;
          }
        }
      }
      if (u < 0 || u <= last) {
        throw bad;
      }
      last = u;
      try {
        total =
            Math.addExact(total, Math.multiplyExact(Long.parseLong(s.substring(i, j)), MILLIS[u]));
      } catch (ArithmeticException | NumberFormatException e) {
        throw new IllegalArgumentException("duration out of range: \"" + s + "\"");
      }
      i = j + len;
    }
    return Duration.ofMillis(total);
  }

  /** Prints {@code d} as Prometheus does: {@code 1h30m}, {@code 5m}, {@code 0s}, {@code 1d}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) {
      return "0s";
    }
    StringBuilder b = new StringBuilder();
    for (int k = 0; k < UNITS.length; k++) {
      long n = ms / MILLIS[k];
      if (n > 0) {
        b.append(n).append(UNITS[k]);
        ms -= n * MILLIS[k];
      }
    }
    return b.toString();
  }
}
