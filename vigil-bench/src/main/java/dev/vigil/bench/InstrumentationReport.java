package dev.vigil.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the instrumentation benchmarks at 1 and 2 threads with the GC profiler and prints the
 * "Instrumentation" table of {@code docs/BENCHMARKS.md}: median score per library and case, its
 * ratio to client_java, and bytes allocated per operation.
 *
 * <pre>{@code
 * java -cp vigil-bench/target/benchmarks.jar dev.vigil.bench.InstrumentationReport [forks]
 * }</pre>
 */
public final class InstrumentationReport {
  private static final String[] LIBS = {"vigil", "prometheus", "micrometer", "dropwizard"};

  private InstrumentationReport() {}

  /** Runs everything; the optional argument is the number of forks (default 3). */
  public static void main(String[] args) throws RunnerException, IOException {
    int forks = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    StringBuilder out = new StringBuilder();
    out.append(
        "| case | threads | vigil | client_java | micrometer | dropwizard | vigil / client_java"
            + " | vigil B/op | client_java B/op |\n");
    out.append("|---|---|---|---|---|---|---|---|---|\n");
    for (int threads : new int[] {1, 2}) {
      Map<String, Map<String, double[]>> cases = new LinkedHashMap<>();
      collect(cases, run("CounterBenchmark", threads, forks));
      collect(cases, run("HistogramBenchmark", threads, forks));
      collect(cases, run("ExpositionBenchmark", threads, forks));
      for (Map.Entry<String, Map<String, double[]>> c : cases.entrySet()) {
        Map<String, double[]> byLib = c.getValue();
        double[] v = byLib.get("vigil");
        double[] p = byLib.get("prometheus");
        out.append("| ").append(c.getKey()).append(" | ").append(threads);
        for (String lib : LIBS) {
          double[] r = byLib.get(lib);
          out.append(" | ").append(r == null ? "–" : fmt(r[0]));
        }
        boolean throughput = c.getKey().startsWith("write");
        String ratio =
            v == null || p == null
                ? "–"
                : throughput
                    ? String.format(Locale.ROOT, "%.2f× throughput", v[0] / p[0])
                    : String.format(Locale.ROOT, "%.2f× time", v[0] / p[0]);
        out.append(" | ").append(ratio);
        out.append(" | ").append(v == null ? "–" : fmt(v[1]));
        out.append(" | ").append(p == null ? "–" : fmt(p[1]));
        out.append(" |\n");
      }
    }
    System.out.println();
    System.out.print(out);
    Path report = Path.of("vigil-bench/target/instrumentation-report.md");
    Files.createDirectories(report.getParent());
    Files.writeString(report, out);
    System.out.println("written to " + report);
  }

  private static Collection<RunResult> run(String benchmark, int threads, int forks)
      throws RunnerException {
    ChainedOptionsBuilder o =
        new OptionsBuilder()
            .include("dev\\.vigil\\.bench\\." + benchmark + "\\.")
            .threads(threads)
            .forks(forks)
            .warmupIterations(2)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(3)
            .measurementTime(TimeValue.seconds(1))
            .addProfiler("gc");
    return new Runner(o.build()).run();
  }

  private static void collect(Map<String, Map<String, double[]>> cases, Collection<RunResult> rs) {
    for (RunResult r : rs) {
      String method = r.getParams().getBenchmark();
      method = method.substring(method.lastIndexOf('.') + 1);
      String lib = null;
      for (String l : LIBS) {
        if (method.startsWith(l)) {
          lib = l;
        }
      }
      if (lib == null) {
        continue;
      }
      String caseName = method.substring(lib.length());
      caseName = Character.toLowerCase(caseName.charAt(0)) + caseName.substring(1);
      List<String> params = new ArrayList<>();
      for (String k : r.getParams().getParamsKeys()) {
        params.add(k + "=" + r.getParams().getParam(k));
      }
      if (!params.isEmpty()) {
        caseName += " " + String.join(",", params);
      }
      caseName += " (" + r.getPrimaryResult().getScoreUnit() + ")";
      double median = r.getPrimaryResult().getStatistics().getPercentile(50);
      Result alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
      double bytes = alloc == null ? Double.NaN : alloc.getStatistics().getPercentile(50);
      cases
          .computeIfAbsent(caseName, k -> new LinkedHashMap<>())
          .put(lib, new double[] {median, bytes});
    }
  }

  private static String fmt(double d) {
    if (Double.isNaN(d)) {
      return "–";
    }
    if (d >= 100) {
      return String.format(Locale.ROOT, "%,.0f", d);
    }
    return String.format(Locale.ROOT, "%.2f", d);
  }
}
