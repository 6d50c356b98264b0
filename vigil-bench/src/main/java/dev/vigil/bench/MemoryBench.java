package dev.vigil.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resident memory (VmRSS) of Vigil against the programs it replaces, both sides in one run (issue
 * 22). Run through {@code scripts/bench-memory}, which builds the jars first.
 *
 * <ul>
 *   <li>{@code m1}: {@code ./vigil serve} on defaults (it collects this host, the JVM and itself)
 *       against Debian's {@code prometheus-node-exporter} + {@code prometheus} (scraping itself and
 *       the exporter every 5 s, alerting to the Alertmanager) + {@code prometheus-alertmanager},
 *       the three summed.
 *   <li>{@code m2}: a generated target (in this process) serves the 20,000 series of {@code
 *       20kseries.json} with values changing at every scrape; Vigil ({@code serve} with a scrape
 *       config, its own collectors off) and Prometheus 2.42 scrape it every 5 s. Then the same with
 *       100,000 series (each label set repeated with {@code replica="0".."4"}); growth per series =
 *       (RSS at 100k - RSS at 20k) / 80,000.
 *   <li>{@code m3}: the 20k load of m2 plus a dashboard query loop on each server, 30 min by
 *       default; RSS after the first 5 minutes against the median of minute 5.
 *   <li>{@code http}: a bare Javalin server against a bare JDK {@code HttpServer}, each answering
 *       "hi" (what swapping the HTTP stack could save at most).
 * </ul>
 *
 * <p>RSS is read from {@code /proc/PID/status} every {@code --sample} seconds; the figure for a run
 * is the median of the samples taken in its last minute. Extra Vigil variants ({@code --variant
 * 'NAME;ENV=VALUE;...'}, e.g. {@code --variant 'c1;VIGIL_JAVA_OPTS=-XX:TieredStopAtLevel=1'}) run
 * next to the default one, so JVM options are compared in the same run.
 */
public final class MemoryBench {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private static final Pattern PAIR = Pattern.compile("\"([^\"]*)\"\\s*:\\s*\"([^\"]*)\"");

  private MemoryBench() {}

  /** Entry point; see the class comment. */
  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    Files.createDirectories(o.work);
    String load0 = loadAverage();
    Instant started = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    StringBuilder report = new StringBuilder();
    switch (o.mode) {
      case "m1" -> m1(o, report);
      case "m2" -> m2(o, report);
      case "m3" -> m3(o, report);
      case "http" -> http(o, report);
      default -> throw new IllegalArgumentException("unknown mode " + o.mode);
    }
    String load1 = loadAverage();
    String head =
        String.format(
            Locale.ROOT,
            "%s UTC, %s, %.0f min per phase, RSS sampled every %d s (median of the last"
                + " minute's samples); load average (1/5/15 min) %s at the start, %s at the end.%n",
            started.toString().replace('T', ' ').replace(":00Z", ""),
            o.mode.toUpperCase(Locale.ROOT),
            o.minutes,
            o.sampleSeconds,
            load0,
            load1);
    String text = head + "\n" + report;
    System.out.println();
    System.out.print(text);
    if (o.docs != null) {
      writeDocs(o.docs, o.mode, o.command, text);
      System.out.println("written to " + o.docs);
    }
  }

  // ---- M1 ----

  private static void m1(Options o, StringBuilder report) throws Exception {
    Path w = o.work;
    int nodePort = freePort();
    int promPort = freePort();
    int amPort = freePort();
    Files.writeString(
        w.resolve("alertmanager.yml"),
        "route:\n  receiver: default\nreceivers:\n  - name: default\n");
    Files.writeString(
        w.resolve("prometheus.yml"),
        String.format(
            Locale.ROOT,
            "global:\n  scrape_interval: 5s\n  evaluation_interval: 5s\nalerting:\n"
                + "  alertmanagers:\n    - static_configs:\n        - targets: ['127.0.0.1:%d']\n"
                + "scrape_configs:\n  - job_name: prometheus\n    static_configs:\n"
                + "      - targets: ['127.0.0.1:%d']\n  - job_name: node\n    static_configs:\n"
                + "      - targets: ['127.0.0.1:%d']\n",
            amPort,
            promPort,
            nodePort));
    List<Proc> procs = new ArrayList<>();
    try {
      procs.add(
          Proc.start(
              "node-exporter",
              List.of("prometheus-node-exporter", "--web.listen-address=127.0.0.1:" + nodePort),
              w,
              "http://127.0.0.1:" + nodePort + "/metrics"));
      procs.add(Proc.prometheus(w, promPort));
      procs.add(
          Proc.start(
              "alertmanager",
              List.of(
                  "prometheus-alertmanager",
                  "--config.file=alertmanager.yml",
                  "--storage.path=am-data",
                  "--cluster.listen-address=",
                  "--web.listen-address=127.0.0.1:" + amPort),
              w,
              "http://127.0.0.1:" + amPort + "/-/ready"));
      List<Proc> vigils = startVigils(o, Map.of(), null);
      procs.addAll(vigils);
      Map<Proc, List<long[]>> samples = sample(procs, o, null);
      report.append(
          "| process | RSS MiB |\n|---|---:|\n"
              + String.format(
                  Locale.ROOT,
                  "| prometheus-node-exporter | %.1f |%n| prometheus (itself + node every 5 s)"
                      + " | %.1f |%n| prometheus-alertmanager | %.1f |%n",
                  lastMinuteMiB(samples.get(procs.get(0))),
                  lastMinuteMiB(samples.get(procs.get(1))),
                  lastMinuteMiB(samples.get(procs.get(2)))));
      double three = 0;
      for (int i = 0; i < 3; i++) {
        three += lastMinuteMiB(samples.get(procs.get(i)));
      }
      report.append(String.format(Locale.ROOT, "| **the three together** | **%.1f** |%n", three));
      for (Proc v : vigils) {
        double mib = lastMinuteMiB(samples.get(v));
        report.append(
            String.format(
                Locale.ROOT,
                "| %s | %.1f (%.2f× the three; target ≤ 0.80×: %s) |%n",
                v.label,
                mib,
                mib / three,
                mib / three <= 0.8 ? "met" : "not met"));
      }
      report.append(timeline(samples, o));
    } finally {
      closeAll(procs);
    }
  }

  // ---- M2 / M3 ----

  private static void m2(Options o, StringBuilder report) throws Exception {
    double[] at20 = scrapePhase(o, 1, false, report);
    if (o.only20k) {
      return;
    }
    double[] at100 = scrapePhase(o, 5, false, report);
    report.append(
        String.format(
            Locale.ROOT,
            "%nGrowth from 20,000 to 100,000 series: Vigil %.0f bytes per series, Prometheus %.0f"
                + " bytes per series (ratio %.2f).%n",
            (at100[0] - at20[0]) * 1024 * 1024 / 80_000,
            (at100[1] - at20[1]) * 1024 * 1024 / 80_000,
            (at100[0] - at20[0]) / (at100[1] - at20[1])));
  }

  private static void m3(Options o, StringBuilder report) throws Exception {
    scrapePhase(o, 1, true, report);
  }

  /** Returns {vigil MiB, prometheus MiB} of the last minute. */
  private static double[] scrapePhase(
      Options o, int replicas, boolean queries, StringBuilder report) throws Exception {
    Path w = o.work.resolve("x" + replicas);
    Files.createDirectories(w);
    Target target = new Target(o.dataset, replicas);
    int promPort = freePort();
    String scrape =
        "scrape_configs:\n  - job_name: load\n    scrape_interval: 5s\n    scrape_timeout: 5s\n"
            + "    static_configs:\n      - targets: ['127.0.0.1:"
            + target.port()
            + "']\n";
    Files.writeString(w.resolve("prometheus.yml"), scrape);
    Files.writeString(w.resolve("vigil.yml"), scrape);
    List<Proc> procs = new ArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> loops = new ArrayList<>();
    AtomicLong queryCount = new AtomicLong();
    try {
      Proc prom = Proc.prometheus(w, promPort);
      procs.add(prom);
      Map<String, String> env = new LinkedHashMap<>();
      env.put("VIGIL_COLLECT_SYSTEM", "false");
      env.put("VIGIL_COLLECT_JVM", "false");
      env.put("VIGIL_COLLECT_GPU", "false");
      env.put("VIGIL_COLLECT_SELF", "false");
      List<Proc> vigils = startVigils(o, env, w.resolve("vigil.yml"), w);
      procs.addAll(vigils);
      if (queries) {
        for (Proc p : procs) {
          Thread t = Thread.ofPlatform().daemon().start(() -> queryLoop(p.base, stop, queryCount));
          loops.add(t);
        }
      }
      Map<Proc, List<long[]>> samples = sample(procs, o, target);
      double vm = lastMinuteMiB(samples.get(vigils.get(0)));
      double pm = lastMinuteMiB(samples.get(prom));
      int series = target.series();
      report.append(
          String.format(
              Locale.ROOT,
              "%n%,d series scraped every 5 s (%d scrapes served)%s:%n%n| process | RSS MiB |"
                  + " ratio to Prometheus |%n|---|---:|---:|%n| prometheus 2.42 | %.1f | 1 |%n",
              series,
              target.scrapes.get(),
              queries ? ", dashboard queries on both (" + queryCount.get() + " answered)" : "",
              pm));
      for (Proc v : vigils) {
        double mib = lastMinuteMiB(samples.get(v));
        report.append(
            String.format(
                Locale.ROOT,
                "| %s | %.1f | %.2f%s |%n",
                v.label,
                mib,
                mib / pm,
                replicas == 1 && !queries
                    ? " (target ≤ 0.60: " + (mib / pm <= 0.6 ? "met" : "not met") + ")"
                    : ""));
      }
      if (queries) {
        report.append(creep(samples, vigils, prom, o));
      }
      report.append(timeline(samples, o));
      return new double[] {vm, pm};
    } finally {
      stop.set(true);
      closeAll(procs);
      target.close();
    }
  }

  private static final String[] QUERIES = {
    "sum by (instance) (rate(node_cpu_seconds_total[1m]))",
    "topk(10, rate(http_requests_total[5m]))",
    "sum(rate(node_network_receive_bytes_total[1m]))",
    "max_over_time(node_memory_bytes[5m])",
    "count by (job) ({__name__=~\"node_.*\"})",
  };

  private static void queryLoop(String base, AtomicBoolean stop, AtomicLong count) {
    int i = 0;
    while (!stop.get()) {
      long end = System.currentTimeMillis() / 1000;
      String form =
          "query="
              + URLEncoder.encode(QUERIES[i++ % QUERIES.length], StandardCharsets.UTF_8)
              + "&start="
              + (end - 900)
              + "&end="
              + end
              + "&step=15";
      try {
        HttpResponse<Void> r =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/query_range"))
                    .timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          count.incrementAndGet();
        }
        // A dashboard refreshes; it does not hammer: one query per second per server.
        Thread.sleep(1000);
      } catch (IOException e) {
        // the server is going away at the end of the run
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static String creep(
      Map<Proc, List<long[]>> samples, List<Proc> vigils, Proc prom, Options o) {
    StringBuilder b =
        new StringBuilder("\nCreep after the first 5 minutes (against minute 5's median):\n\n");
    b.append(
        "| process | minute 5 MiB | min after | max after | within ±10% |\n|---|---:|---:|---:|---|\n");
    List<Proc> all = new ArrayList<>(vigils);
    all.add(prom);
    for (Proc p : all) {
      List<long[]> s = samples.get(p);
      List<Long> m5 = new ArrayList<>();
      long min = Long.MAX_VALUE;
      long max = 0;
      for (long[] x : s) {
        if (x[0] >= 240_000 && x[0] < 300_000) {
          m5.add(x[1]);
        } else if (x[0] >= 300_000) {
          min = Math.min(min, x[1]);
          max = Math.max(max, x[1]);
        }
      }
      if (m5.isEmpty() || max == 0) {
        b.append("| ").append(p.label).append(" | (run shorter than 6 minutes) | | | |\n");
        continue;
      }
      double ref = median(m5.stream().mapToDouble(Long::doubleValue).toArray());
      b.append(
          String.format(
              Locale.ROOT,
              "| %s | %.1f | %.1f (%+.1f%%) | %.1f (%+.1f%%) | %s |%n",
              p.label,
              ref / 1024,
              min / 1024.0,
              (min / ref - 1) * 100,
              max / 1024.0,
              (max / ref - 1) * 100,
              min >= ref * 0.9 && max <= ref * 1.1 ? "yes" : "no"));
    }
    return b.toString();
  }

  // ---- HTTP stacks ----

  private static void http(Options o, StringBuilder report) throws Exception {
    List<Proc> procs = new ArrayList<>();
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp =
        Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
            .map(e -> Path.of(e).toAbsolutePath().toString())
            .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    try {
      for (String kind : List.of("javalin", "jdk")) {
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(javaBin));
        cmd.addAll(o.httpJvm);
        cmd.addAll(List.of("-cp", cp, BareServer.class.getName(), kind, Integer.toString(port)));
        procs.add(Proc.start(kind, cmd, o.work, "http://127.0.0.1:" + port + "/"));
      }
      // Both answer a few hundred requests first, as a server does.
      for (Proc p : procs) {
        for (int i = 0; i < 300; i++) {
          HTTP.send(
              HttpRequest.newBuilder(URI.create(p.base + "/")).build(),
              HttpResponse.BodyHandlers.discarding());
        }
      }
      Map<Proc, List<long[]>> samples = sample(procs, o, null);
      double j = lastMinuteMiB(samples.get(procs.get(0)));
      double k = lastMinuteMiB(samples.get(procs.get(1)));
      report.append(
          String.format(
              Locale.ROOT,
              "JVM options of both: %s%n%n| bare server answering \"hi\" | RSS MiB |%n|---|---:|%n"
                  + "| Javalin 7 (Jetty 12) | %.1f |%n| JDK HttpServer | %.1f |%n"
                  + "| difference | %.1f |%n",
              String.join(" ", o.httpJvm),
              j,
              k,
              j - k));
    } finally {
      closeAll(procs);
    }
  }

  // ---- processes and sampling ----

  private static List<Proc> startVigils(Options o, Map<String, String> env, Path config)
      throws Exception {
    return startVigils(o, env, config, o.work);
  }

  private static List<Proc> startVigils(Options o, Map<String, String> env, Path config, Path w)
      throws Exception {
    List<Proc> out = new ArrayList<>();
    List<String[]> variants = new ArrayList<>();
    variants.add(new String[] {"vigil (./vigil serve defaults)"});
    variants.addAll(o.variants);
    int n = 0;
    for (String[] v : variants) {
      int port = freePort();
      List<String> cmd = new ArrayList<>(List.of("env"));
      env.forEach((k, val) -> cmd.add(k + "=" + val));
      cmd.addAll(Arrays.asList(v).subList(1, v.length));
      cmd.addAll(
          List.of(
              o.launcher.toString(),
              "serve",
              "--listen",
              "127.0.0.1:" + port,
              "--storage.path",
              "vigil-data-" + n));
      if (config != null) {
        cmd.add("--config");
        cmd.add(config.toString());
      }
      String label = n == 0 ? v[0] : "vigil " + v[0];
      out.add(Proc.start(label, cmd, w, "http://127.0.0.1:" + port + "/-/ready"));
      n++;
    }
    return out;
  }

  /** Samples every process's RSS (kB) until the run's end; each sample is {ms since start, kB}. */
  private static Map<Proc, List<long[]>> sample(List<Proc> procs, Options o, Target target)
      throws Exception {
    Map<Proc, List<long[]>> out = new LinkedHashMap<>();
    procs.forEach(p -> out.put(p, new ArrayList<>()));
    long t0 = System.nanoTime();
    long end = t0 + (long) (o.minutes * 60e9);
    long next = t0;
    while (System.nanoTime() < end) {
      long ms = (System.nanoTime() - t0) / 1_000_000;
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%7.1f min", ms / 60e3));
      for (Proc p : procs) {
        if (!p.process.isAlive()) {
          throw new IllegalStateException(
              p.label + " exited; its log: " + p.log + "\n" + tail(p.log));
        }
        long kb = p.rssKb();
        out.get(p).add(new long[] {ms, kb});
        line.append(String.format(Locale.ROOT, "  %s %.1f", shortName(p.label), kb / 1024.0));
      }
      if (target != null) {
        line.append("  scrapes ").append(target.scrapes.get());
      }
      System.err.println(line);
      next += o.sampleSeconds * 1_000_000_000L;
      long wait = Math.min(next, end) - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
    }
    // One last sample at the end.
    long ms = (System.nanoTime() - t0) / 1_000_000;
    for (Proc p : procs) {
      out.get(p).add(new long[] {ms, p.rssKb()});
    }
    return out;
  }

  private static String shortName(String label) {
    int sp = label.indexOf(" (");
    return sp > 0 ? label.substring(0, sp) : label;
  }

  private static double lastMinuteMiB(List<long[]> s) {
    long last = s.get(s.size() - 1)[0];
    double[] v =
        s.stream().filter(x -> x[0] >= last - 60_000).mapToDouble(x -> x[1] / 1024.0).toArray();
    return median(v);
  }

  /** RSS per whole minute (the median of its samples), each process a column. */
  private static String timeline(Map<Proc, List<long[]>> samples, Options o) {
    StringBuilder b =
        new StringBuilder("\nRSS MiB by minute (median of the minute's samples):\n\n");
    b.append("| minute |");
    samples.keySet().forEach(p -> b.append(' ').append(shortName(p.label)).append(" |"));
    b.append("\n|---:|");
    samples.keySet().forEach(p -> b.append("---:|"));
    b.append('\n');
    int minutes = (int) Math.ceil(o.minutes);
    for (int m = 0; m < minutes; m++) {
      b.append("| ").append(m + 1).append(" |");
      for (List<long[]> s : samples.values()) {
        int mm = m;
        double[] v =
            s.stream()
                .filter(x -> x[0] >= mm * 60_000L && x[0] < (mm + 1) * 60_000L)
                .mapToDouble(x -> x[1] / 1024.0)
                .toArray();
        b.append(v.length == 0 ? " |" : String.format(Locale.ROOT, " %.1f |", median(v)));
      }
      b.append('\n');
    }
    return b.toString();
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    if (n == 0) {
      return Double.NaN;
    }
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  private static String loadAverage() throws IOException {
    String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
    return f[0] + "/" + f[1] + "/" + f[2];
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static void closeAll(List<Proc> procs) {
    for (Proc p : procs) {
      p.process.destroy();
    }
    for (Proc p : procs) {
      try {
        if (!p.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
          p.process.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Replaces the mode's block in BENCHMARKS.md, or appends one. */
  static void writeDocs(Path docs, String mode, String command, String text) throws IOException {
    String begin = "<!-- bench-memory " + mode + " begin -->";
    String end = "<!-- bench-memory " + mode + " end -->";
    String block = begin + "\n```\n" + command + "\n```\n\n" + text.stripTrailing() + "\n" + end;
    String doc = Files.exists(docs) ? Files.readString(docs) : "";
    int b = doc.indexOf(begin);
    int e = doc.indexOf(end);
    if (b >= 0 && e > b) {
      doc = doc.substring(0, b) + block + doc.substring(e + end.length());
    } else {
      doc = doc.stripTrailing() + "\n\n" + block + "\n";
    }
    Files.writeString(docs, doc);
  }

  /** A started process with its log, ready once {@code readyUrl} answers 200. */
  static final class Proc {
    final String label;
    final Process process;
    final String base;
    final Path log;

    private Proc(String label, Process process, String base, Path log) {
      this.label = label;
      this.process = process;
      this.base = base;
      this.log = log;
    }

    /** Prometheus 2.42 on {@code dir/prometheus.yml}, its data in {@code dir/prom-data}. */
    static Proc prometheus(Path dir, int port) throws Exception {
      return start(
          "prometheus",
          List.of(
              "prometheus",
              "--config.file=prometheus.yml",
              "--storage.tsdb.path=prom-data",
              "--web.listen-address=127.0.0.1:" + port),
          dir,
          "http://127.0.0.1:" + port + "/-/ready");
    }

    static Proc start(String label, List<String> cmd, Path dir, String readyUrl) throws Exception {
      Path log = dir.resolve(label.replaceAll("[^A-Za-z0-9.-]+", "_") + ".log");
      Process p =
          new ProcessBuilder(cmd)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      URI u = URI.create(readyUrl);
      Proc proc = new Proc(label, p, u.getScheme() + "://" + u.getAuthority(), log);
      // A JVM training its start-up cache on a loaded machine takes minutes: wait up to 5.
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      while (System.nanoTime() < deadline) {
        if (!p.isAlive()) {
          throw new IllegalStateException(label + " exited: " + tail(log));
        }
        try {
          HttpResponse<Void> r =
              HTTP.send(
                  HttpRequest.newBuilder(u).timeout(Duration.ofSeconds(10)).build(),
                  HttpResponse.BodyHandlers.discarding());
          if (r.statusCode() == 200) {
            System.err.println(label + " ready (pid " + p.pid() + ")");
            return proc;
          }
        } catch (IOException e) {
          // not listening yet
        }
        Thread.sleep(100);
      }
      p.destroyForcibly();
      throw new IllegalStateException(label + " not ready within 5 minutes: " + tail(log));
    }

    long rssKb() throws IOException {
      for (String line :
          Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
      throw new IllegalStateException("no VmRSS for " + label);
    }
  }

  /**
   * The scrape target of M2/M3: every label set of the dataset (times {@code replicas}, with a
   * {@code replica} label) as an untyped sample whose value changes at every scrape.
   */
  static final class Target implements AutoCloseable {
    final HttpServer server;
    final byte[][] prefixes;
    final AtomicLong scrapes = new AtomicLong();

    Target(Path dataset, int replicas) throws IOException {
      Map<String, List<String>> byName = new TreeMap<>();
      for (String line : Files.readAllLines(dataset)) {
        if (line.isBlank()) {
          continue;
        }
        Matcher m = PAIR.matcher(line);
        String name = null;
        StringBuilder labels = new StringBuilder();
        while (m.find()) {
          if (m.group(1).equals("__name__")) {
            name = m.group(2);
          } else {
            labels.append(labels.isEmpty() ? "" : ",").append(m.group(1)).append("=\"");
            labels.append(m.group(2).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
          }
        }
        if (name == null) {
          throw new IllegalArgumentException("a line without __name__ in " + dataset);
        }
        for (int r = 0; r < replicas; r++) {
          String l = replicas == 1 ? labels.toString() : labels + ",replica=\"" + r + "\"";
          byName.computeIfAbsent(name, k -> new ArrayList<>()).add(name + "{" + l + "} ");
        }
      }
      List<byte[]> all = new ArrayList<>();
      byName.values().forEach(l -> l.forEach(s -> all.add(s.getBytes(StandardCharsets.UTF_8))));
      prefixes = all.toArray(new byte[0][]);
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
      server.setExecutor(Executors.newFixedThreadPool(2));
      server.createContext(
          "/metrics",
          ex -> {
            long n = scrapes.incrementAndGet();
            java.io.ByteArrayOutputStream body =
                new java.io.ByteArrayOutputStream(prefixes.length * 100);
            for (int i = 0; i < prefixes.length; i++) {
              body.write(prefixes[i]);
              // Counters of different speeds, so both stores see realistic changing values.
              long v = n * (i % 13 + 1) + i;
              body.write(Long.toString(v).getBytes(StandardCharsets.US_ASCII));
              body.write('\n');
            }
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
            ex.sendResponseHeaders(200, body.size());
            try (OutputStream out = ex.getResponseBody()) {
              body.writeTo(out);
            }
          });
      server.start();
    }

    int port() {
      return server.getAddress().getPort();
    }

    int series() {
      return prefixes.length;
    }

    @Override
    public void close() {
      server.stop(0);
      ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
  }

  /** Command-line options. */
  record Options(
      String mode,
      double minutes,
      int sampleSeconds,
      Path work,
      Path launcher,
      Path dataset,
      Path docs,
      String command,
      List<String[]> variants,
      List<String> httpJvm,
      boolean only20k) {
    static Options parse(String[] args) {
      String mode = "m1";
      Double minutes = null;
      int sample = 10;
      Path work = null;
      Path launcher = Path.of("vigil");
      Path dataset = Path.of("../shared/datasets/20kseries.json");
      Path docs = null;
      String command = "scripts/bench-memory";
      List<String[]> variants = new ArrayList<>();
      List<String> httpJvm = List.of("-XX:+UseSerialGC", "-Xss512k");
      boolean only20k = false;
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--mode" -> mode = args[++i];
          case "--minutes" -> minutes = Double.parseDouble(args[++i]);
          case "--sample" -> sample = Integer.parseInt(args[++i]);
          case "--work" -> work = Path.of(args[++i]);
          case "--launcher" -> launcher = Path.of(args[++i]).toAbsolutePath();
          case "--dataset" -> dataset = Path.of(args[++i]).toAbsolutePath();
          case "--docs" -> docs = Path.of(args[++i]).toAbsolutePath();
          case "--command" -> command = args[++i];
          case "--variant" -> variants.add(args[++i].split(";"));
          case "--http-jvm" -> httpJvm = List.of(args[++i].trim().split("\\s+"));
          case "--only-20k" -> only20k = true;
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      }
      if (work == null) {
        throw new IllegalArgumentException("--work DIR is required");
      }
      if (minutes == null) {
        minutes = mode.equals("m3") ? 30.0 : mode.equals("http") ? 2.0 : 10.0;
      }
      return new Options(
          mode, minutes, sample, work, launcher, dataset, docs, command, variants, httpJvm,
          only20k);
    }
  }
}
