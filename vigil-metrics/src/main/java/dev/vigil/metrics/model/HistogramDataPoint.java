package dev.vigil.metrics.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * One classic histogram: bucket upper bounds (the last one {@code +Inf}), the count of observations
 * in each bucket (not cumulative), their sum, and an optional exemplar per bucket.
 *
 * <pre>{@code
 * HistogramDataPoint p = new HistogramDataPoint(Labels.EMPTY,
 *     new double[] {0.1, 1, Double.POSITIVE_INFINITY}, new long[] {3, 1, 0}, 1.7, null, NO_CREATED);
 * p.count(); // 4
 * p.cumulativeCount(1); // 4
 * }</pre>
 */
public final class HistogramDataPoint implements DataPoint {
  private final Labels labels;
  private final double[] upperBounds;
  private final long[] counts;
  private final double sum;
  private final Exemplar[] exemplars;
  private final long createdMillis;
  private final long count;

  /**
   * Copies and validates.
   *
   * @param labels the series labels
   * @param upperBounds strictly increasing bucket bounds, the last one {@code +Inf}
   * @param counts observations per bucket (not cumulative), none negative
   * @param sum the sum of all observations (NaN allowed, e.g. for gauge histograms)
   * @param exemplars one exemplar or null per bucket, or null for none at all
   * @param createdMillis creation time or {@link DataPoint#NO_CREATED}
   */
  public HistogramDataPoint(
      Labels labels,
      double[] upperBounds,
      long[] counts,
      double sum,
      Exemplar[] exemplars,
      long createdMillis) {
    this.labels = Objects.requireNonNull(labels, "labels");
    if (upperBounds.length == 0
        || upperBounds[upperBounds.length - 1] != Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException("histogram: the last bucket bound must be +Inf " + labels);
    }
    if (upperBounds.length != counts.length) {
      throw new IllegalArgumentException(
          "histogram: " + upperBounds.length + " bounds but " + counts.length + " counts");
    }
    long c = 0;
    for (int i = 0; i < counts.length; i++) {
      if (i > 0 && !(upperBounds[i] > upperBounds[i - 1])) {
        throw new IllegalArgumentException(
            "histogram: bucket bounds must increase strictly: " + Arrays.toString(upperBounds));
      }
      if (counts[i] < 0) {
        throw new IllegalArgumentException("histogram: negative bucket count " + counts[i]);
      }
      c += counts[i];
    }
    if (exemplars != null && exemplars.length != counts.length) {
      throw new IllegalArgumentException(
          "histogram: " + exemplars.length + " exemplars for " + counts.length + " buckets");
    }
    this.upperBounds = upperBounds.clone();
    this.counts = counts.clone();
    this.sum = sum;
    this.exemplars = exemplars == null ? null : exemplars.clone();
    this.createdMillis = createdMillis;
    this.count = c;
  }

  @Override
  public Labels labels() {
    return labels;
  }

  /** Number of buckets, {@code +Inf} included. */
  public int bucketCount() {
    return upperBounds.length;
  }

  /** Upper bound (inclusive) of bucket i. */
  public double upperBound(int i) {
    return upperBounds[i];
  }

  /** Observations in bucket i only. */
  public long count(int i) {
    return counts[i];
  }

  /** Observations in buckets 0..i: the value of the {@code _bucket{le=...}} series. */
  public long cumulativeCount(int i) {
    long c = 0;
    for (int j = 0; j <= i; j++) {
      c += counts[j];
    }
    return c;
  }

  /** Total number of observations. */
  public long count() {
    return count;
  }

  /** Sum of observations. */
  public double sum() {
    return sum;
  }

  /** The exemplar of bucket i, or null. */
  public Exemplar exemplar(int i) {
    return exemplars == null ? null : exemplars[i];
  }

  /** True when any bucket has an exemplar. */
  public boolean hasExemplars() {
    if (exemplars != null) {
      for (Exemplar e : exemplars) {
        if (e != null) {
          return true;
        }
      }
    }
    return false;
  }

  /** Creation time, or {@link DataPoint#NO_CREATED}. */
  public long createdMillis() {
    return createdMillis;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HistogramDataPoint h
        && labels.equals(h.labels)
        && Arrays.equals(upperBounds, h.upperBounds)
        && Arrays.equals(counts, h.counts)
        && Double.compare(sum, h.sum) == 0
        && Arrays.equals(exemplars, h.exemplars)
        && createdMillis == h.createdMillis;
  }

  @Override
  public int hashCode() {
    return labels.hashCode() * 31 + Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    return "Histogram"
        + labels
        + " bounds="
        + Arrays.toString(upperBounds)
        + " counts="
        + Arrays.toString(counts)
        + " sum="
        + sum;
  }
}
