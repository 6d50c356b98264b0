package dev.vigil.bench;

import dev.vigil.promql.Engine;
import dev.vigil.promql.test.MemoryStorage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Side-by-side timing of the {@link PromqlBenchmark} queries on Vigil and on a Prometheus server
 * holding the same data, run by {@code scripts/bench-promql-vs-prometheus}.
 *
 * <pre>
 * java -cp vigil-bench/target/benchmarks.jar dev.vigil.bench.PromqlCompare write FILE START_MS END_MS
 * java -cp vigil-bench/target/benchmarks.jar dev.vigil.bench.PromqlCompare compare URL START_MS END_MS
 * </pre>
 *
 * <p>{@code write} emits the data as OpenMetrics for {@code promtool tsdb create-blocks-from
 * openmetrics}; {@code compare} runs each query 7 times per side (after 2 warm-up runs) and prints
 * the medians and their ratio. Prometheus is timed over HTTP ({@code /api/v1/query_range},
 * including JSON encoding); Vigil in process, including building its result objects.
 */
public final class PromqlCompare {
  private static final String[] QUERIES = {
    "rate(x[5m])",
    "sum by (job) (rate(x[5m]))",
    "histogram_quantile(0.95, sum by (le) (rate(x_bucket[5m])))"
  };
  private static final int RUNS = 7;

  private PromqlCompare() {}

  public static void main(String[] args) throws Exception {
    long start = Long.parseLong(args[2]);
    long end = Long.parseLong(args[3]);
    switch (args[0]) {
      case "write" -> write(Path.of(args[1]), start, end);
      case "compare" -> compare(args[1], start, end);
      default ->
          throw new IllegalArgumentException("usage: write FILE START END | compare URL START END");
    }
  }

  private static void write(Path file, long start, long end) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      String[] family = {null};
      PromqlBenchmark.generate(
          start,
          end,
          (labels, t, v) -> {
            try {
              String name = labels.metricName();
              if (!name.equals(family[0])) {
                w.write("# TYPE " + name + " gauge\n");
                family[0] = name;
              }
              StringBuilder sb = new StringBuilder(name).append('{');
              boolean first = true;
              for (int i = 0; i < labels.size(); i++) {
                if (labels.name(i).equals("__name__")) {
                  continue;
                }
                if (!first) {
                  sb.append(',');
                }
                first = false;
                sb.append(labels.name(i)).append("=\"").append(labels.value(i)).append('"');
              }
              sb.append("} ").append((long) v).append(' ');
              sb.append(t / 1000).append('.').append(String.format(Locale.ROOT, "%03d", t % 1000));
              w.write(sb.append('\n').toString());
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          });
      w.write("# EOF\n");
    }
  }

  private static void compare(String url, long start, long end) throws Exception {
    MemoryStorage db = new MemoryStorage();
    PromqlBenchmark.generate(start, end, db::add);
    Engine engine = Engine.builder(db).build();
    HttpClient http = HttpClient.newHttpClient();
    long[] ranges = {3_600_000L, 6 * 3_600_000L};
    System.out.println(
        "| query | range | Vigil median ms | Prometheus median ms | Prometheus / Vigil |");
    System.out.println("|---|---|---|---|---|");
    for (String q : QUERIES) {
      for (long r : ranges) {
        long qs = end - r;
        if (qs - 300_000 < start) {
          continue;
        }
        double vigil =
            median(() -> engine.rangeQuery(q, qs, end, PromqlBenchmark.STEP).matrix().size());
        String uri =
            url
                + "/api/v1/query_range?query="
                + URLEncoder.encode(q, StandardCharsets.UTF_8)
                + "&start="
                + qs / 1000.0
                + "&end="
                + end / 1000.0
                + "&step=15";
        double prom =
            median(
                () -> {
                  HttpResponse<String> resp =
                      http.send(
                          HttpRequest.newBuilder(URI.create(uri)).build(),
                          HttpResponse.BodyHandlers.ofString());
                  if (resp.statusCode() != 200 || !resp.body().contains("\"success\"")) {
                    throw new IllegalStateException("Prometheus answered " + resp.statusCode());
                  }
                  return resp.body().length();
                });
        System.out.printf(
            Locale.ROOT,
            "| `%s` | %dh | %.1f | %.1f | %.2f |%n",
            q,
            r / 3_600_000,
            vigil,
            prom,
            prom / vigil);
      }
    }
  }

  interface Run {
    Object run() throws Exception;
  }

  private static double median(Run r) throws Exception {
    List<Double> ms = new ArrayList<>();
    for (int i = 0; i < RUNS + 2; i++) {
      long t0 = System.nanoTime();
      r.run();
      double d = (System.nanoTime() - t0) / 1e6;
      if (i >= 2) {
        ms.add(d);
      }
    }
    double[] a = ms.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(a);
    return a[a.length / 2];
  }
}
