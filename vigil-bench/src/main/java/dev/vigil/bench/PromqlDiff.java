package dev.vigil.bench;

import dev.vigil.model.Labels;
import dev.vigil.promql.Engine;
import dev.vigil.promql.QueryResult;
import dev.vigil.promql.test.MemoryStorage;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Differential check: the same range queries on Vigil and on a Prometheus server holding the same
 * data must give the same series and values (relative tolerance 1e-6). Evaluation times are 7 s off
 * the 15 s sample grid, so no sample sits on a window boundary, where Prometheus 2.42 (closed
 * windows) and 3.x (left-open, which Vigil follows) legitimately differ.
 *
 * <pre>
 * java -cp vigil-bench/target/benchmarks.jar dev.vigil.bench.PromqlDiff URL START_MS END_MS
 * </pre>
 *
 * Run by {@code scripts/bench-promql-vs-prometheus}; exits 1 when any query differs.
 */
public final class PromqlDiff {
  static final String[] QUERIES = {
    "x{instance=~\"i1.\"}",
    "rate(x{job=\"job3\"}[5m])",
    "irate(x{job=\"job3\"}[5m])",
    "increase(x{job=\"job1\"}[10m])",
    "delta(x{job=\"job1\"}[5m])",
    "idelta(x{job=\"job1\"}[5m])",
    "deriv(x{job=\"job2\"}[5m])",
    "predict_linear(x{job=\"job2\"}[10m], 600)",
    "changes(x{job=\"job4\"}[10m])",
    "resets(x{job=\"job4\"}[10m])",
    "sum by (job) (rate(x[5m]))",
    "avg without (instance) (x)",
    "max by (job) (x) - min by (job) (x)",
    "count(x > 100000)",
    "stddev by (job) (rate(x[5m]))",
    "stdvar(rate(x[5m]))",
    "quantile(0.9, rate(x[5m]))",
    "topk(3, rate(x[5m]))",
    "bottomk(2, x)",
    "histogram_quantile(0.9, sum by (le) (rate(x_bucket[5m])))",
    "histogram_quantile(0.5, rate(x_bucket{instance=~\"i[0-4]\"}[5m]))",
    "max_over_time(x{job=\"job5\"}[5m])",
    "min_over_time(x{job=\"job5\"}[5m])",
    "avg_over_time(x{job=\"job5\"}[5m])",
    "sum_over_time(x{job=\"job5\"}[5m])",
    "count_over_time(x{job=\"job5\"}[5m])",
    "quantile_over_time(0.3, x{job=\"job5\"}[5m])",
    "stddev_over_time(x{job=\"job6\"}[5m])",
    "last_over_time(x{job=\"job6\"}[1m])",
    "max_over_time(rate(x{job=\"job7\"}[2m])[10m:1m])",
    "x{job=\"job8\"} offset 10m",
    "rate(x{job=\"job8\"}[5m] offset 5m)",
    "x{job=\"job9\"} / on (instance) group_left x{job=\"job9\"}",
    "x{job=\"job0\"} and on (instance) x{instance=~\"i[0-5]0\"}",
    "x{job=\"job0\"} unless x{instance=\"i10\"}",
    "sum by (job) (x) / ignoring (job) group_left sum(x)",
    "label_replace(x{job=\"job1\"}, \"j\", \"n$1\", \"job\", \"job(.*)\")",
    "label_join(x{job=\"job1\"}, \"ji\", \"-\", \"job\", \"instance\")",
    "abs(x{job=\"job2\"} - 100000)",
    "clamp(x{job=\"job2\"}, 1000, 50000)",
    "round(x{job=\"job2\"} / 7, 0.5)",
    "sqrt(x{job=\"job2\"}) + ln(x{job=\"job2\"}) + exp(x{job=\"job2\"} / 1e6)",
    "timestamp(x{job=\"job3\"})",
    "x{job=\"job3\"} > bool 200000",
    "vector(1) + scalar(sum(x{instance=\"i1\"}))",
    "absent(nonexistent{job=\"a\"})",
    "count_values(\"v\", x{job=\"job1\"} % 5)",
    "group by (job) (x)",
    "-x{job=\"job4\"} ^ 2 % 1000",
    "time() - timestamp(x{instance=\"i7\"})",
    "x{instance=\"i3\"} @ end()",
    "rate(x{job=\"job3\"}[5m] @ start())",
    "sum(x{job=\"job2\"} offset -10m)",
    "absent_over_time(x{instance=\"i1\"}[5m])",
    "present_over_time(x{instance=\"i1\"}[5m])",
    "sort_desc(sum by (job) (x))",
    "x{instance=\"i5\"} == bool on () group_left x{instance=\"i5\"}",
    "histogram_fraction(0, 0.1, sum by (le) (rate(x_bucket[5m])))",
  };

  /*
   * Where Prometheus 2.42 and 3.x (which Vigil follows) legitimately differ. Subquery steps are
   * aligned to multiples of the step, so the inner rate() windows start exactly on samples:
   * 2.42 counts that sample (closed window), 3.x does not. histogram_fraction over classic
   * buckets came after 2.42, which returns nothing for it.
   */
  static final java.util.Map<String, String> KNOWN_2_42_DIFFERENCES =
      java.util.Map.of(
          "max_over_time(rate(x{job=\"job7\"}[2m])[10m:1m])", "2.42 closed windows",
          "histogram_fraction(0, 0.1, sum by (le) (rate(x_bucket[5m])))",
              "2.42 has histogram_fraction for native histograms only");

  private PromqlDiff() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    long start = Long.parseLong(args[1]);
    long end = Long.parseLong(args[2]);
    MemoryStorage db = new MemoryStorage();
    PromqlBenchmark.generate(start, end, db::add);
    Engine engine = Engine.builder(db).build();
    HttpClient http = HttpClient.newHttpClient();
    long qEnd = end - 8_000;
    long qStart = qEnd - 1_800_000;
    int differ = 0;
    for (String q : QUERIES) {
      QueryResult mine = engine.rangeQuery(q, qStart, qEnd, 60_000);
      Map<String, Map<Long, Double>> vigil = new TreeMap<>();
      for (QueryResult.Series s : mine.matrix()) {
        Map<Long, Double> pts = new TreeMap<>();
        for (int i = 0; i < s.size(); i++) {
          pts.put(s.timestamps()[i], s.values()[i]);
        }
        vigil.put(key(s.labels()), pts);
      }
      String uri =
          url
              + "/api/v1/query_range?query="
              + URLEncoder.encode(q, StandardCharsets.UTF_8)
              + "&start="
              + qStart / 1000.0
              + "&end="
              + qEnd / 1000.0
              + "&step=60";
      String body =
          http.send(
                  HttpRequest.newBuilder(URI.create(uri)).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      Map<String, Map<Long, Double>> prom = parse(body);
      String diff = compare(vigil, prom);
      if (diff == null) {
        System.out.println("same   " + q + " (" + vigil.size() + " series)");
      } else if (KNOWN_2_42_DIFFERENCES.containsKey(q)) {
        System.out.println("known  " + q + " (" + KNOWN_2_42_DIFFERENCES.get(q) + "): " + diff);
      } else {
        differ++;
        System.out.println("DIFFER " + q + ": " + diff);
      }
    }
    System.out.println(
        (QUERIES.length - differ - KNOWN_2_42_DIFFERENCES.size())
            + " of "
            + QUERIES.length
            + " queries identical to Prometheus, "
            + KNOWN_2_42_DIFFERENCES.size()
            + " known 2.42-vs-3 differences, "
            + differ
            + " unexplained");
    System.exit(differ == 0 ? 0 : 1);
  }

  private static String key(Labels l) {
    return l.toMap().toString();
  }

  private static final Pattern SERIES =
      Pattern.compile("\\{\"metric\":\\{([^}]*)\\},\"values\":\\[(.*?)\\]\\]\\}");
  private static final Pattern LABEL =
      Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\":\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern POINT = Pattern.compile("\\[([0-9.]+),\"([^\"]+)\"");

  /** Reads Prometheus' matrix JSON (label values here need no unescaping). */
  static Map<String, Map<Long, Double>> parse(String body) {
    if (!body.contains("\"status\":\"success\"")) {
      throw new IllegalStateException("Prometheus error: " + body);
    }
    Map<String, Map<Long, Double>> out = new TreeMap<>();
    Matcher m = SERIES.matcher(body);
    while (m.find()) {
      Map<String, String> labels = new TreeMap<>();
      Matcher lm = LABEL.matcher(m.group(1));
      while (lm.find()) {
        labels.put(lm.group(1), lm.group(2));
      }
      Map<Long, Double> pts = new TreeMap<>();
      Matcher pm = POINT.matcher(m.group(2) + "]");
      while (pm.find()) {
        long t = Math.round(Double.parseDouble(pm.group(1)) * 1000);
        String v = pm.group(2);
        pts.put(
            t,
            switch (v) {
              case "+Inf" -> Double.POSITIVE_INFINITY;
              case "-Inf" -> Double.NEGATIVE_INFINITY;
              case "NaN" -> Double.NaN;
              default -> Double.parseDouble(v);
            });
      }
      out.put(labels.toString(), pts);
    }
    return out;
  }

  static String compare(Map<String, Map<Long, Double>> a, Map<String, Map<Long, Double>> b) {
    if (!a.keySet().equals(b.keySet())) {
      Map<String, Integer> only = new HashMap<>();
      a.keySet().stream()
          .filter(k -> !b.containsKey(k))
          .limit(2)
          .forEach(k -> only.put("vigil " + k, 1));
      b.keySet().stream()
          .filter(k -> !a.containsKey(k))
          .limit(2)
          .forEach(k -> only.put("prometheus " + k, 1));
      return a.size() + " vs " + b.size() + " series; only in " + only.keySet();
    }
    for (String k : a.keySet()) {
      Map<Long, Double> pa = a.get(k);
      Map<Long, Double> pb = b.get(k);
      if (!pa.keySet().equals(pb.keySet())) {
        return k + ": points at " + pa.keySet() + " vs " + pb.keySet();
      }
      for (Long t : pa.keySet()) {
        double x = pa.get(t);
        double y = pb.get(t);
        boolean same =
            (Double.isNaN(x) && Double.isNaN(y))
                || x == y
                || Math.abs(x - y) <= 1e-6 * Math.max(Math.abs(x), Math.abs(y));
        if (!same) {
          return k + " at " + t + ": " + x + " vs " + y;
        }
      }
    }
    return null;
  }
}
