package dev.vigil.metrics;

import dev.vigil.metrics.model.DataPoint;
import dev.vigil.metrics.model.Exemplar;
import dev.vigil.metrics.model.HistogramDataPoint;
import dev.vigil.metrics.model.Labels;
import dev.vigil.metrics.model.MetricType;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.InstantSource;
import java.util.concurrent.Callable;

/**
 * Counts observations into classic buckets and sums them: request latencies, response sizes.
 *
 * <pre>{@code
 * Histogram latency = Histogram.builder()
 *     .name("http_request_duration_seconds").help("Request latency.")
 *     .buckets(Buckets.exponential(0.001, 2, 14))
 *     .labelNames("route")
 *     .register(registry);
 * latency.labelValues("/api").observe(0.042);
 * try (Timer.Scope t = latency.labelValues("/api").startTimer()) { handle(); }
 * }</pre>
 *
 * <p>NaN observations are ignored (they would poison the sum forever). Thread safe; {@code observe}
 * never blocks (no lock on any path, exemplars included) and allocates nothing. A scrape running
 * concurrently with observations may see {@code _sum} and the buckets a few observations apart;
 * each value on its own is exact.
 */
public final class Histogram extends LabelledMetric<Histogram.Child> {
  /*
   * Hot path: binary search of the bounds, then one bucket count and the sum, written without
   * locked instructions (see Child and ThreadStripes). The total count is not stored: it is the
   * sum of the buckets at scrape time, which saves a write per observation and keeps _count equal
   * to the +Inf bucket by construction.
   */
  final double[] upperBounds;

  private Histogram(Builder b) {
    super(b, MetricType.HISTOGRAM);
    this.upperBounds = b.buckets.upperBoundsWithInf();

    initNoLabels();
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  Child newChild() {
    return new Child(upperBounds, clock);
  }

  @Override
  DataPoint dataPoint(Labels labels, Child child) {
    return child.toDataPoint(labels);
  }

  /** Records one observation (unlabelled histograms only). */
  public void observe(double value) {
    noLabelsChild().observe(value);
  }

  /** Records one observation with an exemplar (unlabelled histograms only). */
  public void observeWithExemplar(double value, String traceId, String spanId) {
    noLabelsChild().observeWithExemplar(value, traceId, spanId);
  }

  /** Starts timing; closing the scope observes the elapsed seconds (unlabelled only). */
  public Timer.Scope startTimer() {
    return noLabelsChild().startTimer();
  }

  /**
   * One histogram series. Thread safe.
   *
   * <p>Concurrency as in the counter: the first observing thread owns the series and writes its
   * bucket counts and sum with plain reads and opaque writes; once a second thread observes, every
   * thread writes its own stripe of {@link ThreadStripes} (slots 0..n-1 the buckets, slot n the
   * sum), or, a thread without a stripe, shared slots with atomic adds. No path takes a lock.
   */
  public static final class Child implements Timer.Observer {
    private static final VarHandle EXEMPLARS =
        MethodHandles.arrayElementVarHandle(Exemplar[].class);
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle OWNER;
    private static final VarHandle SUM;
    private static final VarHandle STRIPES;
    private static final VarHandle EXEMPLAR_ARRAY;

    static {
      try {
        MethodHandles.Lookup l = MethodHandles.lookup();
        OWNER = l.findVarHandle(Child.class, "owner", Thread.class);
        SUM = l.findVarHandle(Child.class, "ownerSum", double.class);
        STRIPES = l.findVarHandle(Child.class, "stripes", ThreadStripes.class);
        EXEMPLAR_ARRAY = l.findVarHandle(Child.class, "exemplars", Exemplar[].class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private final double[] upperBounds;
    private final long[] ownerCounts; // written by the owner only (opaque)
    private final InstantSource clock;
    private final long createdMillis;

    @SuppressWarnings("unused") // through OWNER
    private Thread owner;

    private double ownerSum; // written by the owner only (opaque)

    @SuppressWarnings("unused") // through STRIPES
    private ThreadStripes stripes;

    private volatile Exemplar[] exemplars;

    Child(double[] upperBounds, InstantSource clock) {
      this.upperBounds = upperBounds;
      this.ownerCounts = new long[upperBounds.length];
      this.clock = clock;
      this.createdMillis = clock.millis();
    }

    private int bucket(double value) {
      // Binary search over the bounds; the last bucket (+Inf) takes the rest.
      int lo = 0;
      int hi = upperBounds.length - 1;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (value <= upperBounds[mid]) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      return lo;
    }

    /** Records one observation; NaN is ignored. */
    @Override
    public void observe(double value) {
      if (Double.isNaN(value)) {
        return;
      }
      record(bucket(value), value);
    }

    private void record(int b, double value) {
      Thread t = Thread.currentThread();
      Object o = OWNER.getOpaque(this);
      if (o == t || (o == null && OWNER.compareAndSet(this, null, t))) {
        LONGS.setOpaque(ownerCounts, b, ownerCounts[b] + 1);
        SUM.setOpaque(this, ownerSum + value);
      } else {
        stripes().observe(b, upperBounds.length, value);
      }
    }

    private ThreadStripes stripes() {
      ThreadStripes s = (ThreadStripes) STRIPES.getAcquire(this);
      if (s == null) {
        s = new ThreadStripes(upperBounds.length + 1);
        if (!STRIPES.compareAndSet(this, null, s)) {
          s = (ThreadStripes) STRIPES.getAcquire(this);
        }
        OWNER.setVolatile(this, CounterCell.CONTENDED);
      }
      return s;
    }

    /** Records one observation and makes it the exemplar of its bucket. */
    public void observeWithExemplar(double value, String traceId, String spanId) {
      observeWithExemplar(value, Exemplar.of(value, traceId, spanId, clock.millis()));
    }

    /** Records one observation with an exemplar carrying arbitrary labels. */
    public void observeWithExemplar(double value, Labels exemplarLabels) {
      observeWithExemplar(value, new Exemplar(value, exemplarLabels, clock.millis()));
    }

    private void observeWithExemplar(double value, Exemplar e) {
      if (Double.isNaN(value)) {
        return;
      }
      int b = bucket(value);
      record(b, value);
      Exemplar[] ex = exemplars;
      if (ex == null) {
        ex = new Exemplar[upperBounds.length]; // made once; a thread that loses takes the winner's
        if (!EXEMPLAR_ARRAY.compareAndSet(this, null, ex)) {
          ex = exemplars;
        }
      }
      EXEMPLARS.setRelease(ex, b, e);
    }

    /** Starts timing; closing the scope observes the elapsed seconds. */
    public Timer.Scope startTimer() {
      return new Timer.Scope(this);
    }

    /** Runs {@code task} and observes its duration in seconds. */
    public void time(Runnable task) {
      try (Timer.Scope t = startTimer()) {
        task.run();
      }
    }

    /** Calls {@code task}, observes its duration in seconds and returns its result. */
    public <T> T time(Callable<T> task) throws Exception {
      try (Timer.Scope t = startTimer()) {
        return task.call();
      }
    }

    /** Number of observations so far. */
    public long count() {
      long c = 0;
      for (long v : counts()) {
        c += v;
      }
      return c;
    }

    /** Sum of observations so far. */
    public double sum() {
      double total = (double) SUM.getOpaque(this);
      ThreadStripes s = (ThreadStripes) STRIPES.getAcquire(this);
      if (s != null) {
        total += s.sumDouble(upperBounds.length);
      }
      return total;
    }

    private long[] counts() {
      long[] c = new long[upperBounds.length];
      ThreadStripes s = (ThreadStripes) STRIPES.getAcquire(this);
      for (int i = 0; i < c.length; i++) {
        c[i] = (long) LONGS.getOpaque(ownerCounts, i);
        if (s != null) {
          c[i] += s.sum(i);
        }
      }
      return c;
    }

    HistogramDataPoint toDataPoint(Labels labels) {
      long[] c = counts();
      Exemplar[] ex = exemplars;
      Exemplar[] copy = null;
      if (ex != null) {
        copy = new Exemplar[ex.length];
        for (int i = 0; i < ex.length; i++) {
          copy[i] = (Exemplar) EXEMPLARS.getAcquire(ex, i);
        }
      }
      return new HistogramDataPoint(labels, upperBounds, c, sum(), copy, createdMillis);
    }
  }

  /** Builds a {@link Histogram}. */
  public static final class Builder extends Metric.Builder<Builder, Histogram> {
    Buckets buckets = Buckets.DEFAULT;

    private Builder() {}

    /** The bucket layout (default {@link Buckets#DEFAULT}). */
    public Builder buckets(Buckets buckets) {
      this.buckets = java.util.Objects.requireNonNull(buckets, "buckets");
      return this;
    }

    /** Explicit bucket bounds. */
    public Builder buckets(double... bounds) {
      return buckets(Buckets.of(bounds));
    }

    @Override
    public Histogram build() {
      return new Histogram(this);
    }
  }
}
