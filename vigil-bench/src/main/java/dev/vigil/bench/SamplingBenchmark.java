package dev.vigil.bench;

import dev.vigil.collectors.recorders.Recorders;
import dev.vigil.collectors.recorders.Span;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What sampling saves: the recorder calls that keep an event or an exemplar, with every event kept
 * ({@code sampling=1.0}), one in ten ({@code 0.1}) and none ({@code 0}: events off). Counters and
 * histograms are updated in every case.
 *
 * <p>Run: {@code java -jar vigil-bench/target/benchmarks.jar SamplingBenchmark -f 1 -wi 2 -i 3}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class SamplingBenchmark {

  @Param({"1.0", "0.1", "0"})
  public double sampling;

  private Recorders rec;
  private Path eventsDir;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    eventsDir = Files.createTempDirectory("vigil-bench-sampling");
    rec =
        Recorders.builder()
            .namespace("bench")
            .fileEventsLog(eventsDir.resolve("events.jsonl"))
            .sampling(sampling)
            .build();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    long dropped = rec.fileEventsDropped();
    rec.close();
    System.out.println("file events dropped by the full buffer: " + dropped);
    try (var files = Files.list(eventsDir)) {
      for (Path p : files.toList()) {
        Files.deleteIfExists(p);
      }
    }
    Files.deleteIfExists(eventsDir);
  }

  /** Counter, two histograms, and the JSON line of the file events log when sampled. */
  @Benchmark
  public void recordFileOperationWithEvent() {
    rec.recordFileOperation("write", "/data/out/result.json", 2048, 0.01, true, null);
  }

  /** Counters, the per-minute window, and the recent-errors ring when sampled. */
  @Benchmark
  public void recordError() {
    rec.recordError("connection_timeout", "Failed to connect to ComfyUI", "comfyui", "error");
  }

  /** A counter, and the recent quality events ring when sampled. */
  @Benchmark
  public void recordFinding() {
    rec.recordFinding("linter", "high", "unused import in Parser.java");
  }

  /** A span: the histogram always; the recent-spans ring and an exemplar (10/s) when sampled. */
  @Benchmark
  public double measureDuration() {
    try (Span s = rec.measureDuration("code_generation", null)) {
      return s.durationSeconds();
    }
  }
}
