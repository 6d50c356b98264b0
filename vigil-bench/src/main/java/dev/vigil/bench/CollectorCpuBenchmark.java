package dev.vigil.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * CPU time per scrape: Debian's {@code prometheus-node-exporter} (default collectors) against
 * Vigil's full system collection ({@link CollectorServer}: system, process and JVM collectors),
 * both scraped over HTTP by the same client in the same run.
 *
 * <p>Each server runs as its own process; its CPU time is the sum of the on-CPU nanoseconds of all
 * its threads ({@code /proc/<pid>/task/<tid>/schedstat}), read before and after a batch of
 * back-to-back scrapes. Both are warmed first (Vigil's JIT, node_exporter's caches). Rounds
 * alternate the two; the medians and their ratio are printed.
 *
 * <p>Run: {@code scripts/bench-collectors} or {@code java -cp vigil-bench/target/benchmarks.jar
 * dev.vigil.bench.CollectorCpuBenchmark [scrapesPerRound=300] [rounds=5] [warmup=500]}
 */
public final class CollectorCpuBenchmark {
  private CollectorCpuBenchmark() {}

  /** Runs the comparison and prints a table. */
  public static void main(String[] args) throws Exception {
    int scrapes = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 500;
    String nodeExporter = find("prometheus-node-exporter");
    if (nodeExporter == null) {
      System.err.println(
          "prometheus-node-exporter not found: apt-get install prometheus-node-exporter");
      System.exit(2);
    }
    int nePort = freePort();
    int vPort = freePort();
    Process ne =
        new ProcessBuilder(nodeExporter, "--web.listen-address=127.0.0.1:" + nePort)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    int sPort = freePort();
    Process vigil = null;
    Process floor = null;
    try {
      vigil = startVigil(vPort, "collect");
      floor = startVigil(sPort, "static");
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      URI neUri = URI.create("http://127.0.0.1:" + nePort + "/metrics");
      URI vUri = URI.create("http://127.0.0.1:" + vPort + "/metrics");
      URI sUri = URI.create("http://127.0.0.1:" + sPort + "/metrics");
      waitUp(client, neUri);
      System.out.printf(
          Locale.ROOT,
          "series per scrape: node_exporter %d, vigil %d%n",
          series(scrape(client, neUri)),
          series(scrape(client, vUri)));
      for (int i = 0; i < warmup; i++) {
        scrape(client, neUri);
        scrape(client, vUri);
        scrape(client, sUri);
      }
      double[] neMs = new double[rounds];
      double[] vMs = new double[rounds];
      double[] sMs = new double[rounds];
      System.out.println(
          "round  node_exporter_ms_per_scrape  vigil_ms_per_scrape  ratio  vigil_http_floor_ms");
      for (int r = 0; r < rounds; r++) {
        neMs[r] = cpuPerScrapeMs(client, neUri, ne.pid(), scrapes);
        vMs[r] = cpuPerScrapeMs(client, vUri, vigil.pid(), scrapes);
        sMs[r] = cpuPerScrapeMs(client, sUri, floor.pid(), scrapes);
        System.out.printf(
            Locale.ROOT,
            "%5d  %27.3f  %19.3f  %5.3f  %19.3f%n",
            r + 1,
            neMs[r],
            vMs[r],
            vMs[r] / neMs[r],
            sMs[r]);
      }
      double neMed = median(neMs);
      double vMed = median(vMs);
      System.out.printf(
          Locale.ROOT,
          "median CPU ms per scrape: node_exporter %.3f, vigil %.3f, ratio %.3f%n",
          neMed,
          vMed,
          vMed / neMed);
      System.out.printf(
          Locale.ROOT,
          "median CPU ms per scrape of the same HTTP server serving a fixed text: %.3f%n",
          median(sMs));
      System.out.printf(
          Locale.ROOT,
          "at a 1 s interval: vigil uses %.3f%% of one core, node_exporter %.3f%%%n",
          vMed / 10.0,
          neMed / 10.0);
      inProcess(scrapes * 5);
    } finally {
      for (Process p : Arrays.asList(vigil, floor, ne)) {
        if (p != null) {
          p.destroy();
          p.waitFor();
        }
      }
    }
  }

  private static Process startVigil(int port, String mode) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p =
        new ProcessBuilder(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                CollectorServer.class.getName(),
                Integer.toString(port),
                mode)
            .redirectErrorStream(true)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (!"ready".equals(line)) {
      p.destroyForcibly();
      throw new IllegalStateException("Vigil collector server did not start: " + line);
    }
    return p;
  }

  /** CPU time of the collecting thread alone, per collector, without HTTP and exposition. */
  private static void inProcess(int n) {
    var mx = java.lang.management.ManagementFactory.getThreadMXBean();
    dev.vigil.metrics.Collector[] collectors = {
      dev.vigil.collectors.system.LinuxSystemCollector.builder().build(),
      new dev.vigil.collectors.jvm.ProcessCollector(),
      new dev.vigil.collectors.jvm.JvmCollector()
    };
    String[] names = {"system", "process", "jvm"};
    for (int i = 0; i < collectors.length; i++) {
      for (int w = 0; w < n; w++) {
        collectors[i].collect();
      }
      long before = mx.getCurrentThreadCpuTime();
      for (int k = 0; k < n; k++) {
        collectors[i].collect();
      }
      System.out.printf(
          Locale.ROOT,
          "in-process CPU per collection, %s collector: %.1f us%n",
          names[i],
          (mx.getCurrentThreadCpuTime() - before) / 1e3 / n);
    }
  }

  private static double cpuPerScrapeMs(HttpClient client, URI uri, long pid, int scrapes)
      throws Exception {
    long before = cpuNanos(pid);
    for (int i = 0; i < scrapes; i++) {
      scrape(client, uri);
    }
    long after = cpuNanos(pid);
    return (after - before) / 1e6 / scrapes;
  }

  /** Sum of on-CPU nanoseconds of every thread of a process (first field of schedstat). */
  static long cpuNanos(long pid) throws IOException {
    long sum = 0;
    try (DirectoryStream<Path> tasks =
        Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path t : tasks) {
        try {
          String s = Files.readString(t.resolve("schedstat")).trim();
          sum += Long.parseLong(s.substring(0, s.indexOf(' ')));
        } catch (IOException e) {
          // thread ended while listing
        }
      }
    }
    return sum;
  }

  private static String scrape(HttpClient client, URI uri) throws Exception {
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(uri + " answered " + r.statusCode());
    }
    return r.body();
  }

  private static void waitUp(HttpClient client, URI uri) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      try {
        scrape(client, uri);
        return;
      } catch (Exception e) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException(uri + " did not come up");
  }

  private static long series(String text) {
    return text.lines().filter(l -> !l.isEmpty() && !l.startsWith("#")).count();
  }

  private static double median(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String find(String exe) {
    List<String> dirs =
        new ArrayList<>(Arrays.asList(System.getenv().getOrDefault("PATH", "").split(":")));
    dirs.add("/usr/bin");
    dirs.add("/usr/sbin");
    for (String d : dirs) {
      Path p = Path.of(d, exe);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return null;
  }
}
