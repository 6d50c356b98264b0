package dev.vigil.metrics;

import dev.vigil.metrics.model.DataPoint;
import dev.vigil.metrics.model.HistogramDataPoint;
import dev.vigil.metrics.model.Labels;
import dev.vigil.metrics.model.MetricSnapshot;
import dev.vigil.metrics.model.SummaryDataPoint;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Count, sum, mean, min, max and quantiles of one histogram, timer or summary, read in-process
 * (AgentOS' {@code getStats(name)}).
 *
 * {@snippet :
 * MetricStats s = registry.stats("tool_execution_seconds");
 * s.count(); s.mean(); s.quantile(0.95);
 * MetricStats linter = registry.stats("agent_execution_duration_seconds", "agent", "linter");
 * }
 *
 * <p>Immutable. Every series of the family that matches the given label pairs is added up (the
 * buckets of a histogram family share their bounds).
 *
 * <p>Accuracy: {@code count}, {@code sum} and {@code mean} are exact. A histogram's quantiles are
 * estimated from its buckets exactly as PromQL's {@code histogram_quantile} does: linear
 * interpolation inside the bucket holding the rank, the first bucket starting at 0 (when its upper
 * bound is positive), and a rank in the {@code +Inf} bucket answered with the highest finite bound.
 * The error is therefore at most the width of that bucket. {@code min} and {@code max} are bucket
 * bounds too: {@code min} is the lower bound of the first non-empty bucket (the true minimum is at
 * or above it), {@code max} the upper bound of the last non-empty bucket (the true maximum is at or
 * below it; when that bucket is {@code +Inf}, the highest finite bound, and the true maximum is
 * above). A summary's quantiles are its own (over its window); its {@code min} and {@code max} are
 * its 0 and 1 quantiles when it has them, NaN otherwise. With no observation every figure but the
 * count (0) and the sum (0) is NaN.
 */
public final class MetricStats {
  /** The quantiles reported for a histogram. */
  static final double[] HISTOGRAM_QUANTILES = {0.5, 0.9, 0.95, 0.99};

  private final String name;
  private final long count;
  private final double sum;
  private final double min;
  private final double max;
  private final Map<Double, Double> quantiles;
  private final double[] bounds; // a histogram's, null for a summary
  private final long[] counts;

  private MetricStats(
      String name,
      long count,
      double sum,
      double min,
      double max,
      Map<Double, Double> q,
      double[] bounds,
      long[] counts) {
    this.bounds = bounds;
    this.counts = counts;
    this.name = name;
    this.count = count;
    this.sum = sum;
    this.min = min;
    this.max = max;
    this.quantiles = Collections.unmodifiableMap(new LinkedHashMap<>(q));
  }

  /**
   * Computes the statistics of the series of {@code family} whose labels include {@code
   * labelPairs}.
   *
   * @throws IllegalArgumentException when the family is no histogram or summary, or the pairs are
   *     odd
   */
  public static MetricStats of(MetricSnapshot family, String... labelPairs) {
    if (labelPairs.length % 2 != 0) {
      throw new IllegalArgumentException(
          "stats: label pairs must be name, value, ...; got " + labelPairs.length + " strings");
    }
    return switch (family.type()) {
      case HISTOGRAM, GAUGE_HISTOGRAM -> histogram(family, labelPairs);
      case SUMMARY -> summary(family, labelPairs);
      default ->
          throw new IllegalArgumentException(
              "stats: "
                  + family.name()
                  + " is a "
                  + family.type().name().toLowerCase(java.util.Locale.ROOT)
                  + "; statistics need a histogram, timer or summary");
    };
  }

  private static boolean matches(Labels labels, String[] pairs) {
    for (int i = 0; i < pairs.length; i += 2) {
      if (!pairs[i + 1].equals(labels.get(pairs[i]))) {
        return false;
      }
    }
    return true;
  }

  private static MetricStats histogram(MetricSnapshot family, String[] pairs) {
    double[] bounds = null;
    long[] counts = null;
    double sum = 0;
    for (DataPoint d : family.dataPoints()) {
      if (!(d instanceof HistogramDataPoint h) || !matches(h.labels(), pairs)) {
        continue;
      }
      if (bounds == null) {
        bounds = new double[h.bucketCount()];
        counts = new long[h.bucketCount()];
        for (int i = 0; i < bounds.length; i++) {
          bounds[i] = h.upperBound(i);
        }
      } else if (h.bucketCount() != bounds.length) {
        throw new IllegalStateException(
            "stats: the series of " + family.name() + " have different buckets");
      }
      for (int i = 0; i < bounds.length; i++) {
        counts[i] += h.count(i);
      }
      sum += h.sum();
    }
    long total = counts == null ? 0 : Arrays.stream(counts).sum();
    Map<Double, Double> q = new LinkedHashMap<>();
    if (total == 0) {
      for (double rank : HISTOGRAM_QUANTILES) {
        q.put(rank, Double.NaN);
      }
      return new MetricStats(family.name(), 0, 0, Double.NaN, Double.NaN, q, null, null);
    }
    for (double rank : HISTOGRAM_QUANTILES) {
      q.put(rank, bucketQuantile(rank, bounds, counts, total));
    }
    int first = 0;
    while (counts[first] == 0) {
      first++;
    }
    int last = counts.length - 1;
    while (counts[last] == 0) {
      last--;
    }
    double min = lowerBound(bounds, first);
    if (first == bounds.length - 1) {
      min = bounds.length > 1 ? bounds[bounds.length - 2] : Double.NaN;
    }
    double max = last == bounds.length - 1 ? highestFinite(bounds) : bounds[last];
    return new MetricStats(family.name(), total, sum, min, max, q, bounds, counts);
  }

  private static double lowerBound(double[] bounds, int i) {
    if (i > 0) {
      return bounds[i - 1];
    }
    return bounds[0] > 0 ? 0 : bounds[0];
  }

  private static double highestFinite(double[] bounds) {
    return bounds.length > 1 ? bounds[bounds.length - 2] : Double.NaN;
  }

  /**
   * PromQL's histogram_quantile over non-cumulative bucket counts: the first bucket (not {@code
   * +Inf}) whose cumulative count reaches the rank, interpolated linearly.
   */
  static double bucketQuantile(double q, double[] bounds, long[] counts, long total) {
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    if (bounds.length < 2) {
      return Double.NaN;
    }
    double rank = q * total;
    long below = 0;
    int b = bounds.length - 1;
    for (int i = 0; i < bounds.length - 1; i++) {
      if (below + counts[i] >= rank) {
        b = i;
        break;
      }
      below += counts[i];
    }
    if (b == bounds.length - 1) {
      return bounds[bounds.length - 2];
    }
    if (b == 0 && bounds[0] <= 0) {
      return bounds[0];
    }
    double start = b == 0 ? 0 : bounds[b - 1];
    return start + (bounds[b] - start) * ((rank - below) / counts[b]);
  }

  private static MetricStats summary(MetricSnapshot family, String[] pairs) {
    long count = 0;
    double sum = 0;
    Map<Double, Double> q = new LinkedHashMap<>();
    int series = 0;
    for (DataPoint d : family.dataPoints()) {
      if (!(d instanceof SummaryDataPoint s) || !matches(s.labels(), pairs)) {
        continue;
      }
      series++;
      count += s.count();
      sum += s.sum();
      for (int i = 0; i < s.quantileCount(); i++) {
        q.put(s.quantile(i), s.value(i));
      }
    }
    if (series > 1) {
      // Quantiles of several series cannot be added up: report none rather than a wrong one.
      q.replaceAll((k, v) -> Double.NaN);
    }
    double min = q.getOrDefault(0.0, Double.NaN);
    double max = q.getOrDefault(1.0, Double.NaN);
    return new MetricStats(family.name(), count, sum, min, max, q, null, null);
  }

  /** The family's name. */
  public String name() {
    return name;
  }

  /** Observations. */
  public long count() {
    return count;
  }

  /** Sum of the observations. */
  public double sum() {
    return sum;
  }

  /** Sum / count; NaN without observations. */
  public double mean() {
    return count == 0 ? Double.NaN : sum / count;
  }

  /** The smallest observation's bucket bound (see the class notes), NaN when unknown. */
  public double min() {
    return min;
  }

  /** The largest observation's bucket bound (see the class notes), NaN when unknown. */
  public double max() {
    return max;
  }

  /** The quantiles computed, rank to estimate, ranks increasing. */
  public Map<Double, Double> quantiles() {
    return quantiles;
  }

  /**
   * The estimate of quantile {@code q}: a histogram's for any q in [0, 1], a summary's for the
   * ranks it has (NaN for others).
   */
  public double quantile(double q) {
    if (bounds != null) {
      return bucketQuantile(q, bounds, counts, count);
    }
    Double v = quantiles.get(q);
    return v == null ? Double.NaN : v;
  }

  @Override
  public String toString() {
    return name
        + " count="
        + count
        + " sum="
        + sum
        + " mean="
        + mean()
        + " min="
        + min
        + " max="
        + max
        + " quantiles="
        + quantiles;
  }
}
