package dev.vigil.bench;

import dev.vigil.bench.ServerBench.Server;
import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.tsdb.Tsdb;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The heavy server benchmark: 20,000 series ({@code ../shared/datasets/20kseries.json}) over 24 h
 * at 15 s (115.2 million samples) in Vigil's TSDB and in Prometheus 2.42, dashboard queries over
 * the whole 24 h at a 1-minute step through each server's {@code /api/v1/query_range}, answers
 * checked equal, latency compared: the first round after start, then medians after {@link
 * ServerBench#WARMUP_ROUNDS} untimed rounds (set {@code VIGIL_BENCH_WARMUP=20}).
 *
 * <pre>{@code
 * scripts/bench-server --heavy [RUNS]
 * }</pre>
 */
/*
 * Data. Each series gets a deterministic value sequence from a counter-based hash of (series id,
 * step), so Vigil (appended time-major, scrape by scrape, as a server ingests) and Prometheus
 * (OpenMetrics text, series-major, one file per 2 h window so that promtool parses each line once)
 * hold the same floats. Counters grow by whole numbers (http_requests_total also resets now and
 * then); gauges walk. The histogram family's le label, three finite values in the file, is mapped
 * onto a 10-bucket ladder ending in +Inf (by id / 200, so each instance has every bucket) and all
 * buckets of an instance grow in proportion, so histogram_quantile has real, monotonic buckets.
 *
 * The data starts on a 54 h boundary (Prometheus' third compaction level) so both stores compact it
 * into few blocks; both are compacted before any timing (Vigil by maintain(), Prometheus by
 * running it once until its block count settles), and the prepared directories are kept in WORKDIR
 * for later runs while they are within retention.
 */
public final class ServerBenchHeavy {
  static final long STEP_MS = 15_000;
  static final int SAMPLES = 24 * 3600 / 15;
  static final long BLOCK_MS = 2 * 3600 * 1000;
  static final String[] LE = {
    "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf"
  };
  static final double[] CDF = {0.05, 0.1, 0.2, 0.35, 0.5, 0.7, 0.85, 0.95, 0.99, 1.0};

  /** Dashboard queries over all 20,000 series or one family of 2,500. */
  static final List<String> QUERIES =
      List.of(
          "sum by (instance) (rate({job=\"node\"}[5m]))",
          "sum by (cpu) (rate(node_cpu_seconds_total[5m]))",
          "sum by (instance) (rate(http_requests_total[5m]))",
          "histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))",
          "histogram_quantile(0.99, sum by (le, instance)"
              + " (rate(http_request_duration_seconds_bucket[5m])))",
          "topk(5, rate(node_network_receive_bytes_total[5m]))",
          "max by (instance) (max_over_time(process_resident_memory_bytes[1h]))",
          "avg by (instance) (avg_over_time(node_memory_bytes[1h]))",
          "sum by (cpu) (sum_over_time(go_gc_duration_seconds[1h]))",
          // offset 7s: the subquery's steps fall on the minute, so on the 15 s sample grid, where
          // Prometheus 2.42 (closed windows) and 3 (left-open, as Vigil) differ
          "max_over_time(sum by (instance) (rate(http_requests_total[5m] offset 7s))[1h:1m])");

  private ServerBenchHeavy() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: ServerBenchHeavy 20kseries.json WORKDIR VIGIL_LAUNCHER [RUNS]");
      System.exit(2);
    }
    Path json = Path.of(args[0]);
    Path work = Path.of(args[1]).toAbsolutePath();
    Path launcher = Path.of(args[2]).toAbsolutePath();
    int runs = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    Files.createDirectories(work);
    Files.writeString(work.resolve("prometheus.yml"), "scrape_configs: []\n");
    long t0 = prepare(json, work);
    Path vdata = work.resolve("vigil-data");
    Path pdata = work.resolve("prom-data");

    double load0 = loadAverage();
    long start = t0 + 7_000; // off the 15 s grid: no sample on a window boundary
    long end = start + 24 * 3600 * 1000L - 60_000;
    List<String> forms = new ArrayList<>();
    for (String q : QUERIES) {
      forms.add(ServerBench.form(q, start / 1000.0, end / 1000.0, 60));
    }
    int n = QUERIES.size();
    double[][] first = new double[2][n];
    double[][] timed = new double[2 * n][runs];
    String[] same = new String[n];
    try (Server vigil = Server.start(ServerBench.vigilCommand(launcher, vdata), work, "vigil");
        Server prom = Server.start(ServerBench.promCommand(pdata), work, "prometheus")) {
      for (int i = 0; i < n; i++) {
        // The first round after start; alternate which server goes first.
        Timed v;
        Timed p;
        if (i % 2 == 0) {
          v = fetch(vigil.base, forms.get(i));
          p = fetch(prom.base, forms.get(i));
        } else {
          p = fetch(prom.base, forms.get(i));
          v = fetch(vigil.base, forms.get(i));
        }
        first[0][i] = v.ms;
        first[1][i] = p.ms;
        Map<String, Map<Long, Double>> va = settled(PromqlDiff.parse(v.body), t0);
        Map<String, Map<Long, Double>> pa = settled(PromqlDiff.parse(p.body), t0);
        String diff = PromqlDiff.compare(va, pa);
        int series = pa.size();
        same[i] = diff == null ? "same (" + series + " series)" : "DIFFERENT: " + diff;
        System.err.println("query " + (i + 1) + " first round: " + same[i]);
      }
      for (int round = 0; round < ServerBench.WARMUP_ROUNDS; round++) {
        for (String f : forms) {
          ServerBench.time(vigil.base, f);
          ServerBench.time(prom.base, f);
        }
      }
      for (int k = 0; k < runs; k++) {
        for (int i = 0; i < n; i++) {
          boolean vigilFirst = (k + i) % 2 == 0;
          Server a = vigilFirst ? vigil : prom;
          Server b = vigilFirst ? prom : vigil;
          double ta = ServerBench.time(a.base, forms.get(i));
          double tb = ServerBench.time(b.base, forms.get(i));
          timed[2 * i][k] = vigilFirst ? ta : tb;
          timed[2 * i + 1][k] = vigilFirst ? tb : ta;
        }
      }
    }
    double load1 = loadAverage();
    System.out.printf(
        Locale.ROOT,
        "20,000 series x 24 h at 15 s (%d samples); queries over 24 h at a 60 s step;"
            + " %d warm-up rounds, %d timed runs (alternating); load average %.2f before, %.2f"
            + " after%n%n",
        20_000L * SAMPLES,
        ServerBench.WARMUP_ROUNDS,
        runs,
        load0,
        load1);
    System.out.printf(
        Locale.ROOT,
        "| # | query | first: vigil ms | prom ms | ratio | median: vigil ms | prom ms | ratio |"
            + " answers |%n|---|---|---|---|---|---|---|---|---|%n");
    double[] firstRatios = new double[n];
    double[] ratios = new double[n];
    for (int i = 0; i < n; i++) {
      double vm = ServerBench.median(timed[2 * i]);
      double pm = ServerBench.median(timed[2 * i + 1]);
      firstRatios[i] = first[0][i] / first[1][i];
      ratios[i] = vm / pm;
      System.out.printf(
          Locale.ROOT,
          "| %d | `%s` | %.0f | %.0f | %.2f | %.0f | %.0f | %.2f | %s |%n",
          i + 1,
          QUERIES.get(i),
          first[0][i],
          first[1][i],
          firstRatios[i],
          vm,
          pm,
          ratios[i],
          same[i]);
    }
    System.out.printf(
        Locale.ROOT,
        "%nmedian ratio vigil/prometheus: first round %.2f, after warm-up %.2f (min %.2f, max"
            + " %.2f)%n",
        ServerBench.median(firstRatios),
        ServerBench.median(ratios),
        Arrays.stream(ratios).min().orElse(0),
        Arrays.stream(ratios).max().orElse(0));
    for (String s : same) {
      if (!s.startsWith("same")) {
        System.exit(1);
      }
    }
  }

  /**
   * Points from 66 minutes into the data on, series with none dropped. Before that, windows reach
   * back to the first samples of every series, where Prometheus 2.42 extrapolates rate() towards
   * the series' start differently from Prometheus 3, which Vigil follows (the first hour also
   * decides topk's early picks and the subquery's early inputs); everything after is compared.
   */
  static Map<String, Map<Long, Double>> settled(Map<String, Map<Long, Double>> in, long t0) {
    long from = t0 + SETTLED_MS;
    Map<String, Map<Long, Double>> out = new java.util.TreeMap<>();
    in.forEach(
        (k, pts) -> {
          Map<Long, Double> kept = new java.util.TreeMap<>(pts);
          kept.keySet().removeIf(t -> t < from);
          if (!kept.isEmpty()) {
            out.put(k, kept);
          }
        });
    return out;
  }

  static final long SETTLED_MS = 66 * 60 * 1000L;

  record Timed(double ms, String body) {}

  static Timed fetch(String base, String form) throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<String> r =
        ServerBench.HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/query_range"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    double ms = (System.nanoTime() - t0) / 1e6;
    if (r.statusCode() != 200) {
      throw new IllegalStateException(base + " answered " + r.statusCode() + ": " + r.body());
    }
    return new Timed(ms, r.body());
  }

  static double loadAverage() throws IOException {
    return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
  }

  /**
   * Writes the data into {@code work/vigil-data} and {@code work/prom-data} unless a previous run
   * left both there (start time in {@code work/start}) recent enough for Vigil's retention; returns
   * the first sample's time.
   */
  static long prepare(Path json, Path work) throws Exception {
    Path vdata = work.resolve("vigil-data");
    Path pdata = work.resolve("prom-data");
    Path mark = work.resolve("start");
    long now = System.currentTimeMillis();
    if (Files.exists(mark)) {
      long t0 = Long.parseLong(Files.readString(mark).trim());
      if (t0 > now - Duration.ofDays(7).toMillis()) {
        System.err.println("using the data prepared in " + work);
        return t0;
      }
    }
    Files.deleteIfExists(mark);
    ServerBench.deleteTree(vdata);
    ServerBench.deleteTree(pdata);
    long level = 54 * 3600 * 1000L;
    long t0 = Math.floorDiv(now - 26 * 3600 * 1000L, level) * level;
    List<Map<String, String>> sets = readLabelSets(json);
    long t = System.nanoTime();
    writeVigil(sets, vdata, t0);
    System.err.printf(
        Locale.ROOT, "vigil: written and compacted in %.0f s%n", (System.nanoTime() - t) / 1e9);
    t = System.nanoTime();
    writePrometheus(sets, pdata, work, t0);
    System.err.printf(
        Locale.ROOT,
        "prometheus: promtool and compaction in %.0f s%n",
        (System.nanoTime() - t) / 1e9);
    Files.writeString(mark, Long.toString(t0));
    return t0;
  }

  private static final Pattern PAIR = Pattern.compile("\"([^\"]*)\":\\s*\"([^\"]*)\"");

  static List<Map<String, String>> readLabelSets(Path json) throws IOException {
    List<Map<String, String>> out = new ArrayList<>();
    for (String line : Files.readAllLines(json)) {
      if (line.isBlank()) {
        continue;
      }
      Map<String, String> m = new LinkedHashMap<>();
      Matcher pm = PAIR.matcher(line);
      while (pm.find()) {
        m.put(pm.group(1), pm.group(2));
      }
      int id = Integer.parseInt(m.get("id"));
      if (m.get("__name__").endsWith("_bucket")) {
        m.put("le", LE[(id / 200) % LE.length]);
      }
      out.add(m);
    }
    return out;
  }

  /** One series' values, step by step; the same sequence whatever order series are walked in. */
  static final class Gen {
    final int id;
    final int kind;
    final int bucket;
    double v;

    Gen(Map<String, String> labels) {
      id = Integer.parseInt(labels.get("id"));
      String name = labels.get("__name__");
      kind =
          switch (name) {
            case "node_cpu_seconds_total" -> 0;
            case "node_memory_bytes" -> 1;
            case "node_disk_io_time_seconds_total" -> 2;
            case "node_network_receive_bytes_total" -> 3;
            case "http_requests_total" -> 4;
            case "http_request_duration_seconds_bucket" -> 5;
            case "process_resident_memory_bytes" -> 6;
            default -> 7;
          };
      bucket = (id / 200) % LE.length;
      v =
          switch (kind) {
            case 1 -> 4e9 + id * 1000;
            case 6 -> 1e8 + id * 1000;
            default -> 0;
          };
    }

    double next(int step) {
      long h = mix(id * 0x9E3779B97F4A7C15L + step);
      double u = (h >>> 11) * 0x1p-53;
      switch (kind) {
        case 0 -> v += Math.floor(u * 15);
        case 1 -> v += Math.floor((u - 0.5) * 1e6);
        case 2 -> v += Math.floor(u * 10);
        case 3 -> v += Math.floor(u * 1e6);
        case 4 -> v = (mix(h) & 4095) == 0 ? 0 : v + Math.floor(u * 300);
        case 5 -> {
          long hi = mix((id % 200) * 0x9E3779B97F4A7C15L + step + 0x5bd1e995L);
          double base = Math.floor(((hi >>> 11) * 0x1p-53) * 300);
          v += Math.floor(base * CDF[bucket]);
        }
        case 6 -> v += Math.floor((u - 0.5) * 1e5);
        default -> v = Math.floor(u * 1000) / 1000;
      }
      return v;
    }

    static long mix(long z) {
      z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
      z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
      return z ^ (z >>> 31);
    }
  }

  private static void writeVigil(List<Map<String, String>> sets, Path dir, long t0)
      throws IOException {
    int n = sets.size();
    Labels[] labels = new Labels[n];
    Gen[] gens = new Gen[n];
    long[] refs = new long[n];
    for (int i = 0; i < n; i++) {
      Labels.Builder b = Labels.builder();
      sets.get(i).forEach(b::set);
      labels[i] = b.build();
      gens[i] = new Gen(sets.get(i));
    }
    try (Tsdb db = Tsdb.builder(dir).backgroundInterval(Duration.ZERO).log(m -> {}).open()) {
      for (int step = 0; step < SAMPLES; step++) {
        long ts = t0 + step * STEP_MS;
        Appender app = db.appender();
        for (int i = 0; i < n; i++) {
          refs[i] = app.append(refs[i], labels[i], ts, gens[i].next(step));
        }
        app.commit();
        if (step % 480 == 479) {
          db.maintain(); // cuts the head into blocks as the server would
        }
      }
      db.flushHead();
      while (db.maintain() > 0) {
        // compact, write rollups: nothing left for the server to do at start
      }
    }
  }

  private static void writePrometheus(
      List<Map<String, String>> sets, Path pdata, Path work, long t0) throws Exception {
    int n = sets.size();
    Gen[] gens = new Gen[n];
    String[] prefix = new String[n];
    for (int i = 0; i < n; i++) {
      gens[i] = new Gen(sets.get(i));
      StringBuilder sb = new StringBuilder(sets.get(i).get("__name__")).append('{');
      boolean firstLabel = true;
      for (Map.Entry<String, String> e : sets.get(i).entrySet()) {
        if (e.getKey().equals("__name__")) {
          continue;
        }
        sb.append(firstLabel ? "" : ",").append(e.getKey()).append("=\"");
        sb.append(e.getValue()).append('"');
        firstLabel = false;
      }
      prefix[i] = sb.append("} ").toString();
    }
    Path om = work.resolve("window.om");
    int perBlock = (int) (BLOCK_MS / STEP_MS);
    for (int w = 0; w * perBlock < SAMPLES; w++) {
      try (BufferedWriter out =
          new BufferedWriter(
              new OutputStreamWriter(Files.newOutputStream(om), StandardCharsets.UTF_8), 1 << 20)) {
        for (int i = 0; i < n; i++) {
          for (int step = w * perBlock; step < Math.min(SAMPLES, (w + 1) * perBlock); step++) {
            double v = gens[i].next(step);
            out.write(prefix[i]);
            out.write(v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : "" + v);
            out.write(' ');
            out.write(Long.toString((t0 + step * STEP_MS) / 1000));
            out.write('\n');
          }
        }
        out.write("# EOF\n");
      }
      Process p =
          new ProcessBuilder(
                  "promtool",
                  "tsdb",
                  "create-blocks-from",
                  "openmetrics",
                  "-q",
                  om.toString(),
                  pdata.toString())
              .redirectErrorStream(true)
              .redirectOutput(work.resolve("promtool.log").toFile())
              .start();
      if (p.waitFor() != 0) {
        throw new IllegalStateException(
            "promtool failed: " + Files.readString(work.resolve("promtool.log")));
      }
    }
    Files.deleteIfExists(om);
    // Let Prometheus compact the 2 h blocks once, so no timed run shares the CPU with it.
    long started = System.nanoTime();
    try (Server prom = Server.start(ServerBench.promCommand(pdata), work, "prometheus-compact")) {
      long lastChange = System.nanoTime();
      List<String> last = blocks(pdata);
      long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
      while (System.nanoTime() < deadline) {
        Thread.sleep(5_000);
        List<String> now = blocks(pdata);
        boolean busy = now.stream().anyMatch(s -> s.contains("tmp"));
        if (busy || !now.equals(last)) {
          last = now;
          lastChange = System.nanoTime();
        }
        long up = System.nanoTime() - started;
        if (up > Duration.ofSeconds(130).toNanos()
            && System.nanoTime() - lastChange > Duration.ofSeconds(70).toNanos()) {
          break;
        }
      }
      System.err.println("prometheus blocks after compaction: " + last.size());
    }
  }

  private static List<String> blocks(Path pdata) throws IOException {
    try (Stream<Path> s = Files.list(pdata)) {
      return s.map(p -> p.getFileName().toString())
          .filter(x -> x.startsWith("01") || x.contains("tmp"))
          .sorted()
          .toList();
    }
  }
}
