package dev.vigil.micrometer;

import io.micrometer.core.instrument.AbstractDistributionSummary;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.TimeWindowMax;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** A cumulative distribution summary: count and total only grow; max decays over the window. */
final class VigilDistributionSummary extends AbstractDistributionSummary {
  private final LongAdder count = new LongAdder();
  private final DoubleAdder total = new DoubleAdder();
  private final TimeWindowMax max;

  VigilDistributionSummary(Id id, Clock clock, DistributionStatisticConfig config, double scale) {
    super(id, scale, new CumulativeBuckets(clock, config));
    this.max = new TimeWindowMax(clock, config);
  }

  boolean hasBuckets() {
    return ((CumulativeBuckets) histogram).hasBuckets();
  }

  @Override
  protected void recordNonNegative(double amount) {
    count.increment();
    total.add(amount);
    max.record(amount);
  }

  @Override
  public long count() {
    return count.sum();
  }

  @Override
  public double totalAmount() {
    return total.sum();
  }

  @Override
  public double max() {
    return max.poll();
  }
}
