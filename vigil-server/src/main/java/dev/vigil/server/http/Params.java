package dev.vigil.server.http;

import dev.vigil.model.Durations;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Request parameters as Prometheus reads them: from the form body of a POST and from the URL, body
 * first; times as RFC 3339 or float seconds; durations as float seconds or {@code 5m}.
 */
public final class Params {
  /*
   * Every parser here runs in time linear in the text and allocates at most a copy of it, whatever
   * the text: a request's parameters are attacker-controlled and reach every endpoint, including
   * /api/v1/series, before any limit applies. Numbers are doubles, as in Prometheus'
   * strconv.ParseFloat, never BigDecimal: BigDecimal("1e-30000000").setScale(0) computes 10^N
   * (measured: 13.8 s of CPU and +750 MB for that one request; now a 400 in well under a
   * millisecond). RFC 3339 and "1h30m" texts longer than any valid one are refused unread, and an
   * error message echoes at most 64 characters of what was sent.
   */
  /** Prometheus' "minimum time" sentinel for open-ended ranges, in ms. */
  public static final long MIN_TIME = -9223372036854776L;

  /** Prometheus' "maximum time" sentinel, in ms. */
  public static final long MAX_TIME = 9223372036854775L;

  /** Prometheus' {@code minTime} as its clients send it for an open start, RFC 3339. */
  static final String MIN_TIME_FORMATTED = "-292273086-05-16T16:47:06Z";

  /** Prometheus' {@code maxTime} as its clients send it for an open end, RFC 3339. */
  static final String MAX_TIME_FORMATTED = "292277025-08-18T07:12:54.999999999Z";

  /** Longest RFC 3339 text worth parsing (a 9-digit year, nanoseconds and an offset fit). */
  private static final int MAX_RFC3339_LENGTH = 64;

  /** Longest {@code 1y2w3d4h5m6s7ms} duration worth parsing. */
  private static final int MAX_DURATION_LENGTH = 128;

  /** Characters of a bad parameter echoed in an error message. */
  private static final int MAX_ECHO = 64;

  /** Go's {@code time.Duration} range, int64 nanoseconds. */
  private static final double MAX_DURATION_NANOS = 9.223372036854775807e18;

  private Params() {}

  /** The first value of a parameter, or {@code null}. */
  public static String get(Context ctx, String name) {
    if (isForm(ctx)) {
      String v = ctx.formParam(name);
      if (v != null) {
        return v;
      }
    }
    return ctx.queryParam(name);
  }

  /** All values of a parameter, body first ({@code match[]}). */
  public static List<String> all(Context ctx, String name) {
    List<String> out = new ArrayList<>();
    if (isForm(ctx)) {
      out.addAll(ctx.formParams(name));
    }
    out.addAll(ctx.queryParams(name));
    return out;
  }

  private static boolean isForm(Context ctx) {
    String ct = ctx.contentType();
    return ctx.method().name().equals("POST")
        && ct != null
        && ct.startsWith("application/x-www-form-urlencoded");
  }

  /**
   * A time parameter in ms; {@code def} when absent.
   *
   * @throws ApiError bad_data naming the parameter and the text
   */
  public static long time(Context ctx, String name, long def) {
    String s = get(ctx, name);
    if (s == null || s.isEmpty()) {
      return def;
    }
    return parseTime(name, s);
  }

  /**
   * Parses float seconds ({@code 1435781451.781}, {@code 1e9}) or RFC 3339 ({@code
   * 2015-07-01T20:10:51.781Z}) into ms, rounding to the millisecond as Prometheus does; times
   * beyond {@link #MIN_TIME} and {@link #MAX_TIME} (and Prometheus' own formatted sentinels) are
   * clamped to them.
   *
   * @throws ApiError bad_data naming the parameter and the text
   */
  public static long parseTime(String name, String s) {
    String t = s.trim();
    double secs = parseFloat(t);
    if (!Double.isNaN(secs) && !Double.isInfinite(secs)) {
      if (secs >= MAX_TIME / 1000.0) {
        return MAX_TIME;
      }
      if (secs <= MIN_TIME / 1000.0) {
        return MIN_TIME;
      }
      // Prometheus: whole seconds, plus the fraction rounded half away from zero to the ms.
      long whole = (long) secs;
      double frac = secs - whole;
      return whole * 1000 + (long) (Math.signum(frac) * Math.floor(Math.abs(frac) * 1000 + 0.5));
    }
    if (t.equals(MIN_TIME_FORMATTED)) {
      return MIN_TIME;
    }
    if (t.equals(MAX_TIME_FORMATTED)) {
      return MAX_TIME;
    }
    if (t.length() <= MAX_RFC3339_LENGTH) {
      try {
        Instant i = OffsetDateTime.parse(t).toInstant();
        if (i.getEpochSecond() >= MAX_TIME / 1000) {
          return MAX_TIME;
        }
        if (i.getEpochSecond() <= MIN_TIME / 1000) {
          return MIN_TIME;
        }
        return i.toEpochMilli();
      } catch (DateTimeParseException e) {
        // reported below
      }
    }
    throw ApiError.badData(
        "invalid parameter \"" + name + "\": cannot parse " + quote(s) + " to a valid timestamp");
  }

  /**
   * A duration parameter in ms (float seconds or {@code 1m30s}), rounded half-even; {@code def}
   * when absent.
   *
   * @throws ApiError bad_data naming the parameter and the text
   */
  public static long duration(Context ctx, String name, long def) {
    String s = get(ctx, name);
    return s == null || s.isEmpty() ? def : parseDuration(name, s);
  }

  /**
   * Parses a duration (float seconds or {@code 1m30s}) into ms, rounded half-even.
   *
   * @throws ApiError bad_data naming the parameter and the text
   */
  public static long parseDuration(String name, String s) {
    String t = s.trim();
    double secs = parseFloat(t);
    if (Double.isNaN(secs)) {
      return prometheusDuration(name, s, t).toMillis();
    }
    checkDurationRange(name, s, secs);
    return (long) Math.rint(secs * 1000);
  }

  /**
   * A duration parameter exact to the nanosecond (float seconds or {@code 1m30s}), for the ones
   * where a sub-millisecond value means something (a query {@code timeout} of {@code 0.0001});
   * {@code null} when absent.
   *
   * @throws ApiError bad_data naming the parameter and the text
   */
  public static Duration preciseDuration(Context ctx, String name) {
    String s = get(ctx, name);
    return s == null || s.isEmpty() ? null : parsePreciseDuration(name, s);
  }

  /**
   * Parses a duration (float seconds or {@code 1m30s}) to the nanosecond, truncating as Go's {@code
   * time.Duration(float)} does.
   *
   * @throws ApiError bad_data naming the parameter and the text
   */
  public static Duration parsePreciseDuration(String name, String s) {
    String t = s.trim();
    double secs = parseFloat(t);
    if (Double.isNaN(secs)) {
      return prometheusDuration(name, s, t);
    }
    checkDurationRange(name, s, secs);
    return Duration.ofNanos((long) (secs * 1e9));
  }

  private static void checkDurationRange(String name, String s, double secs) {
    // Prometheus refuses what does not fit int64 nanoseconds; infinities are out of range too.
    if (!(Math.abs(secs * 1e9) < MAX_DURATION_NANOS)) {
      throw ApiError.badData(
          "invalid parameter \""
              + name
              + "\": cannot parse "
              + quote(s)
              + " to a valid duration. It overflows int64");
    }
  }

  private static Duration prometheusDuration(String name, String s, String t) {
    if (t.length() <= MAX_DURATION_LENGTH) {
      try {
        return Durations.parseDuration(t);
      } catch (IllegalArgumentException | ArithmeticException e) {
        // reported below
      }
    }
    throw ApiError.badData(
        "invalid parameter \"" + name + "\": cannot parse " + quote(s) + " to a valid duration");
  }

  /**
   * The value of a decimal float as Go's {@code strconv.ParseFloat} reads it ({@code 1}, {@code
   * -1.5e-3}, {@code .5}, {@code Inf}, {@code NaN}), or {@code NaN} when the text is not one, in
   * time linear in its length.
   *
   * <p>The syntax is checked here so that {@link Double#parseDouble} never sees Java-only forms
   * ({@code 1d}, {@code 0x1p3}); it clamps any exponent without computing a power of ten, unlike
   * {@code BigDecimal.setScale}, which took 14 s of CPU and 750 MB for {@code 1e-30000000}.
   */
  static double parseFloat(String t) {
    int n = t.length();
    int i = 0;
    if (i < n && (t.charAt(i) == '+' || t.charAt(i) == '-')) {
      i++;
    }
    if (n - i <= "infinity".length()) {
      String word = t.substring(i).toLowerCase(Locale.ROOT);
      if (word.equals("inf") || word.equals("infinity")) {
        return t.charAt(0) == '-' ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      }
    }
    int digits = 0;
    while (i < n && isDigit(t.charAt(i))) {
      i++;
      digits++;
    }
    if (i < n && t.charAt(i) == '.') {
      i++;
      while (i < n && isDigit(t.charAt(i))) {
        i++;
        digits++;
      }
    }
    if (digits == 0) {
      return Double.NaN;
    }
    if (i < n && (t.charAt(i) == 'e' || t.charAt(i) == 'E')) {
      i++;
      if (i < n && (t.charAt(i) == '+' || t.charAt(i) == '-')) {
        i++;
      }
      int expDigits = 0;
      while (i < n && isDigit(t.charAt(i))) {
        i++;
        expDigits++;
      }
      if (expDigits == 0) {
        return Double.NaN;
      }
    }
    if (i != n) {
      return Double.NaN;
    }
    double v = Double.parseDouble(t);
    // Go's ParseFloat fails with ErrRange on overflow; a literal infinity was handled above.
    return Double.isInfinite(v) ? Double.NaN : v;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** The text quoted for an error message, cut after {@value #MAX_ECHO} characters. */
  static String quote(String s) {
    if (s.length() <= MAX_ECHO) {
      return "\"" + s + "\"";
    }
    return "\"" + s.substring(0, MAX_ECHO) + "\"... (" + s.length() + " characters)";
  }

  /** A non-negative integer parameter; 0 when absent. */
  public static int limit(Context ctx, String name) {
    String s = get(ctx, name);
    if (s == null || s.isEmpty()) {
      return 0;
    }
    try {
      int v = Integer.parseInt(s);
      if (v < 0) {
        throw ApiError.badData("invalid parameter \"" + name + "\": must be 0 or more, got " + s);
      }
      return v;
    } catch (NumberFormatException e) {
      throw ApiError.badData("invalid parameter \"" + name + "\": not an integer: \"" + s + "\"");
    }
  }
}
