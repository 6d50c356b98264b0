package dev.vigil.ingest;

/**
 * Metadata of a metric family received by push: its type, help and unit.
 *
 * @param family the metric family name (e.g. {@code http_requests_total})
 * @param type {@code counter}, {@code gauge}, {@code histogram}, {@code gaugehistogram}, {@code
 *     summary}, {@code info}, {@code stateset} or {@code unknown}
 * @param help the help text, possibly empty
 * @param unit the unit, possibly empty
 */
public record MetricMetadata(String family, String type, String help, String unit) {
  private static final String[] TYPES = {
    "unknown", "counter", "gauge", "histogram", "gaugehistogram", "summary", "info", "stateset"
  };

  /** The type name of a remote-write {@code MetricType} enum number. */
  public static String typeName(int protoType) {
    return protoType >= 0 && protoType < TYPES.length ? TYPES[protoType] : "unknown";
  }
}
