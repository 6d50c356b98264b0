package dev.vigil.metrics.model;

import java.util.Objects;

/**
 * The value of one gauge (or unknown-typed) series.
 *
 * @param labels the series labels
 * @param value the current value (any double, NaN included)
 */
public record GaugeDataPoint(Labels labels, double value) implements DataPoint {
  /** Rejects null labels. */
  public GaugeDataPoint {
    Objects.requireNonNull(labels, "labels");
  }
}
