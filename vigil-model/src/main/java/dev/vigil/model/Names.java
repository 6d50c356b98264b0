package dev.vigil.model;

/**
 * The data model's rules for names, in one place (Prometheus' {@code model.IsValidMetricName} and
 * {@code LabelName.IsValid}, legacy character set): a metric name matches {@code
 * [a-zA-Z_:][a-zA-Z0-9_:]*}, a label name {@code [a-zA-Z_][a-zA-Z0-9_]*}. Also turns foreign names
 * (InfluxDB measurements and fields, OTLP attributes) into valid ones: every character outside
 * {@code [a-zA-Z0-9_:]} (label names: {@code [a-zA-Z0-9_]}) becomes {@code _}, runs of {@code _}
 * collapse to one, and a leading digit gets a {@code _} prefix.
 *
 * <p>The instrumentation library keeps the same rule in {@code dev.vigil.metrics.MetricNames},
 * because vigil-metrics depends on nothing; a test in vigil-server holds the two to the same
 * answers.
 */
public final class Names {
  private Names() {}

  /** True for a valid metric name: {@code [a-zA-Z_:][a-zA-Z0-9_:]*}. */
  public static boolean isValidMetricName(String s) {
    return valid(s, true);
  }

  /**
   * True for a valid label name: {@code [a-zA-Z_][a-zA-Z0-9_]*} (the reserved {@code __} prefix is
   * allowed here: {@code __name__} is a label name).
   */
  public static boolean isValidLabelName(String s) {
    return valid(s, false);
  }

  private static boolean valid(String s, boolean colons) {
    if (s == null || s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || c == '_'
              || (colons && c == ':')
              || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** A valid metric name for {@code s} (colons kept). */
  public static String metric(String s) {
    return clean(s, true);
  }

  /** A valid label name for {@code s}. */
  public static String label(String s) {
    return clean(s, false);
  }

  private static String clean(String s, boolean colons) {
    StringBuilder sb = new StringBuilder(s.length() + 1);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || (colons && c == ':');
      char out = ok ? c : '_';
      if (out == '_' && !sb.isEmpty() && sb.charAt(sb.length() - 1) == '_' && !ok) {
        continue;
      }
      sb.append(out);
    }
    if (sb.isEmpty()) {
      return "_";
    }
    if (sb.charAt(0) >= '0' && sb.charAt(0) <= '9') {
      sb.insert(0, '_');
    }
    return sb.toString();
  }
}
