package dev.vigil.bench;

import dev.vigil.model.Appender;
import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.model.Querier;
import dev.vigil.model.SampleIterator;
import dev.vigil.model.SelectHints;
import dev.vigil.model.SeriesSet;
import dev.vigil.tsdb.Tsdb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
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
 * Selects 1,000 series over 2 h (480 samples each at 15 s) and decodes every sample, from the head
 * (Gorilla XOR chunks: Prometheus' chunk encoding, the peer) and from a block (Vigil's cold
 * columnar encoding with shared timestamp columns).
 *
 * <pre>
 * ./mvnw -B -q -pl vigil-bench -am package -DskipTests
 * java -jar vigil-bench/target/benchmarks.jar TsdbQueryBenchmark -f 1 -wi 2 -i 3
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class TsdbQueryBenchmark {
  static final int SERIES = 1000;
  static final long RANGE = 2 * 3600_000L;
  static final long STEP = 15_000;
  static final long START = 1_700_000_000_000L / RANGE * RANGE;

  private Path headDir;
  private Path blockDir;
  private Tsdb head;
  private Tsdb block;

  @Setup(Level.Trial)
  public void setup() throws Exception {
    headDir = Files.createTempDirectory("vigil-jmh-head");
    blockDir = Files.createTempDirectory("vigil-jmh-block");
    head = open(headDir);
    block = open(blockDir);
    fill(head);
    fill(block);
    block.flushHead();
  }

  private static Tsdb open(Path dir) throws Exception {
    return Tsdb.builder(dir).backgroundInterval(Duration.ZERO).rollups(false).log(m -> {}).open();
  }

  private static void fill(Tsdb db) {
    Random r = new Random(1);
    long[] refs = new long[SERIES];
    double[] vals = new double[SERIES];
    Appender app = db.appender();
    for (long t = START; t < START + RANGE; t += STEP) {
      for (int s = 0; s < SERIES; s++) {
        vals[s] += s % 3 == 0 ? 0 : r.nextInt(1000); // a third constant, the rest counters
        refs[s] =
            app.append(
                refs[s],
                Labels.of("__name__", "bench_total", "job", "node", "instance", "host-" + s),
                t,
                vals[s]);
      }
      app.commit();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    head.close();
    block.close();
    dev.vigil.tsdb.block.BlockWriter.deleteTree(headDir);
    dev.vigil.tsdb.block.BlockWriter.deleteTree(blockDir);
  }

  @Benchmark
  public double headXorChunks() {
    return readAll(head);
  }

  @Benchmark
  public double blockColdColumns() {
    return readAll(block);
  }

  static double readAll(Tsdb db) {
    double sum = 0;
    long n = 0;
    try (Querier q = db.querier(START, START + RANGE - 1)) {
      SeriesSet set =
          q.select(
              SelectHints.range(START, START + RANGE - 1),
              LabelMatcher.equal("__name__", "bench_total"));
      while (set.next()) {
        SampleIterator it = set.at().iterator();
        while (it.next()) {
          sum += it.value();
          n++;
        }
      }
    }
    if (n != (long) SERIES * (RANGE / STEP)) {
      throw new IllegalStateException("read " + n + " samples");
    }
    return sum;
  }
}
