package dev.vigil.rules.template;

import dev.vigil.rules.template.Functions.FnError;
import java.time.Instant;
import java.util.regex.Matcher;

/**
 * Prometheus' humanize functions and {@code parseDuration}, byte-identical to Prometheus 2.42
 * (template/template.go): {@code %.4g} through Go's float formatting, SI prefixes with {@code u}
 * for micro (not {@code µ}), Go's int64 conversion of seconds.
 */
final class Humanize {
  private Humanize() {}

  private static final String[] BIG = {"k", "M", "G", "T", "P", "E", "Z", "Y"};
  private static final String[] SMALL = {"m", "u", "n", "p", "f", "a", "z", "y"};
  private static final String[] BINARY = {"ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"};

  private static String g4(double v) {
    return GoFmt.sprintf("%.4g", v);
  }

  static String humanize(double v) {
    if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
      return g4(v);
    }
    String prefix = "";
    if (Math.abs(v) >= 1) {
      for (String p : BIG) {
        if (Math.abs(v) < 1000) {
          break;
        }
        prefix = p;
        v /= 1000;
      }
      return g4(v) + prefix;
    }
    for (String p : SMALL) {
      if (Math.abs(v) >= 1) {
        break;
      }
      prefix = p;
      v *= 1000;
    }
    return g4(v) + prefix;
  }

  static String humanize1024(double v) {
    if (Math.abs(v) <= 1 || Double.isNaN(v) || Double.isInfinite(v)) {
      return g4(v);
    }
    String prefix = "";
    for (String p : BINARY) {
      if (Math.abs(v) < 1024) {
        break;
      }
      prefix = p;
      v /= 1024;
    }
    return g4(v) + prefix;
  }

  static String duration(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return g4(v);
    }
    if (v == 0) {
      return g4(v) + "s";
    }
    if (Math.abs(v) >= 1) {
      String sign = "";
      if (v < 0) {
        sign = "-";
        v = -v;
      }
      long d = goInt64(v);
      long seconds = d % 60;
      long minutes = (d / 60) % 60;
      long hours = (d / 60 / 60) % 24;
      long days = d / 60 / 60 / 24;
      if (days != 0) {
        return sign + days + "d " + hours + "h " + minutes + "m " + seconds + "s";
      }
      if (hours != 0) {
        return sign + hours + "h " + minutes + "m " + seconds + "s";
      }
      if (minutes != 0) {
        return sign + minutes + "m " + seconds + "s";
      }
      return sign + g4(v) + "s";
    }
    String prefix = "";
    for (String p : SMALL) {
      if (Math.abs(v) >= 1) {
        break;
      }
      prefix = p;
      v *= 1000;
    }
    return g4(v) + prefix + "s";
  }

  static String percentage(double v) {
    return g4(v * 100) + "%";
  }

  static String timestamp(double v) throws FnError {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return g4(v);
    }
    return GoFmt.timeString(new GoValue.Time(toInstant(v)));
  }

  /** Prometheus' floatToTime: seconds to a millisecond-precision instant, or an error. */
  static Instant toInstant(double v) throws FnError {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      throw new FnError("value is NaN or Inf");
    }
    double ns = v * 1e9;
    if (ns > 0x1p63 || ns < -0x1p63) {
      throw new FnError(
          GoFmt.sprintf("%v", v)
              + " cannot be represented as a nanoseconds timestamp since it overflows int64");
    }
    long ms = goInt64(ns) / 1_000_000; // model.TimeFromUnixNano truncates to milliseconds
    return Instant.ofEpochSecond(ms / 1000, (ms % 1000) * 1_000_000);
  }

  /** Go's int64(f) on amd64: truncation, and the "integer indefinite" value when out of range. */
  static long goInt64(double f) {
    if (Double.isNaN(f) || f >= 0x1p63 || f < -0x1p63) {
      return Long.MIN_VALUE;
    }
    return (long) f;
  }

  private static final java.util.regex.Pattern DURATION =
      java.util.regex.Pattern.compile(
          "^(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?$");

  private static final long[] UNIT_MS = {
    1000L * 60 * 60 * 24 * 365,
    1000L * 60 * 60 * 24 * 7,
    1000L * 60 * 60 * 24,
    1000L * 60 * 60,
    1000L * 60,
    1000L,
    1L
  };

  /** Prometheus' model.ParseDuration, in seconds as parseDuration returns it. */
  static double parseDuration(String s) throws FnError {
    if (s.equals("0")) {
      return 0;
    }
    if (s.isEmpty()) {
      throw new FnError("empty duration string");
    }
    Matcher m = DURATION.matcher(s);
    if (!m.matches()) {
      throw new FnError("not a valid duration string: " + GoFmt.quote(s));
    }
    long nanos = 0;
    boolean overflow = false;
    for (int i = 0; i < UNIT_MS.length; i++) {
      String g = m.group(2 * i + 2);
      if (g == null) {
        continue;
      }
      long n;
      try {
        n = Long.parseLong(g);
      } catch (NumberFormatException e) {
        n = Long.MAX_VALUE;
      }
      if (n > Long.MAX_VALUE / UNIT_MS[i] / 1_000_000) {
        overflow = true;
      }
      nanos += n * 1_000_000 * UNIT_MS[i];
      if (nanos < 0) {
        overflow = true;
      }
    }
    if (overflow) {
      throw new FnError("duration out of range");
    }
    return nanos / 1e9;
  }
}
