package dev.vigil.metrics;

import dev.vigil.metrics.model.DataPoint;
import dev.vigil.metrics.model.Labels;
import dev.vigil.metrics.model.MetricType;
import java.util.concurrent.Callable;

/**
 * Measures durations into a histogram in seconds. The name gets {@code _seconds} when it lacks it.
 *
 * <pre>{@code
 * Timer generation = Timer.builder().name("model_generation").labelNames("model")
 *     .register(registry);                         // exposed as model_generation_seconds
 * try (Timer.Scope t = generation.labelValues("llama").startTimer()) {
 *   generate();
 * }
 * String answer = generation.labelValues("llama").time(() -> generate());
 * }</pre>
 *
 * <p>Durations come from {@link System#nanoTime()}. Thread safe.
 */
public final class Timer extends LabelledMetric<Histogram.Child> {
  private final double[] upperBounds;

  private Timer(Builder b) {
    super(b, MetricType.HISTOGRAM);
    this.upperBounds = b.buckets.upperBoundsWithInf();

    initNoLabels();
  }

  /** A new builder; the unit is seconds. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  Histogram.Child newChild() {
    return new Histogram.Child(upperBounds, clock);
  }

  @Override
  DataPoint dataPoint(Labels labels, Histogram.Child child) {
    return child.toDataPoint(labels);
  }

  /** Starts timing (unlabelled timers only). */
  public Scope startTimer() {
    return noLabelsChild().startTimer();
  }

  /** Runs {@code task} and records its duration (unlabelled timers only). */
  public void time(Runnable task) {
    noLabelsChild().time(task);
  }

  /** Calls {@code task}, records its duration and returns its result (unlabelled only). */
  public <T> T time(Callable<T> task) throws Exception {
    return noLabelsChild().time(task);
  }

  /** Records a duration measured elsewhere, in seconds (unlabelled timers only). */
  public void observe(double seconds) {
    noLabelsChild().observe(seconds);
  }

  /** Receives durations in seconds. */
  public interface Observer {
    /** Records {@code seconds}. */
    void observe(double seconds);
  }

  /**
   * A running measurement: {@link #close()} records the seconds since it started, once. Use it in
   * try-with-resources. Not thread safe (one scope per measurement).
   */
  public static final class Scope implements AutoCloseable {
    private final Observer observer;
    private final long startNanos;
    private boolean closed;

    Scope(Observer observer) {
      this.observer = observer;
      this.startNanos = System.nanoTime();
    }

    /** Seconds since the scope started. */
    public double elapsedSeconds() {
      return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Records the elapsed seconds and returns them; later calls do nothing and return them. */
    public double stop() {
      double s = elapsedSeconds();
      if (!closed) {
        closed = true;
        observer.observe(s);
      }
      return s;
    }

    @Override
    public void close() {
      stop();
    }
  }

  /** Builds a {@link Timer}. */
  public static final class Builder extends Metric.Builder<Builder, Timer> {
    Buckets buckets = Buckets.DEFAULT;

    private Builder() {
      unit = Units.SECONDS;
    }

    /** The bucket layout in seconds (default {@link Buckets#DEFAULT}). */
    public Builder buckets(Buckets buckets) {
      this.buckets = java.util.Objects.requireNonNull(buckets, "buckets");
      return this;
    }

    /** The unit of a timer is always seconds. */
    @Override
    public Builder unit(String unit) {
      if (!Units.SECONDS.equals(unit)) {
        throw new IllegalArgumentException("a timer measures seconds, not " + unit);
      }
      return this;
    }

    @Override
    public Timer build() {
      return new Timer(this);
    }
  }
}
