package dev.vigil.promql;

import dev.vigil.model.Labels;

/**
 * One element of an instant vector: labels, value and (for results) the timestamp in ms.
 *
 * @param dropName whether {@code __name__} is to be removed when the query finishes (Prometheus'
 *     delayed name removal)
 */
public record Sample(Labels labels, long timestamp, double value, boolean dropName) {
  /** A sample that keeps its metric name. */
  public Sample(Labels labels, long timestamp, double value) {
    this(labels, timestamp, value, false);
  }
}
