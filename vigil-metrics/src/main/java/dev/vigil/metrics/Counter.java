package dev.vigil.metrics;

import dev.vigil.metrics.model.CounterDataPoint;
import dev.vigil.metrics.model.DataPoint;
import dev.vigil.metrics.model.Labels;
import dev.vigil.metrics.model.MetricType;

/**
 * A monotonically increasing total: requests served, bytes sent, errors seen.
 *
 * <pre>{@code
 * Counter requests = Counter.builder()
 *     .name("http_requests_total").help("HTTP requests.")
 *     .labelNames("method", "status")
 *     .register(registry);
 * requests.labelValues("GET", "200").inc();
 * Counter errors = Counter.builder().name("errors_total").register(registry);
 * errors.incWithExemplar(1, traceId, spanId);
 * }</pre>
 *
 * <p>The stored family name has no {@code _total}; the writers add it. Increments must be
 * non-negative and not NaN ({@link IllegalArgumentException} otherwise). Thread safe; {@code inc()}
 * never blocks and allocates nothing.
 */
public final class Counter extends LabelledMetric<Counter.Child> {
  /*
   * Hot path: a child is a CounterCell. Its first updating thread owns it and adds without a
   * locked instruction; once a second thread updates it, every thread adds to its own padded
   * stripe (ThreadStripes), or, for a thread without one (a short-lived virtual thread once the
   * stripes are all taken), with one atomic add to a shared slot. No path takes a lock.
   * Fractional increments go to a DoubleAdder made on first use.
   */

  private Counter(Builder b) {
    super(b, MetricType.COUNTER);

    initNoLabels();
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  Child newChild() {
    return new CounterCell(clock);
  }

  @Override
  DataPoint dataPoint(Labels labels, Child child) {
    CounterCell c = (CounterCell) child;
    return new CounterDataPoint(labels, c.get(), c.exemplar(), c.createdMillis());
  }

  /** Adds 1 (unlabelled counters only). */
  public void inc() {
    noLabelsChild().inc();
  }

  /** Adds {@code amount} (unlabelled counters only). */
  public void inc(double amount) {
    noLabelsChild().inc(amount);
  }

  /** Adds {@code amount} and records an exemplar (unlabelled counters only). */
  public void incWithExemplar(double amount, String traceId, String spanId) {
    noLabelsChild().incWithExemplar(amount, traceId, spanId);
  }

  /** The current total (unlabelled counters only). */
  public double get() {
    return noLabelsChild().get();
  }

  /** One counter series. Implementations are thread safe. */
  public interface Child {
    /** Adds 1. */
    void inc();

    /**
     * Adds {@code amount}.
     *
     * @throws IllegalArgumentException when negative or NaN
     */
    void inc(double amount);

    /** Adds {@code amount} and makes it the series' exemplar, linked to a trace and span. */
    void incWithExemplar(double amount, String traceId, String spanId);

    /** Adds {@code amount} with an exemplar carrying arbitrary labels. */
    void incWithExemplar(double amount, Labels exemplarLabels);

    /** The current total. */
    double get();
  }

  /** Builds a {@link Counter}. */
  public static final class Builder extends Metric.Builder<Builder, Counter> {
    private Builder() {}

    @Override
    public Counter build() {
      return new Counter(this);
    }
  }
}
