package dev.vigil.metrics;

import dev.vigil.metrics.model.GaugeDataPoint;
import dev.vigil.metrics.model.Labels;
import dev.vigil.metrics.model.MetricSnapshot;
import dev.vigil.metrics.model.MetricType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.DoubleSupplier;

/**
 * A gauge whose values are read when the registry is scraped.
 *
 * <pre>{@code
 * CallbackGauge.builder().name("queue_length").labelNames("queue")
 *     .callback(sink -> queues.forEach((name, q) -> sink.set(q.size(), name)))
 *     .register(registry);
 * CallbackGauge.builder().name("heap_used").unit(Units.BYTES)
 *     .callback(() -> runtime.totalMemory() - runtime.freeMemory())
 *     .register(registry);
 * }</pre>
 *
 * <p>The callback runs on the scraping thread; it must be quick and thread safe. When it throws,
 * the scrape fails with the exception (nothing is hidden). A label set reported twice in one call
 * keeps the last value.
 */
public final class CallbackGauge extends Metric {
  private final Callback callback;

  private CallbackGauge(Builder b) {
    super(b, MetricType.GAUGE);
    this.callback = Objects.requireNonNull(b.callback, "callback(...) is required for " + b.name);
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public MetricSnapshot snapshot() {
    List<GaugeDataPoint> points = new ArrayList<>();
    Set<Labels> seen = new HashSet<>();
    callback.collect(
        (value, labelValues) -> {
          if (labelValues.length != labelNames.length) {
            throw new IllegalArgumentException(
                "callback gauge "
                    + name()
                    + " has label names "
                    + Arrays.toString(labelNames)
                    + " but reported values "
                    + Arrays.toString(labelValues));
          }
          Labels l = Labels.of(labelNames, labelValues);
          if (!seen.add(l)) {
            points.removeIf(p -> p.labels().equals(l));
          }
          points.add(new GaugeDataPoint(l, value));
        });
    return new dev.vigil.metrics.model.MetricSnapshot(metadata(), type(), points);
  }

  /** Reports values at scrape time. */
  @FunctionalInterface
  public interface Callback {
    /** Reports each series to {@code sink}. */
    void collect(Sink sink);
  }

  /** Receives one value per label set. */
  @FunctionalInterface
  public interface Sink {
    /** Reports {@code value} for these label values (in label-name order). */
    void set(double value, String... labelValues);
  }

  /** Builds a {@link CallbackGauge}. */
  public static final class Builder extends Metric.Builder<Builder, CallbackGauge> {
    private Callback callback;

    private Builder() {}

    /** The callback reporting every series. */
    public Builder callback(Callback callback) {
      this.callback = callback;
      return this;
    }

    /** A single unlabelled value. */
    public Builder callback(DoubleSupplier value) {
      Objects.requireNonNull(value, "value");
      this.callback = sink -> sink.set(value.getAsDouble());
      return this;
    }

    @Override
    public CallbackGauge build() {
      return new CallbackGauge(this);
    }
  }
}
