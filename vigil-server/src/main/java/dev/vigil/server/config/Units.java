package dev.vigil.server.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsers for Prometheus-style durations and byte sizes. */
public final class Units {
  private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w|y)");
  private static final Pattern BYTES = Pattern.compile("(\\d+)\\s*([KMGTP]?i?B)?");

  private Units() {}

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

  /**
   * Parses a byte size: a plain number of bytes, or with a unit B, KB, MB, GB, TB, PB (powers of
   * 1024, as Prometheus' {@code --storage.tsdb.retention.size}); KiB, MiB, ... are accepted too.
   */
  public static long parseBytes(String s) {
    Matcher m = BYTES.matcher(s.trim().toUpperCase(Locale.ROOT).replace("IB", "iB"));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "invalid size \"" + s + "\" (use e.g. 1048576, 512KB, 10MB, 2GiB)");
    }
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("size \"" + s + "\" is too large");
    }
    String unit = m.group(2) == null ? "B" : m.group(2).replace("i", "");
    int shift =
        switch (unit) {
          case "B" -> 0;
          case "KB" -> 10;
          case "MB" -> 20;
          case "GB" -> 30;
          case "TB" -> 40;
          default -> 50;
        };
    if (shift > 0 && n > (Long.MAX_VALUE >> shift)) {
      throw new IllegalArgumentException("size \"" + s + "\" is too large");
    }
    return n << shift;
  }
}
