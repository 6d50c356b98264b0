package dev.vigil.bench;

import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.promql.Engine;
import dev.vigil.promql.QueryResult;
import dev.vigil.promql.SourceResolution;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A dashboard-style 48 h range query (step 10 m) over 200 counters scraped every 30 s and already
 * cut into blocks with rollups: raw data (the peer) against {@code max_source_resolution=auto}.
 *
 * <pre>
 * ./mvnw -B -q -pl vigil-bench -am package -DskipTests
 * java -jar vigil-bench/target/benchmarks.jar RollupQueryBenchmark -f 1 -wi 2 -i 3
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class RollupQueryBenchmark {
  static final int SERIES = 200;
  static final long HOUR = 3600_000L;
  static final long SCRAPE = 30_000;
  static final long START = 1_700_000_000_000L / HOUR * HOUR;
  static final long END = START + 48 * HOUR;

  @Param({"sum(rate(bench_total[1h]))", "bench_total"})
  public String query;

  private Path dir;
  private Tsdb db;
  private Engine engine;

  @Setup(Level.Trial)
  public void setup() throws Exception {
    dir = Files.createTempDirectory("vigil-jmh-rollups");
    db = Tsdb.builder(dir).backgroundInterval(Duration.ZERO).log(m -> {}).open();
    Random r = new Random(1);
    long[] refs = new long[SERIES];
    double[] vals = new double[SERIES];
    Appender app = db.appender();
    for (long t = START; t < END + 4 * HOUR; t += SCRAPE) {
      for (int s = 0; s < SERIES; s++) {
        vals[s] += r.nextInt(100);
        refs[s] =
            app.append(
                refs[s],
                Labels.of("__name__", "bench_total", "job", "node", "instance", "host-" + s),
                t,
                vals[s]);
      }
      app.commit();
    }
    db.maintain();
    engine = Engine.builder(db).build();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    db.close();
    dev.vigil.tsdb.block.BlockWriter.deleteTree(dir);
  }

  @Benchmark
  public QueryResult raw() {
    return engine.rangeQuery(query, START + HOUR, END, 600_000, SourceResolution.RAW);
  }

  @Benchmark
  public QueryResult auto() {
    return engine.rangeQuery(query, START + HOUR, END, 600_000, SourceResolution.AUTO);
  }
}
