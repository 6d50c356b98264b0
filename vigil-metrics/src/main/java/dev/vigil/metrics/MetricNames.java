package dev.vigil.metrics;

import dev.vigil.metrics.model.MetricType;

/**
 * Validation and normalisation of metric and label names, following the Prometheus data model and
 * the suffix handling of client_java 1.x:
 *
 * <ul>
 *   <li>metric names match {@code [a-zA-Z_:][a-zA-Z0-9_:]*}; label names match {@code
 *       [a-zA-Z_][a-zA-Z0-9_]*} and may not start with {@code __} (reserved);
 *   <li>a counter named {@code x_total} is stored as {@code x} (the writers add {@code _total}); an
 *       info metric named {@code x_info} is stored as {@code x};
 *   <li>other names may not end in a suffix the writers generate ({@code _total}, {@code _created},
 *       {@code _bucket}, {@code _info}), because the exposed series would clash;
 *   <li>with a unit, the name must end in {@code _<unit>}; when it does not, the unit is appended
 *       ({@code request_duration} with unit {@code seconds} becomes {@code
 *       request_duration_seconds}).
 * </ul>
 */
public final class MetricNames {
  private static final String[] RESERVED_SUFFIXES = {"_total", "_created", "_bucket", "_info"};

  private MetricNames() {}

  /** True for a valid Prometheus metric name. */
  public static boolean isValidMetricName(String name) {
    if (name == null || name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || c == '_'
              || c == ':'
              || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** True for a valid label name (the reserved {@code __} prefix is allowed here). */
  public static boolean isValidLabelName(String name) {
    if (name == null || name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || c == '_'
              || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * Validates a label name given to a metric builder.
   *
   * @throws IllegalArgumentException naming the label and the metric
   */
  public static void validateLabelName(String metric, String label) {
    if (!isValidLabelName(label)) {
      throw new IllegalArgumentException(
          "metric "
              + metric
              + ": invalid label name '"
              + label
              + "' (must match [a-zA-Z_][a-zA-Z0-9_]*)");
    }
    if (label.startsWith("__")) {
      throw new IllegalArgumentException(
          "metric " + metric + ": label name '" + label + "' starts with the reserved '__'");
    }
  }

  /**
   * Validates a unit: lowercase letters, digits and underscores, e.g. {@code seconds}, {@code
   * bytes}, {@code ratio}.
   */
  public static void validateUnit(String metric, String unit) {
    if (unit.isEmpty()) {
      return;
    }
    for (int i = 0; i < unit.length(); i++) {
      char c = unit.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
        throw new IllegalArgumentException(
            "metric " + metric + ": invalid unit '" + unit + "' (use e.g. seconds, bytes, ratio)");
      }
    }
  }

  /**
   * Validates a builder's name and returns the family name to store.
   *
   * @param name the name given to the builder
   * @param type the metric type
   * @param unit the unit, or empty
   * @throws IllegalArgumentException naming the bad name and why it is bad
   */
  public static String familyName(String name, MetricType type, String unit) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("metric name is missing: call name(...) on the builder");
    }
    if (!isValidMetricName(name)) {
      throw new IllegalArgumentException(
          "invalid metric name '" + name + "' (must match [a-zA-Z_:][a-zA-Z0-9_:]*)");
    }
    validateUnit(name, unit);
    String n = name;
    if (type == MetricType.COUNTER && n.endsWith("_total")) {
      n = n.substring(0, n.length() - "_total".length());
    } else if (type == MetricType.INFO && n.endsWith("_info")) {
      n = n.substring(0, n.length() - "_info".length());
    }
    for (String suffix : RESERVED_SUFFIXES) {
      if (n.endsWith(suffix)) {
        throw new IllegalArgumentException(
            "invalid metric name '"
                + name
                + "': a "
                + type.openMetricsName()
                + " name may not end in "
                + suffix
                + " (the exposition adds suffixes itself)");
      }
    }
    if (n.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid metric name '" + name + "': nothing before suffix");
    }
    if (!unit.isEmpty() && !n.endsWith("_" + unit)) {
      n = n + "_" + unit;
    }
    return n;
  }
}
