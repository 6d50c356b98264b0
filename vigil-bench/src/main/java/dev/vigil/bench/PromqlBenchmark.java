package dev.vigil.bench;

import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.model.Queryable;
import dev.vigil.promql.Engine;
import dev.vigil.promql.QueryResult;
import dev.vigil.promql.parser.Expr;
import dev.vigil.promql.parser.Parser;
import dev.vigil.promql.test.MemoryStorage;
import dev.vigil.tsdb.Tsdb;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * PromQL evaluation over 1,000 series scraped every 15 s: {@code rate}, {@code sum by (job) (rate)}
 * and {@code histogram_quantile} as range queries over 1 h, 6 h and 24 h at a 15 s step, plus parse
 * time of typical queries.
 *
 * <pre>
 * ./mvnw -B -q -pl vigil-bench -am package -DskipTests
 * java -jar vigil-bench/target/benchmarks.jar PromqlBenchmark -f 1 -wi 2 -i 3
 * </pre>
 *
 * <p>Data: 1,000 counter series {@code x{job, instance}} (10 jobs) and 1,000 bucket series {@code
 * x_bucket{instance, le}} (100 instances × 10 buckets), 24 h of samples, held in {@link
 * MemoryStorage} and read only through {@code Queryable}. The same data is fed to Prometheus by
 * {@code scripts/bench-promql-vs-prometheus} for the side-by-side figures in docs/BENCHMARKS.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgs = {"-Xmx3g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class PromqlBenchmark {
  /** Scrape interval and query step. */
  static final long STEP = 15_000;

  static final long DAY = 24 * 3_600_000L;
  static final String[] LE = {
    "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "5", "+Inf"
  };

  @Param({"1h", "6h", "24h"})
  public String range;

  /** Where the data lives: the real store ({@code tsdb}) or the in-memory test store. */
  @Param({"tsdb", "memory"})
  public String store;

  private Engine engine;
  private long rangeMs;

  /** Receives generated samples. */
  public interface SampleSink {
    void add(Labels labels, long t, double v);
  }

  /**
   * Generates the benchmark's series with samples every 15 s in {@code [start, end]}; the same
   * function feeds Vigil here and Prometheus in {@link PromqlCompare}.
   */
  public static void generate(long start, long end, SampleSink sink) {
    for (int s = 0; s < 1000; s++) {
      Labels l = Labels.of("__name__", "x", "job", "job" + (s % 10), "instance", "i" + s);
      double v = 0;
      for (long t = start; t <= end; t += STEP) {
        v += (s % 7) + 1 + ((t / STEP) % 3);
        sink.add(l, t, v);
      }
    }
    for (int i = 0; i < 100; i++) {
      for (int b = 0; b < LE.length; b++) {
        Labels l = Labels.of("__name__", "x_bucket", "instance", "i" + i, "le", LE[b]);
        long n = 0;
        for (long t = start; t <= end; t += STEP) {
          n++;
          sink.add(l, t, n * (b + 1) * (i % 5 + 1));
        }
      }
    }
  }

  /** The benchmark's data over 24 h from t=0 in a fresh store. */
  public static MemoryStorage data() {
    MemoryStorage db = new MemoryStorage();
    generate(0, DAY, db::add);
    return db;
  }

  private static MemoryStorage sharedMemory;
  private static Tsdb sharedTsdb;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    Queryable db;
    synchronized (PromqlBenchmark.class) {
      if (store.equals("memory")) {
        if (sharedMemory == null) {
          sharedMemory = data();
        }
        db = sharedMemory;
      } else {
        if (sharedTsdb == null) {
          Path dir = Files.createTempDirectory("vigil-promql-bench");
          sharedTsdb = Tsdb.builder(dir).withoutWal().rollups(false).open();
          Appender app = sharedTsdb.appender();
          // Time-major order, as scrapes arrive: every series at t, then t + 15 s, ...
          for (long t = 0; t <= DAY; t += 3_600_000L) {
            long from = t;
            long to = Math.min(DAY, t + 3_600_000L - 1);
            generateWindow(from, to, app);
            app.commit();
          }
        }
        db = (mint, maxt) -> sharedTsdb.querier(mint, maxt);
      }
    }
    engine = Engine.builder(db).build();
    rangeMs = Parser.parseDuration(range);
  }

  /** Appends the samples of {@code [from, to]} (the generator is deterministic per timestamp). */
  private static void generateWindow(long from, long to, Appender app) {
    // The generator's counters depend on all earlier samples; recompute them from 0 and keep
    // only the window, which is cheap next to the appends.
    generate(
        0,
        to,
        (labels, t, v) -> {
          if (t >= from) {
            app.append(0, labels, t, v);
          }
        });
  }

  private QueryResult range(String q) {
    return engine.rangeQuery(q, DAY - rangeMs, DAY, STEP);
  }

  @Benchmark
  public QueryResult rate() {
    return range("rate(x[5m])");
  }

  @Benchmark
  public QueryResult sumByJobRate() {
    return range("sum by (job) (rate(x[5m]))");
  }

  @Benchmark
  public QueryResult histogramQuantile() {
    return range("histogram_quantile(0.95, sum by (le) (rate(x_bucket[5m])))");
  }

  /** Parse time of typical dashboard queries (independent of {@link #range}). */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Expr parse() {
    Parser.parse("sum by (job) (rate(http_requests_total{job=~\"api|web\", code!=\"200\"}[5m]))");
    Parser.parse("histogram_quantile(0.95, sum by (le, route) (rate(x_bucket[5m])))");
    return Parser.parse(
        "100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode=\"idle\"}[1m])))"
            + " > on (instance) group_left (nodename) node_uname_info");
  }
}
