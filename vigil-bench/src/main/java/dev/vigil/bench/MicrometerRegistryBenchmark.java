package dev.vigil.bench;

import dev.vigil.micrometer.VigilMeterRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Micrometer recorded through {@code VigilMeterRegistry} against {@code PrometheusMeterRegistry}
 * (micrometer-registry-prometheus), in one run: a counter increment, a timer record (no histogram)
 * and a scrape to the Prometheus text format of 1,000 meters (600 counters, 300 timers, 100 gauges,
 * each with two tags). {@code registry} picks the implementation; everything else is the same
 * Micrometer code.
 *
 * <pre>{@code
 * java -jar vigil-bench/target/benchmarks.jar MicrometerRegistryBenchmark -f 1 -wi 2 -i 3
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@State(Scope.Benchmark)
public class MicrometerRegistryBenchmark {
  /** Meters in the scrape case. */
  static final int METERS = 1_000;

  @Param({"vigil", "prometheus"})
  public String registry;

  private MeterRegistry meters;
  private Counter counter;
  private Timer timer;
  private MeterRegistry scraped;
  private java.util.function.Supplier<String> scrape;

  @Setup
  public void setup() {
    meters = create();
    counter = Counter.builder("bench.requests").tag("method", "GET").register(meters);
    timer = Timer.builder("bench.latency").tag("method", "GET").register(meters);

    scraped = create();
    AtomicLong value = new AtomicLong(42);
    for (int i = 0; i < METERS; i++) {
      String route = "/route/" + (i % 100);
      String status = String.valueOf(200 + i / 100);
      if (i < 600) {
        Counter.builder("http.requests")
            .tags("route", route, "status", status)
            .register(scraped)
            .increment(i);
      } else if (i < 900) {
        Timer.builder("http.latency")
            .tags("route", route, "status", status)
            .register(scraped)
            .record(i, TimeUnit.MILLISECONDS);
      } else {
        Gauge.builder("pool.size", value, AtomicLong::get)
            .tags("route", route, "status", status)
            .register(scraped);
      }
    }
    if (scraped.getMeters().size() != METERS) {
      throw new IllegalStateException(scraped.getMeters().size() + " meters, not " + METERS);
    }
    scrape =
        scraped instanceof VigilMeterRegistry v
            ? v::scrape
            : ((PrometheusMeterRegistry) scraped)::scrape;
  }

  private MeterRegistry create() {
    return switch (registry) {
      case "vigil" -> new VigilMeterRegistry(new dev.vigil.metrics.MetricRegistry());
      case "prometheus" ->
          new PrometheusMeterRegistry(
              PrometheusConfig.DEFAULT,
              new PrometheusRegistry(),
              io.micrometer.core.instrument.Clock.SYSTEM);
      default -> throw new IllegalArgumentException("registry: vigil or prometheus");
    };
  }

  @Benchmark
  public void counterIncrement() {
    counter.increment();
  }

  @Benchmark
  public void timerRecord() {
    timer.record(1_234_567, TimeUnit.NANOSECONDS);
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public String scrape1000Meters() {
    return scrape.get();
  }
}
