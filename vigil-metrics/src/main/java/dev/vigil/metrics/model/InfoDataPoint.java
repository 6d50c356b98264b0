package dev.vigil.metrics.model;

import java.util.Objects;

/**
 * One info series: its labels are the information; its value is always 1.
 *
 * @param labels the information as labels
 */
public record InfoDataPoint(Labels labels) implements DataPoint {
  /** Rejects null labels. */
  public InfoDataPoint {
    Objects.requireNonNull(labels, "labels");
  }
}
