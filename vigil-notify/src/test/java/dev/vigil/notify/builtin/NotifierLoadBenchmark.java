package dev.vigil.notify.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10,000 alerts across 500 groups in one POST to the real Alertmanager 0.25 and to the built-in
 * notifier, each in its own process delivering to a webhook sink in this JVM (group_wait 1 s): the
 * time from the POST until all 500 groups were notified, the process's CPU time over it ({@code
 * /proc/<pid>/stat}) and its resident memory increase (VmRSS of {@code /proc/<pid>/status} when
 * ready and idle, and when the 500th notification arrived). Vigil's notifier runs in a child JVM
 * ({@link NotifierLoadChild}) with the server's default JVM options (those of the {@code vigil}
 * launcher, {@link #VIGIL_OPTS}). Each run starts both processes fresh, Vigil first, and sends each
 * two rounds: the first into the fresh process (time, CPU, RSS), the second with another alert name
 * into the now warm one (time). {@code vigil.bench.runs} runs (default 5), the figures and their
 * medians in {@code target/notifier-load.txt}; {@code vigil.bench.childopts} adds JVM options to
 * the child (a JFR recording, to profile). Not part of the suite: {@code ./mvnw -B -o -q -pl
 * vigil-notify -am test -Dtest=NotifierLoadBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * -Dvigil.bench=true}.
 */
@EnabledIfSystemProperty(named = "vigil.bench", matches = "true")
class NotifierLoadBenchmark {
  /** The {@code vigil} launcher's default JVM options (without its AOT cache). */
  static final List<String> VIGIL_OPTS =
      List.of(
          "-XX:+UseSerialGC",
          "-Xms16m",
          "-XX:MinHeapFreeRatio=5",
          "-XX:MaxHeapFreeRatio=20",
          "-Xss512k",
          "-XX:ReservedCodeCacheSize=48m",
          "-XX:+IgnoreUnrecognizedVMOptions",
          "-XX:TrimNativeHeapInterval=1000",
          "-XX:+UseCompactObjectHeaders");

  private static final Path ALERTMANAGER = Path.of("/usr/bin/prometheus-alertmanager");

  @TempDir Path dir;

  record Figures(
      long postMs, long notifiedMs, long rssBeforeKb, long rssAfterKb, long cpuMs, long warmMs) {
    long rssIncreaseKb() {
      return rssAfterKb - rssBeforeKb;
    }
  }

  /** VmRSS of a process, in kB. */
  static long rssKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException("no VmRSS for pid " + pid);
  }

  /**
   * User and system CPU time of a process so far, in ms ({@code /proc/<pid>/stat}, 100 Hz ticks).
   */
  static long cpuMs(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10; // utime, stime: fields 14, 15
  }

  @Test
  void tenThousandAlertsIn500Groups_vsAlertmanager() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isExecutable(ALERTMANAGER), "prometheus-alertmanager is not installed");
    int runs = Integer.getInteger("vigil.bench.runs", 5);
    AtomicInteger am = new AtomicInteger();
    AtomicInteger vg = new AtomicInteger();
    // A backlog for 500 connections at once: with the default (50) connections beyond it waited
    // for SYN retransmits (1 s, 2 s...), which measured the sink, not the notifiers.
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
    s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    for (String side : new String[] {"am", "vigil"}) {
      AtomicInteger c = side.equals("am") ? am : vg;
      s.createContext(
          "/" + side,
          ex -> {
            ex.getRequestBody().readAllBytes();
            c.incrementAndGet();
            ex.sendResponseHeaders(200, -1);
            ex.close();
          });
    }
    s.start();
    String cfg =
        "route: {receiver: r, group_by: [alertname, group], group_wait: 1s, group_interval: 1m}\n"
            + "receivers: [{name: r, webhook_configs: [{url: 'http://127.0.0.1:"
            + s.getAddress().getPort()
            + "/SIDE'}]}]\n";
    Files.writeString(dir.resolve("am.yml"), cfg.replace("SIDE", "am"));
    Files.writeString(dir.resolve("vigil.yml"), cfg.replace("SIDE", "vigil"));
    Path out = Path.of("target/notifier-load.txt");
    List<Figures> vigil = new ArrayList<>();
    List<Figures> alertmanager = new ArrayList<>();
    try {
      for (int run = 0; run < runs; run++) {
        vigil.add(vigilRun(vg, run));
        alertmanager.add(alertmanagerRun(am, run));
        String line =
            "run "
                + run
                + ": vigil "
                + show(vigil.getLast())
                + "; alertmanager "
                + show(alertmanager.getLast())
                + "\n";
        Files.writeString(out, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }
      long vt = median(vigil.stream().mapToLong(Figures::notifiedMs).toArray());
      long at = median(alertmanager.stream().mapToLong(Figures::notifiedMs).toArray());
      long vw = median(vigil.stream().mapToLong(Figures::warmMs).toArray());
      long aw = median(alertmanager.stream().mapToLong(Figures::warmMs).toArray());
      long vc = median(vigil.stream().mapToLong(Figures::cpuMs).toArray());
      long ac = median(alertmanager.stream().mapToLong(Figures::cpuMs).toArray());
      long vm = median(vigil.stream().mapToLong(Figures::rssIncreaseKb).toArray());
      long amm = median(alertmanager.stream().mapToLong(Figures::rssIncreaseKb).toArray());
      Files.writeString(
          out,
          String.format(
              "median of %d runs: first round vigil %d ms (CPU %d ms), +%d kB RSS; alertmanager %d"
                  + " ms (CPU %d ms), +%d kB RSS; warm round vigil %d ms, alertmanager %d ms;"
                  + " ratios: first-round time %.2f, warm time %.2f, CPU %.2f, RSS increase %.2f%n",
              runs,
              vt,
              vc,
              vm,
              at,
              ac,
              amm,
              vw,
              aw,
              (double) vt / at,
              (double) vw / aw,
              (double) vc / ac,
              (double) vm / amm),
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } finally {
      s.stop(0);
    }
  }

  private static String show(Figures f) {
    return "POST "
        + f.postMs()
        + " ms, notified "
        + f.notifiedMs()
        + " ms, RSS "
        + f.rssBeforeKb()
        + " -> "
        + f.rssAfterKb()
        + " kB (+"
        + f.rssIncreaseKb()
        + "), CPU "
        + f.cpuMs()
        + " ms; warm round notified "
        + f.warmMs()
        + " ms";
  }

  static long median(long[] v) {
    long[] c = v.clone();
    java.util.Arrays.sort(c);
    return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
  }

  private Figures vigilRun(AtomicInteger sink, int run) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(VIGIL_OPTS);
    String extra = System.getProperty("vigil.bench.childopts", "");
    if (!extra.isBlank()) {
      cmd.addAll(List.of(extra.trim().split("\\s+"))); // e.g. a JFR recording, to profile
    }
    cmd.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            NotifierLoadChild.class.getName(),
            dir.resolve("vigil.yml").toString()));
    Process p =
        new ProcessBuilder(cmd)
            .redirectError(dir.resolve("vigil-" + run + ".log").toFile())
            .start();
    try {
      BufferedReader r =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = r.readLine();
      while (line != null && !line.startsWith("port=")) {
        line = r.readLine(); // JFR's "Started recording" when profiling
      }
      assertThat(line).as("the child's port").startsWith("port=");
      return measure(p.pid(), "http://127.0.0.1:" + line.substring(5), sink);
    } finally {
      p.getOutputStream().close();
      if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  private Figures alertmanagerRun(AtomicInteger sink, int run) throws Exception {
    int port = TwoNotifiersTest.freePort();
    Process p =
        new ProcessBuilder(
                ALERTMANAGER.toString(),
                "--config.file=" + dir.resolve("am.yml"),
                "--storage.path=" + dir.resolve("d" + run),
                "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=",
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("am-" + run + ".log").toFile())
            .start();
    try {
      String url = "http://127.0.0.1:" + port;
      HttpClient http = HttpClient.newHttpClient();
      TwoNotifiersTest.await(
          () -> {
            try {
              return http.send(
                          HttpRequest.newBuilder(URI.create(url + "/-/ready")).build(),
                          HttpResponse.BodyHandlers.discarding())
                      .statusCode()
                  == 200;
            } catch (Exception e) {
              return false;
            }
          },
          "alertmanager ready");
      return measure(p.pid(), url, sink);
    } finally {
      p.destroy();
      p.waitFor();
    }
  }

  /**
   * The first round (10,000 alerts of a new name: time, CPU, RSS before and after), then a warm
   * round with another 10,000 (time only).
   */
  private static Figures measure(long pid, String url, AtomicInteger sink) throws Exception {
    Figures first = round(pid, url, sink, "Load1");
    Figures warm = round(pid, url, sink, "Load2");
    return new Figures(
        first.postMs(),
        first.notifiedMs(),
        first.rssBeforeKb(),
        first.rssAfterKb(),
        first.cpuMs(),
        warm.notifiedMs());
  }

  /** POSTs 10,000 alerts in 500 groups and waits for the 500 notifications. */
  private static Figures round(long pid, String url, AtomicInteger sink, String alertname)
      throws Exception {
    StringBuilder b = new StringBuilder("[");
    Instant t = Instant.now();
    for (int i = 0; i < 10_000; i++) {
      if (i > 0) b.append(',');
      b.append("{\"labels\":{\"alertname\":\"")
          .append(alertname)
          .append("\",\"group\":\"g")
          .append(i % 500)
          .append("\",\"instance\":\"i")
          .append(i)
          .append("\"},\"annotations\":{\"summary\":\"x\"},\"startsAt\":\"")
          .append(t)
          .append("\"}");
    }
    b.append(']');
    HttpClient http = HttpClient.newHttpClient();
    sink.set(0);
    long before = rssKb(pid);
    long cpu0 = cpuMs(pid);
    long t0 = System.nanoTime();
    int code =
        http.send(
                HttpRequest.newBuilder(URI.create(url + "/api/v2/alerts"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(b.toString()))
                    .build(),
                HttpResponse.BodyHandlers.discarding())
            .statusCode();
    long posted = System.nanoTime();
    assertThat(code).isEqualTo(200);
    TwoNotifiersTest.await(() -> sink.get() >= 500, "500 notifications");
    long done = System.nanoTime();
    long after = rssKb(pid);
    long cpu = cpuMs(pid) - cpu0;
    return new Figures((posted - t0) / 1_000_000, (done - t0) / 1_000_000, before, after, cpu, 0);
  }
}
