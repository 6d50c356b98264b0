package dev.vigil.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.ingest.remote.RemoteWriteEncoder;
import dev.vigil.ingest.wire.Snappy;
import dev.vigil.model.Labels;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.CollectConfig;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.VigilConfig;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Rule evaluation time, Vigil against Prometheus 2.42 on the same rule file and the same data, run
 * by {@code scripts/bench-rules-vs-prometheus}: 1,000 recording and 200 alerting rules in 4 groups
 * over 20,000 series (200 shards of 100), identical samples remote-written to both (15 s apart,
 * from 5 minutes before the start to 9 minutes after), groups every 15 s. After 2 warm-up
 * iterations it records each group's duration per iteration ({@code evaluationTime} of {@code
 * /api/v1/rules}) on both sides and prints the medians and their ratio, and Vigil's resident memory
 * (this process, after a full GC) with the data before the rules were loaded and after they ran.
 *
 * <pre>
 * java -cp vigil-bench/target/benchmarks.jar dev.vigil.bench.RulesCompare [ITERATIONS]
 * </pre>
 */
public final class RulesCompare {
  private static final int SHARDS = 200;
  private static final int PER_SHARD = 100;
  private static final int GROUPS = 4;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private RulesCompare() {}

  public static void main(String[] args) throws Exception {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 8;
    Path dir = Files.createTempDirectory("rules-bench");
    Files.writeString(dir.resolve("rules.yml"), rules());
    Files.writeString(
        dir.resolve("prometheus.yml"),
        "global:\n  evaluation_interval: 15s\nrule_files: [rules.yml]\n");
    // Vigil starts without rules: its resident memory is measured before and after they run.
    Files.writeString(dir.resolve("vigil.yml"), "rule_files: []\n");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process prom =
        new ProcessBuilder(
                "prometheus",
                "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("prom"),
                "--web.listen-address=127.0.0.1:" + port,
                "--web.enable-remote-write-receiver",
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    VigilConfig c =
        ConfigLoader.load(dir.resolve("vigil.yml"), Map.of())
            .withListen("127.0.0.1", 0)
            .withStoragePath(dir.resolve("vigil"))
            .withCollect(new CollectConfig(Duration.ofMinutes(10), false, false, false, false, ""));
    try (Vigil vigil = Vigil.builder(c).configFile(dir.resolve("vigil.yml")).start()) {
      String promUrl = "http://127.0.0.1:" + port;
      waitReady(promUrl);
      long now = System.currentTimeMillis() / 15_000 * 15_000;
      for (List<RemoteWriteEncoder.Series> batch : data(now - 300_000, now + 540_000)) {
        byte[] body = Snappy.compress(RemoteWriteEncoder.v1(batch));
        write(promUrl, body);
        write(vigil.url(), body);
      }
      long rssBefore = settledRss();
      Files.writeString(dir.resolve("vigil.yml"), "rule_files: [rules.yml]\n");
      String err = vigil.reload();
      if (err != null) {
        throw new IllegalStateException(err);
      }
      System.err.println("data written; measuring " + iterations + " iterations per group");
      Map<String, List<Double>> p = measure(promUrl, iterations);
      Map<String, List<Double>> v = measure(vigil.url(), iterations);
      long rssAfter = settledRss();
      print(p, v);
      System.out.printf(
          Locale.ROOT,
          "Vigil RSS with the data, before rules: %d MiB; after %d iterations of them: %d MiB"
              + " (%+.1f %%)%n",
          rssBefore >> 20,
          iterations,
          rssAfter >> 20,
          100.0 * (rssAfter - rssBefore) / rssBefore);
      for (String base : List.of(promUrl, vigil.url())) {
        System.out.println(
            base.equals(promUrl) ? "Prometheus: " + check(base) : "Vigil: " + check(base));
      }
    } finally {
      prom.destroy();
      prom.waitFor();
    }
  }

  static String rules() {
    StringBuilder b = new StringBuilder("groups:\n");
    int perGroup = SHARDS / GROUPS;
    for (int g = 0; g < GROUPS; g++) {
      b.append("- name: bench").append(g).append("\n  interval: 15s\n  rules:\n");
      for (int k = g * perGroup; k < (g + 1) * perGroup; k++) {
        String sel = "bench_requests_total{shard=\"s" + k + "\"}";
        String[][] rec = {
          {"job:rate1m", "sum by (job) (rate(" + sel + "[1m]))"},
          {"instance:rate1m", "sum by (instance) (rate(" + sel + "[1m]))"},
          {"max", "max(" + sel + ")"},
          {"busy", "count(" + sel + " > 10)"},
          {"job:irate", "avg by (job) (irate(" + sel + "[1m]))"}
        };
        for (String[] r : rec) {
          b.append("  - record: shard_s").append(k).append(':').append(r[0]).append('\n');
          b.append("    expr: '").append(r[1]).append("'\n");
        }
        b.append("  - alert: ShardBusy_s").append(k).append('\n');
        b.append("    expr: 'sum by (shard) (rate(").append(sel).append("[1m])) > 50'\n");
        b.append("    for: 5m\n    labels: {severity: warn}\n");
        b.append("    annotations: {summary: '{{ $labels.shard }} at {{ $value }}'}\n");
      }
    }
    return b.toString();
  }

  /** 20,000 counters, 15 s apart over [from, to], in batches of 1,000 series. */
  static List<List<RemoteWriteEncoder.Series>> data(long from, long to) {
    int n = (int) ((to - from) / 15_000) + 1;
    List<List<RemoteWriteEncoder.Series>> out = new ArrayList<>();
    List<RemoteWriteEncoder.Series> batch = new ArrayList<>();
    for (int s = 0; s < SHARDS; s++) {
      for (int i = 0; i < PER_SHARD; i++) {
        long[] ts = new long[n];
        double[] vs = new double[n];
        for (int j = 0; j < n; j++) {
          ts[j] = from + j * 15_000L;
          vs[j] = j * 15.0 * (i % 10);
        }
        batch.add(
            new RemoteWriteEncoder.Series(
                Labels.of(
                    "__name__",
                    "bench_requests_total",
                    "job",
                    "bench",
                    "shard",
                    "s" + s,
                    "instance",
                    "i" + i),
                ts,
                vs));
        if (batch.size() == 1000) {
          out.add(batch);
          batch = new ArrayList<>();
        }
      }
    }
    return out;
  }

  private static void write(String base, byte[] body) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/write"))
                .header("Content-Type", "application/x-protobuf")
                .header("Content-Encoding", "snappy")
                .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException(base + " refused the data: " + r.body());
    }
  }

  private static void waitReady(String base) throws Exception {
    for (int i = 0; i < 300; i++) {
      try {
        if (HTTP.send(
                    HttpRequest.newBuilder(URI.create(base + "/-/ready")).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // starting
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(base + " did not get ready");
  }

  /** Each group's evaluationTime per iteration, after 2 warm-up iterations. */
  private static Map<String, List<Double>> measure(String base, int iterations) throws Exception {
    Map<String, List<Double>> out = new HashMap<>();
    Map<String, Set<String>> seen = new HashMap<>();
    long deadline = System.nanoTime() + Duration.ofMinutes(8).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode groups =
          JSON.readTree(
                  HTTP.send(
                          HttpRequest.newBuilder(URI.create(base + "/api/v1/rules")).build(),
                          HttpResponse.BodyHandlers.ofString())
                      .body())
              .path("data")
              .path("groups");
      boolean done = groups.size() == GROUPS;
      for (JsonNode g : groups) {
        String name = g.path("name").asText();
        String last = g.path("lastEvaluation").asText();
        Set<String> s = seen.computeIfAbsent(name, k -> new TreeSet<>());
        if (Instant.parse(last).getEpochSecond() > 0 && s.add(last) && s.size() > 2) {
          out.computeIfAbsent(name, k -> new ArrayList<>())
              .add(g.path("evaluationTime").asDouble());
        }
        done &= out.getOrDefault(name, List.of()).size() >= iterations;
      }
      if (done) {
        return out;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(base + ": not enough iterations in 8 minutes: " + out);
  }

  /** This process's resident set after a full GC and a pause (Linux /proc). */
  private static long settledRss() throws Exception {
    System.gc();
    Thread.sleep(3000);
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return -1;
  }

  /** What a side computed: rule health, alerts, recorded series (both must agree). */
  private static String check(String base) throws Exception {
    JsonNode groups = get(base + "/api/v1/rules").path("data").path("groups");
    Map<String, Integer> health = new java.util.TreeMap<>();
    for (JsonNode g : groups) {
      for (JsonNode r : g.path("rules")) {
        health.merge(r.path("health").asText(), 1, Integer::sum);
      }
    }
    int alerts = get(base + "/api/v1/alerts").path("data").path("alerts").size();
    JsonNode series =
        get(base + "/api/v1/query?query=count(%7B__name__%3D~%22shard_.*%22%7D)")
            .path("data")
            .path("result");
    return "rules by health "
        + health
        + ", alerts "
        + alerts
        + ", recorded series "
        + series.path(0).path("value").path(1).asText();
  }

  private static JsonNode get(String url) throws Exception {
    return JSON.readTree(
        HTTP.send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString())
            .body());
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(null);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  private static void print(Map<String, List<Double>> p, Map<String, List<Double>> v) {
    System.out.println(
        "| group (300 rules) | Prometheus 2.42 ms | Vigil ms | Vigil / Prometheus |");
    System.out.println("|---|---:|---:|---:|");
    List<Double> pAll = new ArrayList<>();
    List<Double> vAll = new ArrayList<>();
    for (String g : new TreeSet<>(p.keySet())) {
      double pm = median(p.get(g)) * 1000;
      double vm = median(v.get(g)) * 1000;
      pAll.addAll(p.get(g));
      vAll.addAll(v.get(g));
      System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.2f |%n", g, pm, vm, vm / pm);
    }
    double pm = median(pAll) * 1000;
    double vm = median(vAll) * 1000;
    System.out.printf(Locale.ROOT, "| all groups | %.1f | %.1f | %.2f |%n", pm, vm, vm / pm);
  }
}
