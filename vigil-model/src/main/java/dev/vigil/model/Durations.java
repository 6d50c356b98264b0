package dev.vigil.model;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prometheus' durations ({@code model.Duration}): {@code 1h30m}, {@code 15s}, {@code 250ms}, parsed
 * and formatted as Prometheus does, for configuration, rule files and API answers.
 */
public final class Durations {
  private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w|y)");

  private Durations() {}

  /**
   * Parses {@code 1h30m}, {@code 15s}, {@code 250ms}, {@code 2w}, {@code 1y} (units in decreasing
   * order, as Prometheus' {@code model.ParseDuration}).
   *
   * @throws IllegalArgumentException naming the text
   */
  public static Duration parseDuration(String s) {
    String t = s.trim();
    if (t.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = DURATION_PART.matcher(t);
    int pos = 0;
    long ms = 0;
    int lastRank = Integer.MAX_VALUE;
    while (pos < t.length()) {
      // Anchored at pos: find() would rescan the rest of the text from every position, quadratic
      // in a long run of digits without a unit.
      m.region(pos, t.length());
      if (!m.lookingAt()) {
        throw new IllegalArgumentException(
            "invalid duration \"" + s + "\" (use e.g. 15s, 1m30s, 250ms, 2h, 7d)");
      }
      int rank = rank(m.group(2));
      if (rank >= lastRank) {
        throw new IllegalArgumentException(
            "invalid duration \"" + s + "\": units must go from largest to smallest");
      }
      lastRank = rank;
      try {
        long n = Long.parseLong(m.group(1));
        ms = Math.addExact(ms, Math.multiplyExact(n, unitMillis(m.group(2))));
      } catch (ArithmeticException | NumberFormatException e) {
        throw new IllegalArgumentException(
            "duration \"" + s + "\" is too long (at most about 292 million years)");
      }
      pos = m.end();
    }
    if (t.isEmpty()) {
      throw new IllegalArgumentException("empty duration");
    }
    return Duration.ofMillis(ms);
  }

  private static int rank(String unit) {
    return switch (unit) {
      case "ms" -> 0;
      case "s" -> 1;
      case "m" -> 2;
      case "h" -> 3;
      case "d" -> 4;
      case "w" -> 5;
      default -> 6;
    };
  }

  private static long unitMillis(String unit) {
    return switch (unit) {
      case "ms" -> 1;
      case "s" -> 1000;
      case "m" -> 60_000;
      case "h" -> 3_600_000;
      case "d" -> 86_400_000;
      case "w" -> 7 * 86_400_000L;
      default -> 365 * 86_400_000L;
    };
  }

  /** Formats as Prometheus does: {@code 1h30m}, {@code 15s}, {@code 0s}. */
  public static String formatDuration(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    String[] units = {"y", "w", "d", "h", "m", "s", "ms"};
    for (String u : units) {
      long per = unitMillis(u);
      if (ms >= per) {
        sb.append(ms / per).append(u);
        ms %= per;
      }
    }
    return sb.toString();
  }
}
