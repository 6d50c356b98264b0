package dev.vigil.collectors.recorders;

/** How {@link Recorders#recordSystemMetric} records the values of one type. */
public enum SystemMetricKind {
  /** The value is the current level: {@code <ns>system_metric_gauge{type}} is set to it. */
  GAUGE,
  /** The value is an increment (not negative): added to {@code <ns>system_metric_counter_total}. */
  COUNTER,
  /** The value is one observation: {@code <ns>system_metric_histogram{type}} observes it. */
  HISTOGRAM
}
