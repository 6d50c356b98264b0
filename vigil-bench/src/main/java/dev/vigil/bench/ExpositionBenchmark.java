package dev.vigil.bench;

import dev.vigil.metrics.exposition.PrometheusTextWriter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A whole {@code /metrics} answer: scrape the registry and write Prometheus text 0.0.4, for 1,000
 * and 10,000 counter series (2 labels each). Output goes to a reused in-memory buffer. Dropwizard
 * has no Prometheus text writer of its own, so it is not in this benchmark.
 *
 * <pre>{@code
 * java -jar vigil-bench/target/benchmarks.jar ExpositionBenchmark -f 3 -prof gc
 * }</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@State(Scope.Benchmark)
public class ExpositionBenchmark {
  @Param({"1000", "10000"})
  public int series;

  private dev.vigil.metrics.MetricRegistry vigil;
  private PrometheusRegistry prometheus;
  private PrometheusTextFormatWriter prometheusWriter;
  private PrometheusMeterRegistry micrometer;

  /** A per-thread output buffer, emptied before each write. */
  @State(Scope.Thread)
  public static class Out {
    final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 20);

    @Setup(Level.Invocation)
    public void reset() {
      buffer.reset();
    }
  }

  @Setup
  public void setup() {
    vigil = new dev.vigil.metrics.MetricRegistry();
    dev.vigil.metrics.Counter vc =
        dev.vigil.metrics.Counter.builder()
            .name("http_requests_total")
            .help("Requests.")
            .labelNames("path", "status")
            .cardinalityLimit(series)
            .register(vigil);
    prometheus = new PrometheusRegistry();
    io.prometheus.metrics.core.metrics.Counter pc =
        io.prometheus.metrics.core.metrics.Counter.builder()
            .name("http_requests_total")
            .help("Requests.")
            .labelNames("path", "status")
            .register(prometheus);
    prometheusWriter = PrometheusTextFormatWriter.create();
    micrometer = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    for (int i = 0; i < series; i++) {
      String path = "/api/v1/resource/" + (i / 10);
      String status = String.valueOf(200 + i % 10);
      vc.labelValues(path, status).inc(i);
      pc.labelValues(path, status).inc(i);
      io.micrometer.core.instrument.Counter.builder("http_requests")
          .description("Requests.")
          .tags("path", path, "status", status)
          .register(micrometer)
          .increment(i);
    }
  }

  @Benchmark
  public int vigilWriteText(Out out) throws IOException {
    PrometheusTextWriter.INSTANCE.write(out.buffer, vigil.scrape());
    return out.buffer.size();
  }

  @Benchmark
  public int prometheusWriteText(Out out) throws IOException {
    prometheusWriter.write(out.buffer, prometheus.scrape());
    return out.buffer.size();
  }

  @Benchmark
  public int micrometerWriteText(Out out) throws IOException {
    micrometer.scrape(out.buffer);
    return out.buffer.size();
  }
}
