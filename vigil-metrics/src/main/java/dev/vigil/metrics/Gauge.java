package dev.vigil.metrics;

import dev.vigil.metrics.model.DataPoint;
import dev.vigil.metrics.model.GaugeDataPoint;
import dev.vigil.metrics.model.Labels;
import dev.vigil.metrics.model.MetricType;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A value that goes up and down: queue length, temperature, connections in use.
 *
 * <pre>{@code
 * Gauge inFlight = Gauge.builder().name("requests_in_flight").register(registry);
 * inFlight.inc();
 * try { handle(); } finally { inFlight.dec(); }
 * }</pre>
 *
 * <p>For values read at scrape time use {@link CallbackGauge}. Thread safe; updates never block (a
 * compare-and-set loop on the value's bits) and allocate nothing.
 */
public final class Gauge extends LabelledMetric<Gauge.Child> {
  private Gauge(Builder b) {
    super(b, MetricType.GAUGE);

    initNoLabels();
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  Child newChild() {
    return new Child();
  }

  @Override
  DataPoint dataPoint(Labels labels, Child child) {
    return new GaugeDataPoint(labels, child.get());
  }

  /** Sets the value (unlabelled gauges only). */
  public void set(double value) {
    noLabelsChild().set(value);
  }

  /** Adds 1 (unlabelled gauges only). */
  public void inc() {
    noLabelsChild().inc(1);
  }

  /** Adds {@code amount}, which may be negative (unlabelled gauges only). */
  public void inc(double amount) {
    noLabelsChild().inc(amount);
  }

  /** Subtracts 1 (unlabelled gauges only). */
  public void dec() {
    noLabelsChild().inc(-1);
  }

  /** Subtracts {@code amount} (unlabelled gauges only). */
  public void dec(double amount) {
    noLabelsChild().inc(-amount);
  }

  /** The current value (unlabelled gauges only). */
  public double get() {
    return noLabelsChild().get();
  }

  /** One gauge series. Thread safe. */
  public static final class Child {
    private static final VarHandle BITS;

    static {
      try {
        BITS = MethodHandles.lookup().findVarHandle(Child.class, "bits", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    @SuppressWarnings("unused") // accessed through BITS
    private volatile long bits; // Double.doubleToRawLongBits(0.0) == 0

    Child() {}

    /** Sets the value. */
    public void set(double value) {
      bits = Double.doubleToRawLongBits(value);
    }

    /** Adds {@code amount} (negative to subtract). */
    public void inc(double amount) {
      while (true) {
        long old = bits;
        long next = Double.doubleToRawLongBits(Double.longBitsToDouble(old) + amount);
        if (BITS.weakCompareAndSet(this, old, next)) {
          return;
        }
      }
    }

    /** Adds 1. */
    public void inc() {
      inc(1);
    }

    /** Subtracts 1. */
    public void dec() {
      inc(-1);
    }

    /** Subtracts {@code amount}. */
    public void dec(double amount) {
      inc(-amount);
    }

    /** Sets the value to the current time in seconds since the epoch. */
    public void setToCurrentTime() {
      set(System.currentTimeMillis() / 1000.0);
    }

    /** The current value. */
    public double get() {
      return Double.longBitsToDouble(bits);
    }
  }

  /** Builds a {@link Gauge}. */
  public static final class Builder extends Metric.Builder<Builder, Gauge> {
    private Builder() {}

    @Override
    public Gauge build() {
      return new Gauge(this);
    }
  }
}
