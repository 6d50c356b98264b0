package dev.vigil.ingest;

/**
 * Turns foreign names (InfluxDB measurements and fields, OTLP attributes) into valid Prometheus
 * metric and label names: every character outside {@code [a-zA-Z0-9_:]} (label names: {@code
 * [a-zA-Z0-9_]}) becomes {@code _}, runs of {@code _} collapse to one, and a leading digit gets a
 * {@code _} prefix.
 */
public final class Names {
  private Names() {}

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
