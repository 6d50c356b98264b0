package dev.vigil.metrics;

import dev.vigil.metrics.model.DataPoint;
import dev.vigil.metrics.model.Labels;
import dev.vigil.metrics.model.MetricType;
import dev.vigil.metrics.model.SummaryDataPoint;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts and sums observations, and estimates quantiles over a sliding time window.
 *
 * <pre>{@code
 * Summary tokens = Summary.builder().name("generation_tokens")
 *     .quantiles(0.5, 0.9, 0.99)
 *     .maxAge(Duration.ofMinutes(5)).ageBuckets(5)
 *     .register(registry);
 * tokens.observe(412);
 * }</pre>
 *
 * <p>Quantile error bound: each reported quantile is within {@code relativeError} (default 1%) of
 * the exact value of that rank, relative to the value ({@code |estimate - exact| <= 0.01 *
 * |exact|}), among the observations of the last {@code maxAge} to {@code maxAge + maxAge /
 * ageBuckets}. {@code _count} and {@code _sum} cover all observations since creation. NaN
 * observations are ignored. Thread safe; with quantiles, {@code observe} takes a short lock per
 * child.
 */
public final class Summary extends LabelledMetric<Summary.Child> {
  /*
   * Window: ageBuckets sketches, each receiving every observation; every maxAge / ageBuckets the
   * oldest is cleared and becomes the newest. Quantiles are read from the oldest live sketch,
   * which has seen between maxAge and maxAge + maxAge / ageBuckets of data (client_java's
   * TimeWindowQuantiles scheme, with a DDSketch per bucket instead of CKMS so the error bound is
   * on the value and holds for any distribution).
   */
  private final double[] quantiles;
  private final long maxAgeMillis;
  private final int ageBuckets;
  private final double relativeError;

  private Summary(Builder b) {
    super(b, MetricType.SUMMARY);
    this.quantiles = b.quantiles.clone();
    this.maxAgeMillis = b.maxAge.toMillis();
    this.ageBuckets = b.ageBuckets;
    this.relativeError = b.relativeError;

    initNoLabels();
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  Child newChild() {
    return new Child(this);
  }

  @Override
  DataPoint dataPoint(Labels labels, Child child) {
    return child.toDataPoint(labels);
  }

  /** Records one observation (unlabelled summaries only). */
  public void observe(double value) {
    noLabelsChild().observe(value);
  }

  /** One summary series. Thread safe. */
  public static final class Child implements Timer.Observer {
    private final double[] quantiles;
    private final LongAdder count = new LongAdder();
    private final DoubleAdder sum = new DoubleAdder();
    private final InstantSource clock;
    private final long createdMillis;
    private final QuantileSketch[] window; // guarded by this
    private final long rotateMillis;
    private int head; // index of the oldest sketch, guarded by this
    private long nextRotation; // guarded by this

    Child(Summary s) {
      this.quantiles = s.quantiles;
      this.clock = s.clock;
      this.createdMillis = clock.millis();
      if (quantiles.length == 0) {
        window = null;
        rotateMillis = 0;
      } else {
        window = new QuantileSketch[s.ageBuckets];
        for (int i = 0; i < window.length; i++) {
          window[i] = new QuantileSketch(s.relativeError);
        }
        rotateMillis = Math.max(1, s.maxAgeMillis / s.ageBuckets);
        nextRotation = createdMillis + rotateMillis;
      }
    }

    /** Records one observation; NaN is ignored. */
    @Override
    public void observe(double value) {
      if (Double.isNaN(value)) {
        return;
      }
      count.increment();
      sum.add(value);
      if (window != null) {
        long now = clock.millis();
        synchronized (this) {
          rotate(now);
          for (QuantileSketch q : window) {
            q.add(value);
          }
        }
      }
    }

    private void rotate(long now) {
      while (now >= nextRotation) {
        window[head].reset();
        head = (head + 1) % window.length;
        nextRotation += rotateMillis;
        if (now - nextRotation > rotateMillis * window.length) {
          // Idle for longer than the whole window: clear everything at once.
          for (QuantileSketch q : window) {
            q.reset();
          }
          nextRotation = now + rotateMillis;
        }
      }
    }

    /** Starts timing; closing the scope observes the elapsed seconds. */
    public Timer.Scope startTimer() {
      return new Timer.Scope(this);
    }

    /** Number of observations since creation. */
    public long count() {
      return count.sum();
    }

    /** Sum of observations since creation. */
    public double sum() {
      return sum.sum();
    }

    /** The current estimate of quantile q (one of the configured ones or any other). */
    public double quantile(double q) {
      if (window == null) {
        return Double.NaN;
      }
      synchronized (this) {
        rotate(clock.millis());
        return window[head].quantile(q);
      }
    }

    SummaryDataPoint toDataPoint(Labels labels) {
      double[] values = new double[quantiles.length];
      if (window != null) {
        synchronized (this) {
          rotate(clock.millis());
          for (int i = 0; i < quantiles.length; i++) {
            values[i] = window[head].quantile(quantiles[i]);
          }
        }
      }
      return new SummaryDataPoint(labels, count.sum(), sum.sum(), quantiles, values, createdMillis);
    }
  }

  /** Builds a {@link Summary}. */
  public static final class Builder extends Metric.Builder<Builder, Summary> {
    private double[] quantiles = new double[0];
    private Duration maxAge = Duration.ofMinutes(10);
    private int ageBuckets = 5;
    private double relativeError = 0.01;

    private Builder() {}

    /** Quantile ranks to report, each in [0, 1] (default none: count and sum only). */
    public Builder quantiles(double... quantiles) {
      double[] q = quantiles.clone();
      Arrays.sort(q);
      for (int i = 0; i < q.length; i++) {
        if (!(q[i] >= 0 && q[i] <= 1)) {
          throw new IllegalArgumentException("quantile must be in [0, 1], got " + q[i]);
        }
        if (i > 0 && q[i] == q[i - 1]) {
          throw new IllegalArgumentException("quantile given twice: " + q[i]);
        }
      }
      this.quantiles = q;
      return this;
    }

    /** How far back the quantiles look (default 10 minutes). */
    public Builder maxAge(Duration maxAge) {
      if (maxAge.isNegative() || maxAge.isZero()) {
        throw new IllegalArgumentException("maxAge must be positive, got " + maxAge);
      }
      this.maxAge = maxAge;
      return this;
    }

    /** Into how many steps the window slides (default 5). */
    public Builder ageBuckets(int ageBuckets) {
      if (ageBuckets < 1) {
        throw new IllegalArgumentException("ageBuckets must be at least 1, got " + ageBuckets);
      }
      this.ageBuckets = ageBuckets;
      return this;
    }

    /** The relative error bound of quantile estimates, in (0, 0.5) (default 0.01). */
    public Builder relativeError(double relativeError) {
      if (!(relativeError > 0 && relativeError < 0.5)) {
        throw new IllegalArgumentException(
            "relativeError must be in (0, 0.5), got " + relativeError);
      }
      this.relativeError = relativeError;
      return this;
    }

    @Override
    public Summary build() {
      return new Summary(this);
    }
  }
}
