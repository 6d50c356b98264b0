package dev.vigil.micrometer;

import io.micrometer.core.instrument.AbstractTimer;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.TimeWindowMax;
import io.micrometer.core.instrument.distribution.pause.PauseDetector;
import io.micrometer.core.instrument.util.TimeUtils;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** A cumulative timer: count and total only grow; max decays over Micrometer's window. */
final class VigilTimer extends AbstractTimer {
  private final LongAdder count = new LongAdder();
  private final DoubleAdder totalNanos = new DoubleAdder();
  private final TimeWindowMax max;

  VigilTimer(Id id, Clock clock, DistributionStatisticConfig config, PauseDetector pauseDetector) {
    super(id, clock, pauseDetector, TimeUnit.SECONDS, new CumulativeBuckets(clock, config));
    this.max = new TimeWindowMax(clock, config);
  }

  boolean hasBuckets() {
    return ((CumulativeBuckets) histogram).hasBuckets();
  }

  @Override
  protected void recordNonNegative(long amount, TimeUnit unit) {
    long nanos = unit.toNanos(amount);
    count.increment();
    totalNanos.add(nanos);
    max.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public long count() {
    return count.sum();
  }

  @Override
  public double totalTime(TimeUnit unit) {
    return TimeUtils.nanosToUnit(totalNanos.sum(), unit);
  }

  @Override
  public double max(TimeUnit unit) {
    return max.poll(unit);
  }
}
