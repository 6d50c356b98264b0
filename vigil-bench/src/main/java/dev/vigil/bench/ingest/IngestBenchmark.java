package dev.vigil.bench.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Remote-write ingest throughput, Vigil against Prometheus 2.x's receiver ({@code
 * --web.enable-remote-write-receiver}), both fed the same batches by one {@link RemoteWriteLoad} in
 * the same run: samples per second accepted (2xx) and the receiver's CPU seconds per million
 * samples (from {@code /proc/<pid>/stat}). Each receiver runs in its own process with a fresh data
 * directory, a warm-up first.
 *
 * <pre>{@code
 * scripts/bench-ingest                       # 10,000 series, 60 s each after 10 s warm-up
 * scripts/bench-ingest --duration 20 --warmup 5
 * }</pre>
 */
public final class IngestBenchmark {
  private IngestBenchmark() {}

  public static void main(String[] args) throws Exception {
    int series = 10_000;
    int batch = 1_000;
    int concurrency = 4;
    int duration = 60;
    int warmup = 10;
    long step = 1_000;
    String only = "";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--series" -> series = Integer.parseInt(args[++i]);
        case "--batch" -> batch = Integer.parseInt(args[++i]);
        case "--concurrency" -> concurrency = Integer.parseInt(args[++i]);
        case "--duration" -> duration = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--step-ms" -> step = Long.parseLong(args[++i]);
        case "--only" -> only = args[++i];
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    System.out.printf(
        "remote write 1.0: %d series, %d samples/request, %d senders, %ds warm-up, %ds measured%n",
        series, batch, concurrency, warmup, duration);
    List<String[]> rows = new ArrayList<>();
    RemoteWriteLoad.Result prom = null;
    RemoteWriteLoad.Result vigil = null;
    if (!only.equals("vigil")) {
      prom = runPrometheus(series, batch, concurrency, warmup, duration, step);
      rows.add(row("Prometheus " + prometheusVersion(), prom));
    }
    if (!only.equals("prometheus")) {
      vigil = runVigil(series, batch, concurrency, warmup, duration, step);
      rows.add(row("Vigil", vigil));
    }
    System.out.println();
    System.out.println("| receiver | samples/s | CPU s per 1M samples | failed requests |");
    System.out.println("|---|---:|---:|---:|");
    for (String[] r : rows) {
      System.out.println("| " + String.join(" | ", r) + " |");
    }
    if (prom != null && vigil != null) {
      System.out.printf(
          Locale.ROOT,
          "%nVigil/Prometheus: throughput %.2fx, CPU per sample %.2fx%n",
          vigil.samplesPerSecond() / prom.samplesPerSecond(),
          vigil.cpuPerMillion() / prom.cpuPerMillion());
    }
  }

  private static String[] row(String name, RemoteWriteLoad.Result r) {
    if (!r.firstError().isEmpty()) {
      System.out.println(name + ": first error: " + r.firstError());
    }
    return new String[] {
      name,
      String.format(Locale.ROOT, "%,.0f", r.samplesPerSecond()),
      String.format(Locale.ROOT, "%.2f", r.cpuPerMillion()),
      Long.toString(r.failedRequests())
    };
  }

  private static RemoteWriteLoad.Result runPrometheus(
      int series, int batch, int concurrency, int warmup, int duration, long step)
      throws Exception {
    Path dir = Files.createTempDirectory("bench-prom");
    Path cfg = dir.resolve("prometheus.yml");
    Files.writeString(cfg, "global:\n  scrape_interval: 1m\n");
    int port = freePort();
    Process p =
        new ProcessBuilder(
                "prometheus",
                "--config.file=" + cfg,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--web.enable-remote-write-receiver")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    try {
      waitReady("http://127.0.0.1:" + port + "/-/ready");
      RemoteWriteLoad load =
          new RemoteWriteLoad(series, batch, concurrency, System.currentTimeMillis());
      return load.run(
          "http://127.0.0.1:" + port + "/api/v1/write",
          Duration.ofSeconds(warmup),
          Duration.ofSeconds(duration),
          step,
          () -> cpuSeconds(p.pid()));
    } finally {
      p.destroy();
      p.waitFor();
      deleteTree(dir);
    }
  }

  private static RemoteWriteLoad.Result runVigil(
      int series, int batch, int concurrency, int warmup, int duration, long step)
      throws Exception {
    Path dir = Files.createTempDirectory("bench-vigil");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-Xmx1g",
                "-cp",
                System.getProperty("java.class.path"),
                IngestBenchServer.class.getName(),
                dir.resolve("data").toString())
            .redirectError(dir.resolve("vigil.log").toFile())
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      if (line == null || !line.startsWith("PORT ")) {
        throw new IllegalStateException(
            "Vigil bench server did not start: "
                + line
                + "\n"
                + Files.readString(dir.resolve("vigil.log")));
      }
      int port = Integer.parseInt(line.substring(5).trim());
      RemoteWriteLoad load =
          new RemoteWriteLoad(series, batch, concurrency, System.currentTimeMillis());
      RemoteWriteLoad.Result r =
          load.run(
              "http://127.0.0.1:" + port + "/api/v1/write",
              Duration.ofSeconds(warmup),
              Duration.ofSeconds(duration),
              step,
              () -> cpuSeconds(p.pid()));
      p.getOutputStream().close();
      String summary = out.readLine();
      if (summary != null) {
        System.out.println("Vigil: " + summary);
      }
      return r;
    } finally {
      p.destroy();
      p.waitFor();
      deleteTree(dir);
    }
  }

  /** User + system CPU seconds of a process, from /proc/<pid>/stat (100 ticks per second). */
  static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // Fields after the command: state is index 0, so utime (14th) is 11 and stime 12.
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read CPU time of process " + pid, e);
    }
  }

  private static String prometheusVersion() {
    try {
      Process v = new ProcessBuilder("prometheus", "--version").redirectErrorStream(true).start();
      String first =
          new String(v.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
              .lines()
              .findFirst()
              .orElse("");
      v.waitFor();
      int i = first.indexOf("version ");
      return i < 0 ? "" : first.substring(i + 8).split(" ")[0];
    } catch (Exception e) {
      return "";
    }
  }

  private static void waitReady(String url) throws Exception {
    HttpClient c = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (c.send(
                    HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("not ready in 30 s: " + url);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
