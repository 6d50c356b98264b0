package dev.vigil.metrics.model;

import java.util.Objects;

/**
 * One line of a text exposition as parsed: the full series name (with any {@code _total}, {@code
 * _bucket}... suffix), its labels (including {@code le} or {@code quantile}), the value, an
 * optional timestamp and an optional exemplar.
 *
 * @param name the series name as written
 * @param labels the labels as written (sorted)
 * @param value the value
 * @param timestampMillis the sample timestamp in milliseconds, or {@link #NO_TIMESTAMP}
 * @param exemplar the exemplar, or null
 */
public record Sample(
    String name, Labels labels, double value, long timestampMillis, Exemplar exemplar) {
  /** Marks a sample without timestamp. */
  public static final long NO_TIMESTAMP = Long.MIN_VALUE;

  /** Rejects null name and labels. */
  public Sample {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(labels, "labels");
  }

  /** True when the sample carries a timestamp. */
  public boolean hasTimestamp() {
    return timestampMillis != NO_TIMESTAMP;
  }
}
