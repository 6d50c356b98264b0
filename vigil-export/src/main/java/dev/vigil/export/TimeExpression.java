package dev.vigil.export;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The time expressions of {@code vigil export} and {@code vigil import}: {@code now}, a duration
 * before now ({@code "24h ago"}, {@code "7d ago"}, {@code "1h30m ago"}, {@code "-24h"}), RFC 3339
 * ({@code 2026-12-07T10:00:00Z}, offsets and fractions accepted) and Unix seconds ({@code
 * 1765100000}, {@code 1765100000.5}).
 *
 * <pre>{@code
 * long start = TimeExpression.parse("24h ago", clock.millis());
 * }</pre>
 *
 * <p>Stateless and thread-safe; "now" is the caller's, so tests pass a fixed instant.
 */
public final class TimeExpression {
  /** Units of Prometheus durations, largest first, with their milliseconds. */
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|y|w|d|h|m|s)");

  private static final Pattern AGO = Pattern.compile("^((?:\\d+(?:ms|y|w|d|h|m|s))+)\\s+ago$");
  private static final Pattern MINUS = Pattern.compile("^-((?:\\d+(?:ms|y|w|d|h|m|s))+)$");
  private static final Pattern UNIX = Pattern.compile("^\\d{1,12}(\\.\\d{1,9})?$");

  private TimeExpression() {}

  /**
   * Milliseconds since the epoch.
   *
   * @param expr the expression, as typed
   * @param nowMs what "now" is, in epoch milliseconds
   * @throws IllegalArgumentException naming the expression and the accepted forms
   */
  public static long parse(String expr, long nowMs) {
    if (expr == null || expr.isBlank()) {
      throw invalid(String.valueOf(expr));
    }
    String s = expr.strip().toLowerCase(Locale.ROOT);
    if (s.equals("now")) {
      return nowMs;
    }
    Matcher m = AGO.matcher(s);
    if (!m.matches()) {
      m = MINUS.matcher(s);
    }
    if (m.matches()) {
      return Math.subtractExact(nowMs, durationMillis(m.group(1), expr));
    }
    if (UNIX.matcher(s).matches()) {
      return new java.math.BigDecimal(s)
          .movePointRight(3)
          .setScale(0, java.math.RoundingMode.HALF_EVEN)
          .longValueExact();
    }
    try {
      return OffsetDateTime.parse(expr.strip()).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(expr.strip()).toEpochMilli();
      } catch (DateTimeParseException e2) {
        throw invalid(expr);
      }
    }
  }

  /** A duration such as {@code 1m} or {@code 1h30m}, in milliseconds; positive. */
  public static long parseDuration(String expr) {
    String s = expr == null ? "" : expr.strip().toLowerCase(Locale.ROOT);
    if (!s.matches("(\\d+(ms|y|w|d|h|m|s))+")) {
      throw new IllegalArgumentException(
          "invalid duration \"" + expr + "\": expected a number and a unit, e.g. 15s, 1m, 1h30m");
    }
    long ms = durationMillis(s, expr);
    if (ms <= 0) {
      throw new IllegalArgumentException("invalid duration \"" + expr + "\": must be positive");
    }
    return ms;
  }

  private static long durationMillis(String s, String expr) {
    Matcher p = PART.matcher(s);
    long total = 0;
    while (p.find()) {
      long n;
      try {
        n = Long.parseLong(p.group(1));
      } catch (NumberFormatException e) {
        throw invalid(expr);
      }
      long unit =
          switch (p.group(2)) {
            case "ms" -> 1L;
            case "s" -> 1000L;
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            case "d" -> 86_400_000L;
            case "w" -> 7 * 86_400_000L;
            default -> 365 * 86_400_000L;
          };
      try {
        total = Math.addExact(total, Math.multiplyExact(n, unit));
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("time expression \"" + expr + "\" is out of range");
      }
    }
    return total;
  }

  private static IllegalArgumentException invalid(String expr) {
    return new IllegalArgumentException(
        "invalid time \""
            + expr
            + "\": expected now, a duration ago (24h ago, 7d ago, -30m), RFC 3339"
            + " (2026-12-07T10:00:00Z) or Unix seconds");
  }
}
