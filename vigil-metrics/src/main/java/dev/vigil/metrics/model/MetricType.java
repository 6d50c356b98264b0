package dev.vigil.metrics.model;

/** The metric types of OpenMetrics 1.0 (Prometheus text 0.0.4 knows a subset). */
public enum MetricType {
  COUNTER("counter"),
  GAUGE("gauge"),
  HISTOGRAM("histogram"),
  GAUGE_HISTOGRAM("gaugehistogram"),
  SUMMARY("summary"),
  INFO("info"),
  STATESET("stateset"),
  UNKNOWN("unknown");

  private final String openMetricsName;

  MetricType(String openMetricsName) {
    this.openMetricsName = openMetricsName;
  }

  /** The name used in an OpenMetrics {@code # TYPE} line. */
  public String openMetricsName() {
    return openMetricsName;
  }

  /**
   * The name used in a Prometheus text 0.0.4 {@code # TYPE} line: that format has no info, stateset
   * or gauge histogram, so info and stateset become gauges, a gauge histogram becomes a histogram,
   * and unknown becomes untyped.
   */
  public String prometheusName() {
    return switch (this) {
      case COUNTER -> "counter";
      case GAUGE, INFO, STATESET -> "gauge";
      case HISTOGRAM, GAUGE_HISTOGRAM -> "histogram";
      case SUMMARY -> "summary";
      case UNKNOWN -> "untyped";
    };
  }

  /** The type named in an OpenMetrics {@code # TYPE} line, or null when unknown. */
  public static MetricType fromOpenMetricsName(String name) {
    for (MetricType t : values()) {
      if (t.openMetricsName.equals(name)) {
        return t;
      }
    }
    return null;
  }
}
