package dev.vigil.bench;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
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
 * Counter increments: without labels, on a cached labelled child, and with the label lookup on
 * every call (2 labels, 100 label sets), for Vigil and its peers in the same run. Each peer is set
 * up as its documentation shows (client_java 1.8.0 defaults, Micrometer on its Prometheus registry,
 * Dropwizard metrics-core 4.2 with one named counter per label set).
 *
 * <pre>{@code
 * java -jar vigil-bench/target/benchmarks.jar CounterBenchmark -t 2 -f 3 -prof gc
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@State(Scope.Benchmark)
public class CounterBenchmark {
  private dev.vigil.metrics.Counter vigilCounter;
  private dev.vigil.metrics.Counter vigilLabelled;
  private dev.vigil.metrics.Counter.Child vigilChild;

  private io.prometheus.metrics.core.metrics.Counter prometheusCounter;
  private io.prometheus.metrics.core.metrics.Counter prometheusLabelled;
  private CounterDataPoint prometheusChild;

  private MeterRegistry micrometerRegistry;
  private io.micrometer.core.instrument.Counter micrometerCounter;
  private io.micrometer.core.instrument.Counter micrometerChild;

  private com.codahale.metrics.MetricRegistry dropwizardRegistry;
  private com.codahale.metrics.Counter dropwizardCounter;
  private com.codahale.metrics.Counter dropwizardChild;

  /** Which label set the next lookup uses, per thread. */
  @State(Scope.Thread)
  public static class Cursor {
    int i;

    int next() {
      int v = i + 1;
      if (v == LabelSets.COUNT) {
        v = 0;
      }
      i = v;
      return v;
    }
  }

  @Setup
  public void setup() {
    dev.vigil.metrics.MetricRegistry vr = new dev.vigil.metrics.MetricRegistry();
    vigilCounter = dev.vigil.metrics.Counter.builder().name("plain_total").register(vr);
    vigilLabelled =
        dev.vigil.metrics.Counter.builder()
            .name("requests_total")
            .labelNames("method", "status")
            .register(vr);
    vigilChild = vigilLabelled.labelValues("GET", "200");

    PrometheusRegistry pr = new PrometheusRegistry();
    prometheusCounter =
        io.prometheus.metrics.core.metrics.Counter.builder().name("plain_total").register(pr);
    prometheusLabelled =
        io.prometheus.metrics.core.metrics.Counter.builder()
            .name("requests_total")
            .labelNames("method", "status")
            .register(pr);
    prometheusChild = prometheusLabelled.labelValues("GET", "200");

    micrometerRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    micrometerCounter = micrometerRegistry.counter("plain");
    micrometerChild = micrometerRegistry.counter("requests", "method", "GET", "status", "200");

    dropwizardRegistry = new com.codahale.metrics.MetricRegistry();
    dropwizardCounter = dropwizardRegistry.counter("plain");
    dropwizardChild = dropwizardRegistry.counter("requests.GET.200");

    for (int i = 0; i < LabelSets.COUNT; i++) {
      vigilLabelled.labelValues(LabelSets.method(i), LabelSets.status(i));
      prometheusLabelled.labelValues(LabelSets.method(i), LabelSets.status(i));
      micrometerRegistry.counter(
          "requests", "method", LabelSets.method(i), "status", LabelSets.status(i));
      dropwizardRegistry.counter(
          com.codahale.metrics.MetricRegistry.name(
              "requests", LabelSets.method(i), LabelSets.status(i)));
    }
  }

  // --- inc on a counter without labels

  @Benchmark
  public void vigilInc() {
    vigilCounter.inc();
  }

  @Benchmark
  public void prometheusInc() {
    prometheusCounter.inc();
  }

  @Benchmark
  public void micrometerInc() {
    micrometerCounter.increment();
  }

  @Benchmark
  public void dropwizardInc() {
    dropwizardCounter.inc();
  }

  // --- inc on a cached labelled child

  @Benchmark
  public void vigilIncCachedChild() {
    vigilChild.inc();
  }

  @Benchmark
  public void prometheusIncCachedChild() {
    prometheusChild.inc();
  }

  @Benchmark
  public void micrometerIncCachedChild() {
    micrometerChild.increment();
  }

  @Benchmark
  public void dropwizardIncCachedChild() {
    dropwizardChild.inc();
  }

  // --- inc with the label lookup on every call

  @Benchmark
  public void vigilIncLabelLookup(Cursor c) {
    int i = c.next();
    vigilLabelled.labelValues(LabelSets.method(i), LabelSets.status(i)).inc();
  }

  @Benchmark
  public void prometheusIncLabelLookup(Cursor c) {
    int i = c.next();
    prometheusLabelled.labelValues(LabelSets.method(i), LabelSets.status(i)).inc();
  }

  @Benchmark
  public void micrometerIncLabelLookup(Cursor c) {
    int i = c.next();
    micrometerRegistry
        .counter("requests", "method", LabelSets.method(i), "status", LabelSets.status(i))
        .increment();
  }

  @Benchmark
  public void dropwizardIncLabelLookup(Cursor c) {
    int i = c.next();
    dropwizardRegistry
        .counter(
            com.codahale.metrics.MetricRegistry.name(
                "requests", LabelSets.method(i), LabelSets.status(i)))
        .inc();
  }
}
