package dev.vigil.bench;

import dev.vigil.cli.DashboardQueries;
import dev.vigil.server.importer.OpenMetricsImport;
import dev.vigil.tsdb.Tsdb;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Server benchmark, both sides in one run: imports {@code host-1s-a.om.gz} into Vigil
 * (OpenMetricsImport) and Prometheus 2.42 ({@code promtool tsdb create-blocks-from openmetrics}),
 * starts both servers as processes, runs {@link DashboardQueries} through each one's {@code
 * /api/v1/query_range} over the last 15 minutes at a 5 s step and over the whole range at a 1 s
 * step, alternating the two servers, and reports per-query medians, their ratio, each server's
 * resident memory after the run, and start-up time to {@code /-/ready} on an empty store.
 *
 * <p>Vigil is started through the {@code vigil} launcher, so it runs with the JVM options users get
 * from {@code ./vigil serve}. Both servers first answer the whole query set {@link #WARMUP_ROUNDS}
 * times untimed: the figures are for servers in steady state, as a server behind a dashboard is
 * (Vigil's JIT compiles the hot paths; Prometheus has no JIT and gains nothing).
 *
 * <pre>{@code
 * scripts/bench-server                  # builds vigil.jar and benchmarks.jar, then runs this
 * VIGIL_BENCH_JVM="-XX:+UseSerialGC -Xmx256m" scripts/bench-server   # other JVM options
 * VIGIL_BENCH_ENV="VIGIL_QUERY_WARMUP=off" scripts/bench-server       # Vigil's environment
 * VIGIL_BENCH_FIRST_ONLY=1 scripts/bench-server    # only the first round after start
 * java -cp vigil-bench/target/benchmarks.jar dev.vigil.bench.ServerBench \
 *     ../shared/datasets/host-1s-a.om.gz /tmp/bench ./vigil [runs]
 * }</pre>
 */
public final class ServerBench {
  static final HttpClient HTTP = HttpClient.newHttpClient();

  /**
   * Untimed rounds over the whole query set, on both servers, before any timing ({@code
   * VIGIL_BENCH_WARMUP} overrides).
   */
  static final int WARMUP_ROUNDS =
      Integer.parseInt(System.getenv().getOrDefault("VIGIL_BENCH_WARMUP", "100"));

  /** Untimed runs per query and server right before timing it. */
  static final int WARMUPS = 5;

  private ServerBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: ServerBench DATASET.om.gz WORKDIR VIGIL_LAUNCHER [RUNS]");
      System.exit(2);
    }
    Path dataset = Path.of(args[0]);
    Path work = Path.of(args[1]);
    Path launcher = Path.of(args[2]).toAbsolutePath();
    int runs = args.length > 3 ? Integer.parseInt(args[3]) : 15;
    Files.createDirectories(work);

    // VIGIL_BENCH_FIRST_ONLY=1: only the first round after start (no start-up timing, warm-up or
    // timed runs), for comparing start-up settings in alternating runs.
    boolean firstOnly = "1".equals(System.getenv("VIGIL_BENCH_FIRST_ONLY"));
    // Start-up on an empty store.
    Files.writeString(work.resolve("prometheus.yml"), "scrape_configs: []\n");
    double vigilStart =
        firstOnly
            ? Double.NaN
            : medianStart(
                () -> vigilCommand(launcher, work.resolve("empty-" + System.nanoTime())), work, 3);
    double promStart =
        firstOnly
            ? Double.NaN
            : medianStart(
                () -> promCommand(work.resolve("prom-empty-" + System.nanoTime())), work, 3);

    // Import.
    Path vdata = work.resolve("vigil-data");
    Path pdata = work.resolve("prom-data");
    deleteTree(vdata);
    deleteTree(pdata);
    long t0 = System.nanoTime();
    OpenMetricsImport.Result r;
    try (Tsdb db = Tsdb.builder(vdata).open()) {
      r = OpenMetricsImport.importFile(dataset, db);
      db.flushHead(); // a block on disk, as promtool writes
    }
    double vigilImport = (System.nanoTime() - t0) / 1e9;
    Path plain = work.resolve("host.om");
    try (InputStream in = new GZIPInputStream(Files.newInputStream(dataset))) {
      Files.copy(in, plain, StandardCopyOption.REPLACE_EXISTING);
    }
    t0 = System.nanoTime();
    Process pt =
        new ProcessBuilder(
                "promtool",
                "tsdb",
                "create-blocks-from",
                "openmetrics",
                plain.toString(),
                pdata.toString())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("promtool.log").toFile())
            .start();
    if (pt.waitFor() != 0) {
      throw new IllegalStateException(
          "promtool failed: " + Files.readString(work.resolve("promtool.log")));
    }
    double promImport = (System.nanoTime() - t0) / 1e9;

    t0 = System.nanoTime();
    Server vigil = Server.start(vigilCommand(launcher, vdata), work, "vigil");
    double vigilReady = (System.nanoTime() - t0) / 1e6;
    t0 = System.nanoTime();
    Server prom = Server.start(promCommand(pdata), work, "prometheus");
    double promReady = (System.nanoTime() - t0) / 1e6;
    System.out.printf(
        Locale.ROOT,
        "start-up to /-/ready with the data: vigil %.0f ms, prometheus %.0f ms%n",
        vigilReady,
        promReady);
    try {
      double end = r.maxTime() / 1000.0;
      double wholeStart = r.minTime() / 1000 + 0.5;
      double last15 = Math.max(wholeStart, end - 900 + 0.5);
      System.out.printf(
          Locale.ROOT,
          "dataset: %d series, %d samples%nimport: vigil %.2f s, prometheus (promtool) %.2f s%n"
              + "start-up to /-/ready, empty store (median of 3): vigil %.0f ms, prometheus %.0f"
              + " ms%n%n",
          r.series(),
          r.samples(),
          vigilImport,
          promImport,
          vigilStart,
          promStart);
      List<String> forms = new ArrayList<>();
      for (String q : DashboardQueries.ALL) {
        forms.add(form(q, last15, end, 5));
        forms.add(form(q, wholeStart, end, 1));
      }
      // The first round after start: each query-range once on each server, alternating which
      // goes first, before any warm-up.
      double[] firstRatios = new double[forms.size()];
      for (int k = 0; k < forms.size(); k++) {
        double v;
        double p;
        if (k % 2 == 0) {
          v = time(vigil.base, forms.get(k));
          p = time(prom.base, forms.get(k));
        } else {
          p = time(prom.base, forms.get(k));
          v = time(vigil.base, forms.get(k));
        }
        firstRatios[k] = v / p;
      }
      System.out.printf(
          Locale.ROOT,
          "first round after start: median ratio vigil/prometheus over %d query-ranges %.2f"
              + " (min %.2f, max %.2f)%n",
          firstRatios.length,
          median(firstRatios),
          Arrays.stream(firstRatios).min().orElse(0),
          Arrays.stream(firstRatios).max().orElse(0));
      if (firstOnly) {
        return;
      }
      for (int round = 0; round < WARMUP_ROUNDS; round++) {
        for (String f : forms) {
          time(vigil.base, f);
          time(prom.base, f);
        }
      }
      System.out.printf(
          Locale.ROOT,
          "warm-up: %d untimed rounds over the %d query-ranges on each server%n",
          WARMUP_ROUNDS,
          forms.size());
      List<Double> ratios = new ArrayList<>();
      System.out.printf(
          Locale.ROOT,
          "%-4s %-9s %10s %10s %7s  %s%n",
          "#",
          "range",
          "vigil ms",
          "prom ms",
          "ratio",
          "query");
      int i = 0;
      for (String q : DashboardQueries.ALL) {
        i++;
        for (String[] range : new String[][] {{"15m/5s", "0"}, {"all/1s", "1"}}) {
          String form = forms.get(2 * (i - 1) + Integer.parseInt(range[1]));
          double[] vt = new double[runs];
          double[] pt2 = new double[runs];
          for (int w = 0; w < WARMUPS; w++) {
            time(vigil.base, form);
            time(prom.base, form);
          }
          for (int k = 0; k < runs; k++) {
            vt[k] = time(vigil.base, form);
            pt2[k] = time(prom.base, form);
          }
          double vm = median(vt);
          double pm = median(pt2);
          ratios.add(vm / pm);
          System.out.printf(
              Locale.ROOT, "%-4d %-9s %10.2f %10.2f %7.2f  %s%n", i, range[0], vm, pm, vm / pm, q);
        }
      }
      double[] rs = ratios.stream().mapToDouble(Double::doubleValue).toArray();
      System.out.printf(
          Locale.ROOT,
          "%nmedian ratio vigil/prometheus over %d query-ranges: %.2f (min %.2f, max %.2f)%n",
          rs.length,
          median(rs),
          Arrays.stream(rs).min().orElse(0),
          Arrays.stream(rs).max().orElse(0));
      System.out.printf(
          Locale.ROOT,
          "resident memory after the run: vigil %.1f MiB, prometheus %.1f MiB (ratio %.2f)%n",
          vigil.rssMiB(),
          prom.rssMiB(),
          vigil.rssMiB() / prom.rssMiB());
    } finally {
      vigil.close();
      prom.close();
    }
  }

  static List<String> vigilCommand(Path launcher, Path data) {
    // Collection off on both sides: Prometheus scrapes nothing either.
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "env",
                "VIGIL_COLLECT_SYSTEM=false",
                "VIGIL_COLLECT_JVM=false",
                "VIGIL_COLLECT_GPU=false",
                "VIGIL_COLLECT_SELF=false"));
    String override = System.getenv("VIGIL_BENCH_JVM");
    if (override != null) {
      cmd.add("VIGIL_JAVA_OPTS=" + override.trim());
    }
    // Extra environment for Vigil's process only, e.g. VIGIL_BENCH_ENV="VIGIL_WARM=0".
    String extra = System.getenv("VIGIL_BENCH_ENV");
    if (extra != null && !extra.isBlank()) {
      cmd.addAll(List.of(extra.trim().split("\\s+")));
    }
    cmd.addAll(
        List.of(
            launcher.toString(),
            "serve",
            "--listen",
            "127.0.0.1:{port}",
            "--storage.path",
            data.toString()));
    return cmd;
  }

  static List<String> promCommand(Path data) {
    return List.of(
        "prometheus",
        "--config.file=prometheus.yml",
        "--storage.tsdb.path=" + data,
        "--storage.tsdb.retention.time=100y",
        "--enable-feature=promql-negative-offset",
        "--web.listen-address=127.0.0.1:{port}");
  }

  /** The form body of a {@code query_range} request. */
  static String form(String query, double start, double end, int step) {
    return "query="
        + URLEncoder.encode(query, StandardCharsets.UTF_8)
        + "&start="
        + start
        + "&end="
        + end
        + "&step="
        + step;
  }

  private interface Command {
    List<String> get() throws IOException;
  }

  private static double medianStart(Command cmd, Path work, int n) throws Exception {
    double[] ms = new double[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      try (Server s = Server.start(cmd.get(), work, "start")) {
        ms[i] = (System.nanoTime() - t0) / 1e6;
      }
    }
    return median(ms);
  }

  static double time(String base, String form) throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<byte[]> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/query_range"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    double ms = (System.nanoTime() - t0) / 1e6;
    if (r.statusCode() != 200) {
      throw new IllegalStateException(
          base
              + " answered "
              + r.statusCode()
              + ": "
              + new String(r.body(), StandardCharsets.UTF_8));
    }
    return ms;
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var s = Files.walk(p)) {
      for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }

  /** A server process on a free port, ready when {@code /-/ready} answers 200. */
  static final class Server implements AutoCloseable {
    final Process process;
    final String base;

    private Server(Process process, String base) {
      this.process = process;
      this.base = base;
    }

    static Server start(List<String> cmd, Path work, String name) throws Exception {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      List<String> c = cmd.stream().map(x -> x.replace("{port}", Integer.toString(port))).toList();
      Process p =
          new ProcessBuilder(c)
              .directory(work.toFile())
              .redirectErrorStream(true)
              .redirectOutput(work.resolve(name + ".log").toFile())
              .start();
      Server s = new Server(p, "http://127.0.0.1:" + port);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        if (!p.isAlive()) {
          throw new IllegalStateException(
              name + " exited: " + Files.readString(work.resolve(name + ".log")));
        }
        try {
          HttpResponse<Void> r =
              HTTP.send(
                  HttpRequest.newBuilder(URI.create(s.base + "/-/ready")).build(),
                  HttpResponse.BodyHandlers.discarding());
          if (r.statusCode() == 200) {
            return s;
          }
        } catch (IOException e) {
          // not listening yet
        }
        Thread.sleep(5);
      }
      s.close();
      throw new IllegalStateException(name + " not ready within 60 s");
    }

    double rssMiB() throws IOException {
      for (String line :
          Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
      return Double.NaN;
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }
}
