package dev.vigil.metrics.model;

import java.util.Arrays;
import java.util.Objects;

/** One summary: observation count and sum, and quantile estimates over a time window. */
public final class SummaryDataPoint implements DataPoint {
  private final Labels labels;
  private final long count;
  private final double sum;
  private final double[] quantiles;
  private final double[] values;
  private final long createdMillis;

  /**
   * Copies and validates.
   *
   * @param labels the series labels
   * @param count number of observations, not negative
   * @param sum sum of observations
   * @param quantiles quantile ranks in [0, 1], strictly increasing
   * @param values the estimate for each quantile (NaN when the window is empty)
   * @param createdMillis creation time or {@link DataPoint#NO_CREATED}
   */
  public SummaryDataPoint(
      Labels labels,
      long count,
      double sum,
      double[] quantiles,
      double[] values,
      long createdMillis) {
    this.labels = Objects.requireNonNull(labels, "labels");
    if (count < 0) {
      throw new IllegalArgumentException("summary: negative count " + count);
    }
    if (quantiles.length != values.length) {
      throw new IllegalArgumentException(
          "summary: " + quantiles.length + " quantiles but " + values.length + " values");
    }
    for (int i = 0; i < quantiles.length; i++) {
      if (!(quantiles[i] >= 0 && quantiles[i] <= 1)) {
        throw new IllegalArgumentException("summary: quantile out of [0, 1]: " + quantiles[i]);
      }
      if (i > 0 && !(quantiles[i] > quantiles[i - 1])) {
        throw new IllegalArgumentException(
            "summary: quantiles must increase strictly: " + Arrays.toString(quantiles));
      }
    }
    this.count = count;
    this.sum = sum;
    this.quantiles = quantiles.clone();
    this.values = values.clone();
    this.createdMillis = createdMillis;
  }

  @Override
  public Labels labels() {
    return labels;
  }

  /** Number of observations. */
  public long count() {
    return count;
  }

  /** Sum of observations. */
  public double sum() {
    return sum;
  }

  /** Number of quantiles. */
  public int quantileCount() {
    return quantiles.length;
  }

  /** The i-th quantile rank, e.g. 0.99. */
  public double quantile(int i) {
    return quantiles[i];
  }

  /** The estimate of the i-th quantile. */
  public double value(int i) {
    return values[i];
  }

  /** Creation time, or {@link DataPoint#NO_CREATED}. */
  public long createdMillis() {
    return createdMillis;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SummaryDataPoint s
        && labels.equals(s.labels)
        && count == s.count
        && Double.compare(sum, s.sum) == 0
        && Arrays.equals(quantiles, s.quantiles)
        && Arrays.equals(values, s.values);
  }

  @Override
  public int hashCode() {
    return labels.hashCode() * 31 + Long.hashCode(count);
  }

  @Override
  public String toString() {
    return "Summary" + labels + " count=" + count + " sum=" + sum + Arrays.toString(values);
  }
}
