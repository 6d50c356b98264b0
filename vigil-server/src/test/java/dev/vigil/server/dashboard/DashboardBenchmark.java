package dev.vigil.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.ServerConfig;
import dev.vigil.server.config.VigilConfig;
import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard's speed in headless Chromium, against its peer in the same run. Not part of the
 * suite; run with {@code scripts/bench-dashboard} (which runs {@code ./mvnw -pl vigil-server verify
 * -Dtest=DashboardBenchmark -Dvigil.bench=true}).
 *
 * <ol>
 *   <li>Netdata's local dashboard (Debian {@code netdata}, loopback, 1 s) against Vigil's resources
 *       page (a running Vigil collecting this host every second; live 5 m range, 1 s step): time
 *       from navigation to the first complete render of the first screen, and the JS heap after it
 *       settles.
 *   <li>A 30-chart Vigil dashboard over 24 h of samples (every 15 s) appended to Vigil's storage:
 *       first render, heap.
 * </ol>
 *
 * <p>"Complete" is: every chart in the first screen has drawn data (Vigil: every panel in view has
 * left its loading state; Netdata: every chart in view has its canvas and every line chart in view
 * shows values in its legend). The heap is {@code performance.memory.usedJSHeapSize} after a forced
 * GC, with precise memory info.
 */
@EnabledIfSystemProperty(named = "vigil.bench", matches = "true")
class DashboardBenchmark {
  private static final int RUNS = 5;

  private static final String VIGIL_DONE =
      "const vh = innerHeight; const ps = [...document.querySelectorAll('section.panel')]"
          + ".filter(p => { const r = p.getBoundingClientRect(); return r.top < vh && r.bottom > 0 && !p.hidden; });"
          + "return ps.length > 0 && ps.every(p => ['ok','empty','error'].includes(p.dataset.state))"
          + " && +(document.body.dataset.renders || 0) > 0 ? ps.length : 0;";
  private static final String NETDATA_DONE =
      "const vh = innerHeight; const cs = [...document.querySelectorAll('.netdata-chart')]"
          + ".filter(c => { const r = c.getBoundingClientRect(); return r.top < vh && r.bottom > 0 && r.height >= 50; });"
          + "return cs.length > 0 && cs.every(c => c.querySelector('canvas') && /[0-9]/.test(c.parentElement.innerText || ''))"
          + " ? cs.length : 0;";
  private static final String HEAP =
      "if (window.gc) { gc(); } return performance.memory.usedJSHeapSize;";

  @Test
  void resourcesPage_againstNetdata_andThirtyChartsOver24h() throws Exception {
    Path work = Files.createTempDirectory("vigil-dashboard-bench");
    Process netdata = null;
    Vigil vigil = null;
    ChromeDriver driver = null;
    try {
      Path boards = Files.createDirectories(work.resolve("dashboards"));
      StringBuilder yaml = new StringBuilder("title: Thirty charts\nrows:\n  - panels:\n");
      for (int i = 0; i < 30; i++) {
        yaml.append("      - title: bench ")
            .append(i)
            .append("\n        span: 8\n        height: 160\n");
        yaml.append("        queries: [bench_series_").append(i).append("]\n");
      }
      Files.writeString(boards.resolve("thirty.yml"), yaml);
      ServerConfig d = ServerConfig.defaults();
      VigilConfig config =
          ConfigLoader.parse(
                  "bench.yml",
                  "collect:\n  interval: 1s\n  gpu: false\ndashboard:\n  folder: " + boards + "\n",
                  Map.of())
              .withServer(
                  new ServerConfig(
                      "127.0.0.1", 0, List.of(), List.of(), List.of(), false, d.tls(), d.limits()))
              .withStoragePath(work.resolve("data"));
      vigil = Vigil.start(config);
      backfill(vigil, 30, Duration.ofHours(24), 15);
      int netdataPort = freePort();
      netdata =
          new ProcessBuilder(
                  "/usr/sbin/netdata",
                  "-D",
                  "-p",
                  String.valueOf(netdataPort),
                  "-W",
                  "set",
                  "global",
                  "update every",
                  "1",
                  "-W",
                  "set",
                  "registry",
                  "enabled",
                  "no",
                  "-W",
                  "set",
                  "global",
                  "run as user",
                  "root")
              .redirectErrorStream(true)
              .redirectOutput(work.resolve("netdata.log").toFile())
              .start();
      Thread.sleep(15_000); // both collect for a while at 1 s before the first page is opened

      driver = browser(work);
      List<double[]> resources = new ArrayList<>();
      List<double[]> nd = new ArrayList<>();
      for (int run = 0; run < RUNS; run++) {
        nd.add(measure(driver, "http://127.0.0.1:" + netdataPort + "/?run=" + run, NETDATA_DONE));
        resources.add(
            measure(driver, vigil.url() + "/?run=" + run + "#page=resources&range=5m", VIGIL_DONE));
      }
      List<double[]> thirty = new ArrayList<>();
      driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 4000));
      for (int run = 0; run < RUNS; run++) {
        thirty.add(
            measure(
                driver,
                vigil.url() + "/?run=" + run + "#page=dashboards&d=thirty.yml&range=24h",
                VIGIL_DONE));
      }
      report("Netdata dashboard", nd);
      report("Vigil resources", resources);
      report("Vigil 30 charts / 24 h", thirty);
      System.out.printf(
          Locale.ROOT,
          "ratio Vigil/Netdata: render %.2f, heap %.2f%n",
          median(resources, 0) / median(nd, 0),
          median(resources, 1) / median(nd, 1));
      assertThat(median(thirty, 2)).as("charts drawn").isGreaterThanOrEqualTo(30);
    } finally {
      if (driver != null) driver.quit();
      stop(netdata);
      if (vigil != null) vigil.close();
      try (Stream<Path> s = Files.walk(work)) {
        s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  /** Appends {@code n} gauges over {@code span}, one sample every {@code stepSeconds}. */
  private static void backfill(Vigil vigil, int n, Duration span, int stepSeconds) {
    long end = System.currentTimeMillis() / 1000;
    long start = end - span.toSeconds();
    for (int i = 0; i < n; i++) {
      Appender app = vigil.storage().appender();
      Labels l = Labels.of("__name__", "bench_series_" + i, "job", "bench", "instance", "backfill");
      long ref = 0;
      for (long t = start; t <= end; t += stepSeconds) {
        double v = 50 + 40 * Math.sin((t / 3600.0) + i) + (t % 97) / 10.0;
        ref = app.append(ref, l, t * 1000, v);
      }
      app.commit();
    }
  }

  private static ChromeDriver browser(Path work) throws Exception {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(new File("/usr/bin/chromium"));
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
        "--enable-precise-memory-info",
        "--js-flags=--expose-gc",
        "--user-data-dir=" + Files.createDirectories(work.resolve("chrome")));
    return new ChromeDriver(
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File("/usr/bin/chromedriver"))
            .usingAnyFreePort()
            .build(),
        options);
  }

  /** {render ms from navigation start, heap bytes 3 s later, charts in view}. */
  private static double[] measure(ChromeDriver driver, String url, String doneScript)
      throws Exception {
    driver.get("about:blank");
    driver.get(url);
    JavascriptExecutor js = driver;
    long[] charts = new long[1];
    double[] at = new double[1];
    new WebDriverWait(driver, Duration.ofSeconds(60), Duration.ofMillis(20))
        .until(
            d -> {
              Object r = js.executeScript(doneScript);
              if (r instanceof Number n && n.longValue() > 0) {
                charts[0] = n.longValue();
                at[0] = ((Number) js.executeScript("return performance.now()")).doubleValue();
                return true;
              }
              return false;
            });
    if (url.contains("thirty")) {
      System.out.println(
          "query_range timings: "
              + js.executeScript(
                  "const q = performance.getEntriesByType('resource').filter(e => e.name.includes('query_range'));"
                      + "const d = q.map(e => e.responseEnd - e.requestStart).sort((a, b) => a - b);"
                      + "const js = performance.getEntriesByType('resource').filter(e => e.name.endsWith('.js'));"
                      + "return 'n=' + q.length + ' median ' + Math.round(d[d.length >> 1]) + ' ms, max ' + Math.round(d[d.length - 1])"
                      + " + ' ms, first start ' + Math.round(Math.min(...q.map(e => e.startTime))) + ' ms, last end ' + Math.round(Math.max(...q.map(e => e.responseEnd)))"
                      + " + ' ms; scripts loaded by ' + Math.round(Math.max(...js.map(e => e.responseEnd))) + ' ms';"));
    }
    Thread.sleep(3000);
    double heap = ((Number) js.executeScript(HEAP)).doubleValue();
    return new double[] {at[0], heap, charts[0]};
  }

  private static double median(List<double[]> runs, int i) {
    double[] v = runs.stream().mapToDouble(r -> r[i]).sorted().toArray();
    return v[v.length / 2];
  }

  private static void report(String name, List<double[]> runs) {
    System.out.printf(
        Locale.ROOT,
        "%-24s first complete render median %6.0f ms (min %.0f, max %.0f), heap median %5.1f MB, charts in view %.0f%n",
        name,
        median(runs, 0),
        runs.stream().mapToDouble(r -> r[0]).min().orElse(0),
        runs.stream().mapToDouble(r -> r[0]).max().orElse(0),
        median(runs, 1) / 1e6,
        median(runs, 2));
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void stop(Process p) throws InterruptedException {
    if (p == null) return;
    p.descendants().forEach(ProcessHandle::destroy);
    p.destroy();
    p.waitFor();
  }
}
