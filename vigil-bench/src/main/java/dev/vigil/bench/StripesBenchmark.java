package dev.vigil.bench;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Contended counter increments and histogram observations, Vigil's {@code CounterCell} and {@code
 * Histogram.Child} (over {@code ThreadStripes}) against {@link LongAdder} and against client_java
 * and Micrometer, with platform threads and with virtual threads, in one run.
 *
 * <ul>
 *   <li>{@code platform*}: two long-lived JMH threads on one series, one update per operation.
 *   <li>{@code virtual*}: each invocation starts {@value #VTHREADS} virtual threads that each make
 *       {@value #PER_VTHREAD} updates on the same series and end, then joins them; the score is per
 *       update. Every virtual thread has a new thread id, as for a server that runs each request on
 *       its own virtual thread, so after warm-up no updating thread has ever updated the series
 *       before. Thread start and join are in every score of this group, the same for each library;
 *       compare within the group.
 * </ul>
 *
 * <p>The LongAdder histogram is the plain alternative to stripes: one {@link LongAdder} per bucket
 * and a {@link DoubleAdder} for the sum.
 *
 * <pre>{@code
 * java -jar vigil-bench/target/benchmarks.jar StripesBenchmark -f 1 -wi 2 -i 3
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class StripesBenchmark {
  static final int VTHREADS = 8;
  static final int PER_VTHREAD = 1000;
  static final int VIRTUAL_OPS = VTHREADS * PER_VTHREAD;

  private dev.vigil.metrics.Counter vigilCounter;
  private final LongAdder adder = new LongAdder();
  private io.prometheus.metrics.core.metrics.Counter prometheusCounter;
  private io.micrometer.core.instrument.Counter micrometerCounter;

  private dev.vigil.metrics.Histogram vigilHistogram;
  private AdderHistogram adderHistogram;
  private io.prometheus.metrics.core.metrics.Histogram prometheusHistogram;
  private DistributionSummary micrometerHistogram;

  /** Classic histogram on adders: what Vigil's histogram would be without stripes. */
  static final class AdderHistogram {
    private final double[] bounds;
    private final LongAdder[] counts;
    private final DoubleAdder sum = new DoubleAdder();

    AdderHistogram(double[] bounds) {
      this.bounds = bounds;
      this.counts = new LongAdder[bounds.length + 1];
      for (int i = 0; i < counts.length; i++) {
        counts[i] = new LongAdder();
      }
    }

    void observe(double v) {
      int lo = 0;
      int hi = bounds.length;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (v <= bounds[mid]) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      counts[lo].increment();
      sum.add(v);
    }
  }

  @Setup
  public void setup() {
    vigilCounter =
        dev.vigil.metrics.Counter.builder()
            .name("plain_total")
            .register(new dev.vigil.metrics.MetricRegistry());
    prometheusCounter =
        io.prometheus.metrics.core.metrics.Counter.builder()
            .name("plain_total")
            .register(new PrometheusRegistry());
    MeterRegistry mr = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    micrometerCounter = mr.counter("plain");

    double[] bounds = HistogramBenchmark.BOUNDS;
    vigilHistogram =
        dev.vigil.metrics.Histogram.builder()
            .name("latency_seconds")
            .buckets(bounds)
            .register(new dev.vigil.metrics.MetricRegistry());
    adderHistogram = new AdderHistogram(bounds);
    prometheusHistogram =
        io.prometheus.metrics.core.metrics.Histogram.builder()
            .name("latency_seconds")
            .classicOnly()
            .classicUpperBounds(bounds)
            .register(new PrometheusRegistry());
    micrometerHistogram =
        DistributionSummary.builder("latency").serviceLevelObjectives(bounds).register(mr);
  }

  /** An observation that walks the buckets, without a table lookup in the loop. */
  private static double value(int i) {
    return (i & 15) * 0.05;
  }

  // --- platform threads: two JMH threads on one series

  @Benchmark
  @Threads(2)
  public void platformCounterVigil() {
    vigilCounter.inc();
  }

  @Benchmark
  @Threads(2)
  public void platformCounterLongAdder() {
    adder.increment();
  }

  @Benchmark
  @Threads(2)
  public void platformCounterPrometheus() {
    prometheusCounter.inc();
  }

  @Benchmark
  @Threads(2)
  public void platformCounterMicrometer() {
    micrometerCounter.increment();
  }

  /** A thread's position in the observation sequence. */
  @State(Scope.Thread)
  public static class Cursor {
    int i;
  }

  @Benchmark
  @Threads(2)
  public void platformHistogramVigil(Cursor c) {
    vigilHistogram.observe(value(c.i++));
  }

  @Benchmark
  @Threads(2)
  public void platformHistogramLongAdder(Cursor c) {
    adderHistogram.observe(value(c.i++));
  }

  @Benchmark
  @Threads(2)
  public void platformHistogramPrometheus(Cursor c) {
    prometheusHistogram.observe(value(c.i++));
  }

  @Benchmark
  @Threads(2)
  public void platformHistogramMicrometer(Cursor c) {
    micrometerHistogram.record(value(c.i++));
  }

  // --- virtual threads: short-lived threads, each new to the series

  private static void onVirtualThreads(Runnable body) throws InterruptedException {
    Thread[] ts = new Thread[VTHREADS];
    for (int i = 0; i < VTHREADS; i++) {
      ts[i] = Thread.ofVirtual().start(body);
    }
    for (Thread t : ts) {
      t.join();
    }
  }

  @Benchmark
  @Threads(1)
  @OperationsPerInvocation(VIRTUAL_OPS)
  public void virtualCounterVigil() throws InterruptedException {
    onVirtualThreads(
        () -> {
          for (int i = 0; i < PER_VTHREAD; i++) {
            vigilCounter.inc();
          }
        });
  }

  @Benchmark
  @Threads(1)
  @OperationsPerInvocation(VIRTUAL_OPS)
  public void virtualCounterLongAdder() throws InterruptedException {
    onVirtualThreads(
        () -> {
          for (int i = 0; i < PER_VTHREAD; i++) {
            adder.increment();
          }
        });
  }

  @Benchmark
  @Threads(1)
  @OperationsPerInvocation(VIRTUAL_OPS)
  public void virtualCounterPrometheus() throws InterruptedException {
    onVirtualThreads(
        () -> {
          for (int i = 0; i < PER_VTHREAD; i++) {
            prometheusCounter.inc();
          }
        });
  }

  @Benchmark
  @Threads(1)
  @OperationsPerInvocation(VIRTUAL_OPS)
  public void virtualCounterMicrometer() throws InterruptedException {
    onVirtualThreads(
        () -> {
          for (int i = 0; i < PER_VTHREAD; i++) {
            micrometerCounter.increment();
          }
        });
  }

  @Benchmark
  @Threads(1)
  @OperationsPerInvocation(VIRTUAL_OPS)
  public void virtualHistogramVigil() throws InterruptedException {
    onVirtualThreads(
        () -> {
          for (int i = 0; i < PER_VTHREAD; i++) {
            vigilHistogram.observe(value(i));
          }
        });
  }

  @Benchmark
  @Threads(1)
  @OperationsPerInvocation(VIRTUAL_OPS)
  public void virtualHistogramLongAdder() throws InterruptedException {
    onVirtualThreads(
        () -> {
          for (int i = 0; i < PER_VTHREAD; i++) {
            adderHistogram.observe(value(i));
          }
        });
  }

  @Benchmark
  @Threads(1)
  @OperationsPerInvocation(VIRTUAL_OPS)
  public void virtualHistogramPrometheus() throws InterruptedException {
    onVirtualThreads(
        () -> {
          for (int i = 0; i < PER_VTHREAD; i++) {
            prometheusHistogram.observe(value(i));
          }
        });
  }

  @Benchmark
  @Threads(1)
  @OperationsPerInvocation(VIRTUAL_OPS)
  public void virtualHistogramMicrometer() throws InterruptedException {
    onVirtualThreads(
        () -> {
          for (int i = 0; i < PER_VTHREAD; i++) {
            micrometerHistogram.record(value(i));
          }
        });
  }
}
