package dev.vigil.metrics;

import dev.vigil.metrics.model.CounterDataPoint;
import dev.vigil.metrics.model.DataPoint;
import dev.vigil.metrics.model.Labels;
import dev.vigil.metrics.model.MetricSnapshot;
import dev.vigil.metrics.model.MetricType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * A counter whose totals are read when the registry is scraped, for totals kept elsewhere (CPU
 * seconds from the OS, bytes from a connection pool).
 *
 * <pre>{@code
 * CallbackCounter.builder().name("process_cpu_seconds_total")
 *     .callback(() -> os.getProcessCpuTime() / 1e9)
 *     .register(registry);
 * }</pre>
 *
 * <p>A negative or NaN total fails the scrape with a message naming the metric.
 */
public final class CallbackCounter extends Metric {
  private final CallbackGauge.Callback callback;

  private CallbackCounter(Builder b) {
    super(b, MetricType.COUNTER);
    this.callback = Objects.requireNonNull(b.callback, "callback(...) is required for " + b.name);
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public MetricSnapshot snapshot() {
    List<CounterDataPoint> points = new ArrayList<>();
    callback.collect(
        (value, labelValues) -> {
          if (labelValues.length != labelNames.length) {
            throw new IllegalArgumentException(
                "callback counter "
                    + name()
                    + " has label names "
                    + Arrays.toString(labelNames)
                    + " but reported values "
                    + Arrays.toString(labelValues));
          }
          if (!(value >= 0)) {
            throw new IllegalArgumentException(
                "callback counter " + name() + " reported a negative or NaN total: " + value);
          }
          points.add(
              new CounterDataPoint(
                  Labels.of(labelNames, labelValues), value, null, DataPoint.NO_CREATED));
        });
    return new MetricSnapshot(metadata(), type(), points);
  }

  /** Builds a {@link CallbackCounter}. */
  public static final class Builder extends Metric.Builder<Builder, CallbackCounter> {
    private CallbackGauge.Callback callback;

    private Builder() {}

    /** The callback reporting every series' total. */
    public Builder callback(CallbackGauge.Callback callback) {
      this.callback = callback;
      return this;
    }

    /** A single unlabelled total. */
    public Builder callback(DoubleSupplier total) {
      Objects.requireNonNull(total, "total");
      this.callback = sink -> sink.set(total.getAsDouble());
      return this;
    }

    @Override
    public CallbackCounter build() {
      return new CallbackCounter(this);
    }
  }
}
