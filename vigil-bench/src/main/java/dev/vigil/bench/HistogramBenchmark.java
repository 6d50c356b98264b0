package dev.vigil.bench;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Histogram observe with the Prometheus default buckets (.005 ... 10 s) and log-normal latencies
 * around 50 ms. client_java is classic-only with the same buckets; Micrometer is a distribution
 * summary with the same service-level objectives on its Prometheus registry; Dropwizard is its
 * default histogram (exponentially decaying reservoir).
 *
 * <pre>{@code
 * java -jar vigil-bench/target/benchmarks.jar HistogramBenchmark -t 2 -f 3 -prof gc
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@State(Scope.Benchmark)
public class HistogramBenchmark {
  static final double[] BOUNDS = {.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10};

  private dev.vigil.metrics.Histogram vigil;
  private io.prometheus.metrics.core.metrics.Histogram prometheus;
  private DistributionSummary micrometer;
  private com.codahale.metrics.Histogram dropwizard;

  /** A thread's stream of observations. */
  @State(Scope.Thread)
  public static class Values {
    final double[] values = new double[1024];
    final long[] micros = new long[1024];
    int i;

    @Setup
    public void setup() {
      Random r = new Random(Thread.currentThread().threadId());
      for (int j = 0; j < values.length; j++) {
        values[j] = Math.exp(r.nextGaussian() - 3);
        micros[j] = (long) (values[j] * 1e6);
      }
    }

    int next() {
      return i = (i + 1) & 1023;
    }
  }

  @Setup
  public void setup() {
    vigil =
        dev.vigil.metrics.Histogram.builder()
            .name("latency_seconds")
            .buckets(BOUNDS)
            .register(new dev.vigil.metrics.MetricRegistry());
    prometheus =
        io.prometheus.metrics.core.metrics.Histogram.builder()
            .name("latency_seconds")
            .classicOnly()
            .classicUpperBounds(BOUNDS)
            .register(new PrometheusRegistry());
    micrometer =
        DistributionSummary.builder("latency")
            .serviceLevelObjectives(BOUNDS)
            .register(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    dropwizard = new com.codahale.metrics.MetricRegistry().histogram("latency");
  }

  @Benchmark
  public void vigilObserve(Values v) {
    vigil.observe(v.values[v.next()]);
  }

  @Benchmark
  public void prometheusObserve(Values v) {
    prometheus.observe(v.values[v.next()]);
  }

  @Benchmark
  public void micrometerObserve(Values v) {
    micrometer.record(v.values[v.next()]);
  }

  @Benchmark
  public void dropwizardObserve(Values v) {
    dropwizard.update(v.micros[v.next()]);
  }
}
