package dev.vigil.collectors.recorders;

/** Argument checks shared by the recorders; every message names the method and the argument. */
final class Check {
  /** Longest label value a recorder accepts. */
  static final int MAX_LABEL_CHARS = 128;

  private static final String[] STATUS = new String[600];

  static {
    for (int i = 100; i < 600; i++) {
      STATUS[i] = Integer.toString(i).intern();
    }
  }

  private Check() {}

  /** Returns {@code v} when it is a usable label value. */
  static String label(String method, String arg, String v) {
    if (v == null || v.isEmpty()) {
      throw new IllegalArgumentException(method + ": " + arg + " is null or empty");
    }
    if (v.length() > MAX_LABEL_CHARS) {
      throw new IllegalArgumentException(
          method + ": " + arg + " is longer than " + MAX_LABEL_CHARS + " characters");
    }
    return v;
  }

  /** Returns {@code seconds} when it is a finite, non-negative duration. */
  static double seconds(String method, String arg, double seconds) {
    if (!(seconds >= 0) || seconds == Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException(
          method + ": " + arg + " must be a finite duration >= 0 seconds, got " + seconds);
    }
    return seconds;
  }

  /** Returns {@code n} when it is not negative. */
  static long count(String method, String arg, long n) {
    if (n < 0) {
      throw new IllegalArgumentException(method + ": " + arg + " must be >= 0, got " + n);
    }
    return n;
  }

  /** Returns the cached decimal string of an HTTP status code 100-599. */
  static String status(String method, int code) {
    if (code < 100 || code > 599) {
      throw new IllegalArgumentException(method + ": status code must be 100-599, got " + code);
    }
    return STATUS[code];
  }

  /** Returns the canonical HTTP method, or {@code OTHER} for unknown ones (bounded label). */
  static String httpMethod(String method, String m) {
    if (m == null || m.isEmpty()) {
      throw new IllegalArgumentException(method + ": HTTP method is null or empty");
    }
    return switch (m) {
      case "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "CONNECT", "TRACE" -> m;
      default -> {
        String u = m.toUpperCase(java.util.Locale.ROOT);
        yield switch (u) {
          case "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "CONNECT", "TRACE" ->
              u.intern();
          default -> "OTHER";
        };
      }
    };
  }
}
