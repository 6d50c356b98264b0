package dev.vigil.metrics.model;

import java.util.Objects;

/**
 * The value of one counter series.
 *
 * @param labels the series labels
 * @param value the total, never negative
 * @param exemplar the latest exemplar, or null
 * @param createdMillis when the series was created, or {@link DataPoint#NO_CREATED}
 */
public record CounterDataPoint(Labels labels, double value, Exemplar exemplar, long createdMillis)
    implements DataPoint {
  /** Validates the value. */
  public CounterDataPoint {
    Objects.requireNonNull(labels, "labels");
    if (value < 0) {
      throw new IllegalArgumentException("counter value is negative: " + value + " " + labels);
    }
  }

  /** A counter value without exemplar or creation time. */
  public static CounterDataPoint of(Labels labels, double value) {
    return new CounterDataPoint(labels, value, null, NO_CREATED);
  }
}
