package dev.vigil.micrometer;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.Histogram;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.TimeWindowPercentileHistogram;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * The histogram behind Vigil's timers and distribution summaries: bucket counts that only grow (as
 * a Prometheus histogram's must, where Micrometer's own histograms rotate with a time window), and
 * percentiles over Micrometer's sliding window as Prometheus' registry computes them.
 *
 * <p>Buckets are the SLO boundaries plus, with {@code publishPercentileHistogram}, Micrometer's
 * percentile-histogram boundaries clipped to the minimum and maximum expected values. Values are in
 * the meter's recording unit: nanoseconds for timers, scaled amounts for summaries.
 */
final class CumulativeBuckets implements Histogram {
  private final double[] bounds;
  private final LongAdder[] counts;
  private final Histogram percentiles;

  CumulativeBuckets(Clock clock, DistributionStatisticConfig config) {
    this.bounds =
        config.getHistogramBuckets(true).stream().mapToDouble(Double::doubleValue).toArray();
    this.counts = new LongAdder[bounds.length];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = new LongAdder();
    }
    this.percentiles =
        config.isPublishingPercentiles()
            ? new TimeWindowPercentileHistogram(
                clock,
                DistributionStatisticConfig.builder()
                    .percentilesHistogram(false)
                    .serviceLevelObjectives()
                    .build()
                    .merge(config),
                false)
            : null;
  }

  /** True when the meter publishes buckets (and is therefore a histogram, not a summary). */
  boolean hasBuckets() {
    return bounds.length > 0;
  }

  @Override
  public void recordLong(long value) {
    record(value);
    if (percentiles != null) {
      percentiles.recordLong(value);
    }
  }

  @Override
  public void recordDouble(double value) {
    record(value);
    if (percentiles != null) {
      percentiles.recordDouble(value);
    }
  }

  private void record(double value) {
    if (bounds.length == 0) {
      return;
    }
    int i = Arrays.binarySearch(bounds, value);
    if (i < 0) {
      i = -i - 1;
    }
    if (i < bounds.length) {
      counts[i].increment();
    }
  }

  @Override
  public HistogramSnapshot takeSnapshot(long count, double total, double max) {
    ValueAtPercentile[] p =
        percentiles == null
            ? new ValueAtPercentile[0]
            : percentiles.takeSnapshot(count, total, max).percentileValues();
    CountAtBucket[] buckets = new CountAtBucket[bounds.length];
    long cumulative = 0;
    for (int i = 0; i < bounds.length; i++) {
      cumulative += counts[i].sum();
      buckets[i] = new CountAtBucket(bounds[i], cumulative);
    }
    return new HistogramSnapshot(count, total, max, p, buckets, null);
  }

  @Override
  public void close() {
    if (percentiles != null) {
      percentiles.close();
    }
  }
}
