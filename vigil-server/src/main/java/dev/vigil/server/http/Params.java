package dev.vigil.server.http;

import dev.vigil.server.config.Units;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Request parameters as Prometheus reads them: from the form body of a POST and from the URL, body
 * first; times as RFC 3339 or float seconds; durations as float seconds or {@code 5m}.
 */
public final class Params {
  /** Prometheus' "minimum time" sentinel for open-ended ranges, in ms. */
  public static final long MIN_TIME = -9223372036854776L;

  /** Prometheus' "maximum time" sentinel, in ms. */
  public static final long MAX_TIME = 9223372036854775L;

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

  /** Parses float seconds or RFC 3339 into ms. */
  public static long parseTime(String name, String s) {
    try {
      BigDecimal d = new BigDecimal(s.trim());
      BigDecimal ms = d.movePointRight(3);
      if (ms.compareTo(BigDecimal.valueOf(MAX_TIME)) > 0) {
        return MAX_TIME;
      }
      if (ms.compareTo(BigDecimal.valueOf(MIN_TIME)) < 0) {
        return MIN_TIME;
      }
      return ms.setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      // not a number; try RFC 3339
    }
    try {
      OffsetDateTime t = OffsetDateTime.parse(s.trim());
      return t.toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      throw ApiError.badData(
          "invalid parameter \"" + name + "\": cannot parse \"" + s + "\" to a valid timestamp");
    }
  }

  /**
   * A duration parameter in ms (float seconds or {@code 1m30s}), rounded half-even; {@code def}
   * when absent.
   *
   * @throws ApiError bad_data naming the parameter and the text
   */
  public static long duration(Context ctx, String name, long def) {
    BigDecimal ns = durationNanos(ctx, name);
    return ns == null
        ? def
        : ns.movePointLeft(6).setScale(0, java.math.RoundingMode.HALF_EVEN).longValue();
  }

  /**
   * A duration parameter exact to the nanosecond (float seconds or {@code 1m30s}), for the ones
   * where a sub-millisecond value means something (a query {@code timeout} of {@code 0.0001});
   * {@code null} when absent.
   *
   * @throws ApiError bad_data naming the parameter and the text
   */
  public static Duration preciseDuration(Context ctx, String name) {
    BigDecimal ns = durationNanos(ctx, name);
    return ns == null
        ? null
        : Duration.ofNanos(ns.setScale(0, java.math.RoundingMode.HALF_EVEN).longValue());
  }

  private static BigDecimal durationNanos(Context ctx, String name) {
    String s = get(ctx, name);
    if (s == null || s.isEmpty()) {
      return null;
    }
    try {
      BigDecimal ns = new BigDecimal(s.trim()).movePointRight(9);
      if (ns.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
        throw ApiError.badData(
            "invalid parameter \""
                + name
                + "\": cannot parse \""
                + s
                + "\" to a valid duration. It overflows int64");
      }
      return ns;
    } catch (NumberFormatException e) {
      // try a Prometheus duration
    }
    try {
      return BigDecimal.valueOf(Units.parseDuration(s).toNanos());
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw ApiError.badData(
          "invalid parameter \"" + name + "\": cannot parse \"" + s + "\" to a valid duration");
    }
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
