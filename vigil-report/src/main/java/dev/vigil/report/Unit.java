package dev.vigil.report;

import java.util.Locale;

/**
 * The unit of a query's values: how tiles and tables print them and how chart axes are labelled.
 * Values are in base units (seconds, bytes, ratios 0-1), as Vigil's metrics are.
 */
public enum Unit {
  NONE(""),
  PERCENT("%"),
  RATIO("%"),
  SECONDS("seconds"),
  BYTES("bytes"),
  BYTES_PER_SECOND("bytes/s"),
  PER_SECOND("per second"),
  PER_MINUTE("per minute"),
  COUNT("count"),
  CURRENCY("cost");

  private final String axis;

  Unit(String axis) {
    this.axis = axis;
  }

  /** Parses a unit name as definitions write it ({@code percent}, {@code bytes_per_second}...). */
  public static Unit parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown unit \""
              + s
              + "\" (known: none, percent, ratio, seconds, bytes, bytes_per_second, per_second,"
              + " per_minute, count, currency)");
    }
  }

  /** The axis label of a chart in this unit. */
  public String axisLabel() {
    return axis;
  }

  /** The value scaled for display (ratios become percentages). */
  public double scale(double v) {
    return this == RATIO ? v * 100 : v;
  }

  /** The value as a person reads it: {@code 42.1 %}, {@code 1.5 MiB}, {@code 230 ms}, {@code –}. */
  public String format(double v) {
    if (Double.isNaN(v)) {
      return "–";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    return switch (this) {
      case PERCENT, RATIO -> num(scale(v)) + " %";
      case SECONDS -> seconds(v);
      case BYTES -> bytes(v);
      case BYTES_PER_SECOND -> bytes(v) + "/s";
      case PER_SECOND -> num(v) + "/s";
      case PER_MINUTE -> num(v) + "/min";
      case CURRENCY -> String.format(Locale.ROOT, "%.4f", v);
      case COUNT ->
          Math.abs(v) < 1e15 && (Math.abs(v) >= 100 || v == Math.rint(v))
              ? String.format(Locale.ROOT, "%,.0f", v)
              : num(v);
      default -> num(v);
    };
  }

  private static String seconds(double v) {
    double a = Math.abs(v);
    if (a == 0) {
      return "0 s";
    }
    if (a < 1e-3) {
      return num(v * 1e6) + " µs";
    }
    if (a < 1) {
      return num(v * 1e3) + " ms";
    }
    if (a < 120) {
      return num(v) + " s";
    }
    if (a < 7200) {
      return num(v / 60) + " min";
    }
    return num(v / 3600) + " h";
  }

  private static String bytes(double v) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    int i = 0;
    double x = v;
    while (Math.abs(x) >= 1024 && i < units.length - 1) {
      x /= 1024;
      i++;
    }
    return num(x) + " " + units[i];
  }

  /** Three significant digits, no exponent for ordinary magnitudes. */
  static String num(double v) {
    double a = Math.abs(v);
    if (a == 0) {
      return "0";
    }
    if (a >= 1e15 || a < 1e-4) {
      return String.format(Locale.ROOT, "%.3g", v);
    }
    if (a >= 100) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    if (a >= 1) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    return String.format(Locale.ROOT, "%.3g", v);
  }
}
