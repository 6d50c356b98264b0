package dev.vigil.bench;

/** The label values the instrumentation benchmarks share: 2 labels, 10 x 10 = 100 label sets. */
final class LabelSets {
  static final String[] METHODS = {
    "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "CONNECT", "PURGE"
  };
  static final String[] STATUSES = {
    "200", "201", "204", "301", "304", "400", "401", "404", "500", "503"
  };
  static final int COUNT = METHODS.length * STATUSES.length;

  private LabelSets() {}

  static String method(int i) {
    return METHODS[i / STATUSES.length];
  }

  static String status(int i) {
    return STATUSES[i % STATUSES.length];
  }
}
