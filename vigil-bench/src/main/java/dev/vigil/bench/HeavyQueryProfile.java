package dev.vigil.bench;

import dev.vigil.promql.Engine;
import dev.vigil.tsdb.Tsdb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The queries of {@link ServerBenchHeavy} evaluated in process, through {@link Engine} on the
 * prepared Vigil store, without HTTP: for profiling ({@code -XX:StartFlightRecording}) and for
 * measuring one engine change at a time.
 *
 * <pre>{@code
 * scripts/bench-server --heavy        # prepares vigil-bench/target/heavy once
 * java -cp vigil-bench/target/benchmarks.jar dev.vigil.bench.HeavyQueryProfile \
 *     vigil-bench/target/heavy [ROUNDS [FIRST_SAMPLE_MS]]
 * }</pre>
 */
public final class HeavyQueryProfile {
  private HeavyQueryProfile() {}

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    long t0 =
        args.length > 2
            ? Long.parseLong(args[2])
            : Long.parseLong(Files.readString(work.resolve("start")).trim());
    long start = t0 + 7_000;
    long end = start + 24 * 3600 * 1000L - 60_000;
    try (Tsdb db =
        Tsdb.builder(work.resolve("vigil-data"))
            .backgroundInterval(Duration.ZERO)
            .log(m -> {})
            .open()) {
      Engine engine = Engine.builder(db).timeout(Duration.ofMinutes(5)).build();
      int n = ServerBenchHeavy.QUERIES.size();
      // -Dqueries=2,8: only those (1-based), to measure one change on the queries it touches
      java.util.Set<Integer> only = new java.util.HashSet<>();
      for (String x : System.getProperty("queries", "").split(",")) {
        if (!x.isBlank()) {
          only.add(Integer.parseInt(x.trim()) - 1);
        }
      }
      double[][] ms = new double[n][rounds];
      // CPU time of this thread as well: on a machine loaded by others, wall time mostly measures
      // the others; the engine evaluates a query on the calling thread.
      double[][] cpu = new double[n][rounds];
      var mx = java.lang.management.ManagementFactory.getThreadMXBean();
      for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < n; i++) {
          if (!only.isEmpty() && !only.contains(i)) {
            continue;
          }
          long t = System.nanoTime();
          long c = mx.getCurrentThreadCpuTime();
          engine.rangeQuery(ServerBenchHeavy.QUERIES.get(i), start, end, 60_000);
          ms[i][r] = (System.nanoTime() - t) / 1e6;
          cpu[i][r] = (mx.getCurrentThreadCpuTime() - c) / 1e6;
        }
      }
      double total = 0;
      double totalCpu = 0;
      for (int i = 0; i < n; i++) {
        if (!only.isEmpty() && !only.contains(i)) {
          continue;
        }
        double m = ServerBench.median(ms[i]);
        double mc = ServerBench.median(cpu[i]);
        total += m;
        totalCpu += mc;
        System.out.printf(
            Locale.ROOT,
            "%8.0f ms wall (first %6.0f), %8.0f ms cpu (first %6.0f)  %s%n",
            m,
            ms[i][0],
            mc,
            cpu[i][0],
            ServerBenchHeavy.QUERIES.get(i));
      }
      System.out.printf(
          Locale.ROOT,
          "%8.0f ms wall, %8.0f ms cpu: sums of medians over %d rounds%n",
          total,
          totalCpu,
          rounds);
    }
  }
}
