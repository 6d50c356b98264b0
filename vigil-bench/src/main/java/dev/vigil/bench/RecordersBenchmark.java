package dev.vigil.bench;

import dev.vigil.collectors.recorders.FileEventLog;
import dev.vigil.collectors.recorders.FilePaths;
import dev.vigil.collectors.recorders.Recorders;
import dev.vigil.collectors.recorders.Span;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of each {@link Recorders} call, against the same API-request recording done with
 * client_java 1.8.0 (a labelled counter and a labelled classic histogram with the same buckets).
 *
 * <p>Run: {@code java -jar vigil-bench/target/benchmarks.jar RecordersBenchmark -f 1 -wi 2 -i 3
 * -prof gc}. Counting recorders must stay under 150 ns and 0 B/op; stateful ones (sessions, errors
 * with their ring, file operations with JSON events, measureDuration, system metrics with their
 * metadata event) under 1 µs. An error recorded with its exception reads a stack trace: it is
 * measured against creating the exception, which the caller pays anyway.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class RecordersBenchmark {

  private Recorders rec;
  private Path eventsDir;
  private Counter promRequests;
  private Histogram promDuration;
  private FileEventLog directLog;
  private int appended;
  private final String[] sessionIds = new String[1024];
  private int session;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    for (int i = 0; i < sessionIds.length; i++) {
      sessionIds[i] = "session-" + i;
    }
    eventsDir = Files.createTempDirectory("vigil-bench-events");
    rec =
        Recorders.builder()
            .namespace("bench")
            .fileEventsLog(eventsDir.resolve("events.jsonl"))
            .build();
    directLog =
        FileEventLog.builder(eventsDir.resolve("direct.jsonl"))
            .flushInterval(Duration.ofHours(1))
            .build();
    PrometheusRegistry registry = new PrometheusRegistry();
    promRequests =
        Counter.builder()
            .name("api_requests_total")
            .labelNames("service", "endpoint", "method", "status")
            .register(registry);
    promDuration =
        Histogram.builder()
            .name("api_request_duration_seconds")
            .labelNames("service", "endpoint", "method")
            .classicOnly()
            .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
            .register(registry);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    long dropped = rec.fileEventsDropped();
    rec.close();
    directLog.close();
    System.out.println("file events dropped by the full buffer: " + dropped);
    try (var files = Files.list(eventsDir)) {
      for (Path p : files.toList()) {
        Files.deleteIfExists(p);
      }
    }
    Files.deleteIfExists(eventsDir);
  }

  // ---- counting recorders ----

  @Benchmark
  public void recordApiRequest() {
    rec.recordApiRequest("comfyui", "/generate", "POST", 200, 0.123);
  }

  @Benchmark
  public void prometheusApiRequest() {
    promRequests.labelValues("comfyui", "/generate", "POST", "200").inc();
    promDuration.labelValues("comfyui", "/generate", "POST").observe(0.123);
  }

  @Benchmark
  public void recordModelGeneration() {
    rec.recordModelGeneration("llama2-7b", "local", 15.4, true, 256, 512);
  }

  @Benchmark
  public void recordCacheOperation() {
    rec.recordCacheOperation("prompts", "get", true, 0.0001);
  }

  @Benchmark
  public void recordWorkflowExecution() {
    rec.recordWorkflowExecution("image_generation", 45.2, true, 5, 5);
  }

  @Benchmark
  public void recordAgentRun() {
    rec.recordAgentRun("linter", "success", 0.245);
  }

  // ---- stateful recorders ----

  @Benchmark
  public void sessionStartEnd() {
    String id = sessionIds[session++ & 1023];
    rec.startUserSession(id, "Mozilla/5.0 Firefox/120.0");
    rec.endUserSession(id);
  }

  @Benchmark
  public void recordError() {
    rec.recordError("connection_timeout", "Failed to connect to ComfyUI", "comfyui", "error");
  }

  private final RuntimeException knownError =
      new IllegalStateException(
          "checkout failed",
          new IOException("payment lost", new java.net.SocketTimeoutException("read timed out")));

  private static RuntimeException newError() {
    return new IllegalStateException(
        "checkout failed",
        new IOException("payment lost", new java.net.SocketTimeoutException("read timed out")));
  }

  /** A repeat of a known fingerprint: the stack-trace sample's cost without creating the error. */
  @Benchmark
  public void recordErrorWithKnownException() {
    rec.recordError("checkout_failed", "Checkout failed", "shop", "error", knownError);
  }

  /** What an application pays on its error path: create the exception, then record it. */
  @Benchmark
  public void recordErrorWithNewException() {
    rec.recordError("checkout_failed", "Checkout failed", "shop", "error", newError());
  }

  /** For comparison: only creating the exception (its three stack traces). */
  @Benchmark
  public Object createExceptionOnly() {
    return newError();
  }

  private final java.util.Map<String, Object> metadata =
      java.util.Map.of("phase", "implementation", "provider", "openai");

  /** VIBEZEN's record_system_metric: a gauge type with two metadata entries kept as an event. */
  @Benchmark
  public boolean recordSystemMetric() {
    return rec.recordSystemMetric("cache_hit_rate", 0.7, metadata);
  }

  @Benchmark
  public void recordFileOperationWithEvent() {
    rec.recordFileOperation("write", "/data/out/result.json", 2048, 0.01, true, null);
  }

  /**
   * What an event costs when the writer keeps up: normalise the path, format the JSON line, and
   * write it to the file (this thread flushes every 1,024 events, so the disk write is amortised
   * into the figure instead of being skipped by the drop path).
   */
  @Benchmark
  public void fileEventFormatAndWrite() {
    directLog.append(
        "file_write",
        FilePaths.normalize("/data/out/result.json"),
        null,
        2048,
        true,
        null,
        System.currentTimeMillis());
    if ((++appended & 1023) == 0) {
      directLog.flush();
    }
  }

  @Benchmark
  public double measureDuration() {
    try (Span s = rec.measureDuration("code_generation", null)) {
      return s.durationSeconds();
    }
  }
}
