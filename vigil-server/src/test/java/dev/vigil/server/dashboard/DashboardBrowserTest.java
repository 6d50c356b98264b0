package dev.vigil.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.server.config.ServerConfig;
import dev.vigil.server.http.VigilHttpServer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium (Debian's chromium and chromium-driver, nothing
 * downloaded), served by Vigil's HTTP server, reading a real Prometheus that scrapes the seeds'
 * application metrics every second.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  private static final List<String> PAGES =
      List.of(
          "overview",
          "resources",
          "api",
          "models",
          "errors",
          "users",
          "agents",
          "files",
          "targets",
          "metrics",
          "explore",
          "dashboards");

  private Path work;
  private VigilHttpServer server;
  private PrometheusPeer prometheus;
  private ChromeDriver driver;
  private final DemoMetrics demo = new DemoMetrics();
  private String base;
  private volatile String upstream;
  private int loads;
  private Process nodeExporter;
  private final Path shots = Path.of("target", "screenshots");

  @BeforeAll
  void start() throws Exception {
    assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
        "chromium and chromium-driver are installed by scripts/install-test-deps");
    assumeTrue(
        PrometheusPeer.available()
            && Files.isExecutable(Path.of("/usr/bin/prometheus-node-exporter")),
        "prometheus and prometheus-node-exporter are installed by scripts/install-test-deps");
    work = Files.createTempDirectory("vigil-dashboard-test");
    Path boards = Files.createDirectories(work.resolve("dashboards"));
    writeSeedDashboards(boards);
    Files.writeString(
        boards.resolve("vigil-agents.yml"),
        """
        title: Agents (Vigil YAML)
        rows:
          - title: Runs
            panels:
              - title: Runs by agent
                queries:
                  - expr: sum by (agent) (rate(devloop_agent_runs_total[$__rate_interval]))
                    legend: "{{agent}}"
              - title: Queue depth
                type: stat
                queries: [sum(devloop_agent_queue_depth)]
        """);
    ServerConfig d = ServerConfig.defaults();
    ServerConfig sc =
        new ServerConfig(
            "127.0.0.1", 0, List.of(), List.of(), List.of(), false, d.tls(), d.limits());
    // Vigil serves the dashboard and the demo scrape target first; Prometheus then scrapes it and
    // Vigil's query routes forward to Prometheus.
    server =
        VigilHttpServer.start(
            sc,
            List.of(
                DashboardRoutes.builder().folder(boards).build(),
                demo,
                new ProxyRoutes(() -> upstream)));
    base = server.baseUrl();
    int nodePort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      nodePort = s.getLocalPort();
    }
    nodeExporter =
        new ProcessBuilder(
                "/usr/bin/prometheus-node-exporter",
                "--web.listen-address=127.0.0.1:" + nodePort,
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("node-exporter.log").toFile())
            .start();
    prometheus =
        PrometheusPeer.start(
            work, List.of(base.replace("http://", "")), DemoMetrics.PATH, "127.0.0.1:" + nodePort);
    upstream = prometheus.url();
    waitForData();

    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
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
        "--window-size=1280,1000",
        "--user-data-dir=" + Files.createDirectories(work.resolve("chrome")));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(DRIVER.toFile())
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
    Files.createDirectories(shots);
  }

  @AfterAll
  void stop() throws Exception {
    if (driver != null) driver.quit();
    if (prometheus != null) prometheus.close();
    if (nodeExporter != null) {
      nodeExporter.destroy();
      nodeExporter.waitFor();
    }
    if (server != null) server.close();
    if (work != null) {
      try (Stream<Path> s = Files.walk(work)) {
        s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  @BeforeEach
  void drainLogs() {
    driver.manage().logs().get(LogType.BROWSER);
  }

  /**
   * Copies the seeds' Grafana dashboard JSON snippets into the dashboard folder, as users paste
   * them.
   */
  private static void writeSeedDashboards(Path boards) throws Exception {
    Path seeds = Path.of(System.getProperty("vigil.root", ".")).resolve("../shared/seeds");
    Pattern block = Pattern.compile("```json\\s*\\n(.*?)```", Pattern.DOTALL);
    int i = 0;
    try (Stream<Path> files = Files.list(seeds)) {
      for (Path f : files.sorted().toList()) {
        Matcher m = block.matcher(Files.readString(f));
        while (m.find()) {
          if (m.group(1).contains("\"panels\"")) {
            Files.writeString(boards.resolve("seed-" + (i++) + ".json"), m.group(1));
          }
        }
      }
    }
    assertThat(i).as("Grafana dashboards in the seeds").isGreaterThanOrEqualTo(2);
  }

  private void waitForData() throws Exception {
    var client = java.net.http.HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String q =
        java.net.URLEncoder.encode(
            "rate(devloop_agent_runs_total[10s])", java.nio.charset.StandardCharsets.UTF_8);
    while (System.nanoTime() < deadline) {
      String body =
          client
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create(base + "/api/v1/query?query=" + q))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString())
              .body();
      if (body.contains("\"agent\":\"linter\"")) return;
      Thread.sleep(250);
    }
    throw new IllegalStateException("prometheus has no rate of the demo metrics after 30 s");
  }

  private void open(String hash) {
    // A new document each time (a hash change alone would not reload the page).
    driver.get(base + "/?load=" + (++loads) + "#" + hash);
    waitForRender(1);
  }

  private int renders() {
    Object v = js("return +(document.body.dataset.renders || 0)");
    return ((Number) v).intValue();
  }

  private void waitForRender(int atLeast) {
    new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> renders() >= atLeast);
  }

  private Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  private List<String> consoleErrors() {
    List<String> out = new ArrayList<>();
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      if (e.getLevel().intValue() >= Level.WARNING.intValue()) out.add(e.getMessage());
    }
    return out;
  }

  private void screenshot(String name) throws Exception {
    byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
    Files.write(shots.resolve(name + ".png"), png);
  }

  private List<WebElement> panels() {
    return driver.findElements(By.cssSelector("section.panel"));
  }

  @Test
  void everyPage_loadsWithoutConsoleErrors_andItsChartsDrawData() throws Exception {
    for (String page : PAGES) {
      open("page=" + page + "&range=5m");
      // Panels below the fold draw when scrolled into view; the first screen must be complete.
      new WebDriverWait(driver, Duration.ofSeconds(20))
          .until(
              d ->
                  d.findElements(By.cssSelector("section.panel[data-state='loading']")).stream()
                      .noneMatch(WebElement::isDisplayed));
      screenshot(page);
      assertThat(consoleErrors()).as("console errors on %s", page).isEmpty();
      if (page.equals("explore") || page.equals("dashboards")) continue;
      List<WebElement> drawn =
          panels().stream().filter(p -> "ok".equals(p.getDomAttribute("data-state"))).toList();
      assertThat(drawn).as("panels with data on %s", page).isNotEmpty();
      assertThat(panels())
          .as("panels in error on %s", page)
          .noneMatch(p -> "error".equals(p.getDomAttribute("data-state")));
      if (!page.equals("targets")) {
        WebElement chart =
            drawn.stream()
                .filter(p -> "timeseries".equals(p.getDomAttribute("data-type")))
                .findFirst()
                .orElseThrow();
        assertThat(chart.findElements(By.tagName("canvas"))).as("canvas on %s", page).isNotEmpty();
        assertThat(Integer.parseInt(chart.getDomAttribute("data-points"))).isPositive();
      }
    }
  }

  @Test
  void valueWrittenByTheApplication_appearsWithinTwoRefreshIntervals_withoutReload() {
    demo.live.set(7);
    open("page=explore&q=vigil_test_live_value&tab=table&range=5m&refresh=5s");
    WebElement result = driver.findElement(By.id("explore-result"));
    new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> result.getText().contains("7"));
    js("window.__sameDocument = true");
    demo.live.set(4242);
    // refresh 5 s + scrape interval 1 s: two refresh intervals are 10 s.
    new WebDriverWait(driver, Duration.ofSeconds(11))
        .until(d -> result.getText().contains("4.24k"));
    assertThat(js("return window.__sameDocument === true")).isEqualTo(true);
  }

  @Test
  void changingTheRange_updatesUrlAndData_andDragZoomNarrowsIt() {
    open("page=resources&range=1h");
    int before = renders();
    driver.findElement(By.cssSelector("#ranges button[data-range='6h']")).click();
    waitForRender(before + 1);
    assertThat(driver.getCurrentUrl()).contains("range=6h");
    WebElement chart =
        panels().stream()
            .filter(p -> "ok".equals(p.getDomAttribute("data-state")))
            .findFirst()
            .orElseThrow();
    WebElement canvas = chart.findElement(By.tagName("canvas"));
    int w = canvas.getSize().getWidth();
    new Actions(driver)
        .moveToElement(canvas, w / 4 - w / 2, 0)
        .clickAndHold()
        .moveByOffset(w / 3, 10)
        .release()
        .perform();
    new WebDriverWait(driver, Duration.ofSeconds(5))
        .until(d -> d.getCurrentUrl().contains("range=custom"));
    Map<String, String> q = hashParams();
    long span = Long.parseLong(q.get("to")) - Long.parseLong(q.get("from"));
    assertThat(span).isPositive().isLessThan(6 * 3600);
  }

  private Map<String, String> hashParams() {
    String hash = driver.getCurrentUrl().replaceFirst("^[^#]*#", "");
    Map<String, String> m = new java.util.HashMap<>();
    for (String kv : hash.split("&")) {
      int i = kv.indexOf('=');
      if (i > 0)
        m.put(
            kv.substring(0, i),
            java.net.URLDecoder.decode(
                kv.substring(i + 1), java.nio.charset.StandardCharsets.UTF_8));
    }
    return m;
  }

  @Test
  void explore_runsAQuery_andShowsASyntaxErrorAtItsPosition() {
    open("page=explore&range=1h");
    WebElement editor = driver.findElement(By.id("promql"));
    editor.sendKeys(
        "sum by (agent) (rate(devloop_agent_runs_total[1m]))", org.openqa.selenium.Keys.ESCAPE);
    driver.findElement(By.id("run-query")).click();
    new WebDriverWait(driver, Duration.ofSeconds(10))
        .until(
            d ->
                "ok"
                    .equals(
                        d.findElement(By.cssSelector("#explore-result section.panel"))
                            .getDomAttribute("data-state")));
    assertThat(
            driver
                .findElement(By.cssSelector("#explore-result section.panel"))
                .getDomAttribute("data-series"))
        .isEqualTo("2");
    assertThat(hashParams().get("q"))
        .isEqualTo("sum by (agent) (rate(devloop_agent_runs_total[1m]))");

    editor.clear();
    editor.sendKeys("sum(rate(up[5m])", org.openqa.selenium.Keys.ESCAPE);
    driver.findElement(By.id("run-query")).click();
    WebElement error =
        new WebDriverWait(driver, Duration.ofSeconds(10))
            .until(
                d -> {
                  WebElement e = d.findElement(By.id("query-error"));
                  return e.isDisplayed() ? e : null;
                });
    assertThat(error.getText()).contains("parse error");
    assertThat(error.getDomAttribute("data-line")).isEqualTo("1");
    assertThat(error.getDomAttribute("data-column")).isEqualTo("17");
    assertThat(error.findElement(By.className("error-caret")).getText())
        .contains("^ line 1, column 17");
  }

  @Test
  void explore_completesMetricNamesLabelsAndValues() {
    open("page=explore&range=1h");
    WebElement editor = driver.findElement(By.id("promql"));
    editor.sendKeys("devloop_agent_q");
    new WebDriverWait(driver, Duration.ofSeconds(5))
        .until(d -> d.findElement(By.id("completions")).isDisplayed());
    assertThat(driver.findElement(By.id("completions")).getText())
        .contains("devloop_agent_queue_depth");
    editor.sendKeys(org.openqa.selenium.Keys.ENTER, "{agent=\"");
    new WebDriverWait(driver, Duration.ofSeconds(5))
        .until(d -> d.findElement(By.id("completions")).getText().contains("test-runner"));
    assertThat(editor.getDomProperty("value")).isEqualTo("devloop_agent_queue_depth{agent=\"");
  }

  @Test
  void labelValuesWithMarkup_areShownLiterally_andExecuteNothing() {
    open("page=explore&q=vigil_test_markup&tab=table&range=5m");
    WebElement result = driver.findElement(By.id("explore-result"));
    new WebDriverWait(driver, Duration.ofSeconds(10))
        .until(d -> result.getText().contains("<script>"));
    assertThat(result.getText()).contains(DemoMetrics.MARKUP);
    assertThat(result.findElements(By.tagName("img"))).isEmpty();
    assertThat(result.findElements(By.tagName("script"))).isEmpty();
    open("page=explore&q=vigil_test_markup&range=5m");
    new WebDriverWait(driver, Duration.ofSeconds(10))
        .until(
            d ->
                "ok"
                    .equals(
                        d.findElement(By.cssSelector("#explore-result section.panel"))
                            .getDomAttribute("data-state")));
    // Hover the chart so the tooltip renders the series name.
    WebElement canvas = driver.findElement(By.cssSelector("#explore-result canvas"));
    new Actions(driver).moveToElement(canvas, canvas.getSize().getWidth() / 2 - 20, 0).perform();
    assertThat(js("return window.__pwned === undefined")).isEqualTo(true);
    assertThat(consoleErrors()).isEmpty();
  }

  @Test
  void seedGrafanaDashboards_andVigilYaml_renderTheirPanelsWithData() throws Exception {
    open("page=dashboards&range=5m");
    List<WebElement> links = driver.findElements(By.cssSelector(".dashboard-list a"));
    assertThat(links)
        .extracting(WebElement::getText)
        .contains("DevLoop Metrics", "AgentOS Backend", "Agents (Vigil YAML)");
    for (String file : List.of("seed-0.json", "seed-1.json", "vigil-agents.yml")) {
      open("page=dashboards&range=5m&d=" + file);
      new WebDriverWait(driver, Duration.ofSeconds(15))
          .until(
              d ->
                  !d.findElements(By.cssSelector("section.panel")).isEmpty()
                      && d.findElements(By.cssSelector("section.panel[data-state='loading']"))
                          .isEmpty());
      screenshot("dashboard-" + file);
      assertThat(panels()).as(file).hasSizeGreaterThanOrEqualTo(2);
      assertThat(panels()).as(file).allMatch(p -> "ok".equals(p.getDomAttribute("data-state")));
      assertThat(consoleErrors()).isEmpty();
    }
  }

  private String module(String path, String expression) {
    Object r =
        ((JavascriptExecutor) driver)
            .executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                    + "import(arguments[0]).then((m) => done(JSON.stringify("
                    + expression
                    + ")),"
                    + " (e) => done('import failed: ' + e));",
                path);
    return String.valueOf(r);
  }

  @Test
  void promqlHelpers_findErrorPositions_andCompletionContexts() {
    open("page=explore&range=5m");
    assertThat(
            module(
                "/js/promql.js",
                "m.errorPosition('invalid parameter \\\"query\\\": 1:17: parse error: unclosed left parenthesis', 'sum(rate(up[5m])')"))
        .isEqualTo("{\"line\":1,\"column\":17,\"offset\":16}");
    assertThat(
            module(
                "/js/promql.js", "m.errorPosition('parse error at char 5: unexpected', 'abc de')"))
        .isEqualTo("{\"line\":1,\"column\":5,\"offset\":4}");
    assertThat(module("/js/promql.js", "m.errorPosition('2:3: parse error: bad', 'up\\nfoo bar')"))
        .isEqualTo("{\"line\":2,\"column\":3,\"offset\":5}");
    assertThat(module("/js/promql.js", "m.errorPosition('something else', 'up')"))
        .isEqualTo("null");
    assertThat(module("/js/promql.js", "m.completionContext('up{job=\"pro', 11)"))
        .contains(
            "\"kind\":\"labelValue\"",
            "\"label\":\"job\"",
            "\"prefix\":\"pro\"",
            "\"metric\":\"up\"");
    assertThat(module("/js/promql.js", "m.completionContext('up{job=\"x\", ins', 15)"))
        .contains("\"kind\":\"labelName\"", "\"prefix\":\"ins\"");
    assertThat(module("/js/promql.js", "m.completionContext('sum by (jo', 10)"))
        .contains("\"kind\":\"labelName\"", "\"prefix\":\"jo\"");
    assertThat(module("/js/promql.js", "m.completionContext('rate(node_cp', 12)"))
        .contains("\"kind\":\"name\"", "\"prefix\":\"node_cp\"", "\"from\":5");
    assertThat(module("/js/promql.js", "m.completionContext('rate(up[5', 9)"))
        .contains("\"kind\":\"duration\"");
  }

  @Test
  void units_areFormattedForBytesSecondsPercentAndRates() {
    open("page=explore&range=5m");
    assertThat(
            module(
                "/js/units.js",
                "[m.format(1536, 'bytes'), m.format(0.25, 'percentunit'), m.format(0.0015, 's'), m.format(93.5, 'percent'), m.format(2048, 'Bps'), m.format(1500, 'short'), m.format(NaN, 'short')]"))
        .isEqualTo("[\"1.5 KiB\",\"25%\",\"1.5 ms\",\"93.5%\",\"2 KiB/s\",\"1.5k\",\"–\"]");
    assertThat(
            module(
                "/js/units.js",
                "[m.guessUnit('rate(node_network_receive_bytes_total[5m])'), m.guessUnit('node_memory_MemAvailable_bytes'), m.guessUnit('rate(http_requests_total[1m])'), m.guessUnit('histogram_quantile(0.9, rate(x_seconds_bucket[5m]))')]"))
        .isEqualTo("[\"Bps\",\"bytes\",\"ops\",\"s\"]");
  }

  @Test
  void partialGrafanaSnippets_getDefaults_andVariablesAndIntervalsAreSubstituted() {
    open("page=explore&range=5m");
    String board =
        module(
            "/js/model.js",
            "m.toBoard({dashboard: {title: 'T', panels: [{title: 'A', targets: [{expr: 'up'}]}, {title: 'B', type: 'stat', gridPos: {x: 0, y: 9, w: 6, h: 4}, targets: [{expr: 'up'}]}]}})");
    assertThat(board)
        .contains(
            "\"title\":\"T\"",
            "\"type\":\"timeseries\"",
            "\"span\":12",
            "\"type\":\"stat\"",
            "\"span\":6");
    assertThat(
            module(
                "/js/time.js",
                "m.substitute('rate(x{job=~\"$job\"}[$__rate_interval]) + ${inst} + [[inst]]', {...m.intervalVars({start: 0, end: 3600, step: 15}), job: ['a', 'b'], inst: 'i'})"))
        .isEqualTo("\"rate(x{job=~\\\"(a|b)\\\"}[1m]) + i + i\"");
  }

  @Test
  void withReadTokens_theDashboardAsksForOne_andSendsItOnEveryCall() {
    String token = "dashboard-read-token-0123456789";
    ServerConfig d = ServerConfig.defaults();
    ServerConfig sc =
        new ServerConfig(
            "127.0.0.1", 0, List.of(token), List.of(), List.of(), false, d.tls(), d.limits());
    try (VigilHttpServer secured =
        VigilHttpServer.start(
            sc, List.of(DashboardRoutes.builder().build(), new ProxyRoutes(() -> upstream)))) {
      driver.get(
          secured.baseUrl() + "/?load=" + (++loads) + "#page=explore&q=up&tab=table&range=5m");
      WebElement dialog =
          new WebDriverWait(driver, Duration.ofSeconds(10))
              .until(
                  dr -> {
                    WebElement e = dr.findElement(By.id("token-dialog"));
                    return e.isDisplayed() ? e : null;
                  });
      dialog.findElement(By.tagName("input")).sendKeys(token, org.openqa.selenium.Keys.ENTER);
      new WebDriverWait(driver, Duration.ofSeconds(10))
          .until(
              dr ->
                  "ok"
                      .equals(
                          dr.findElement(By.cssSelector("#explore-result section.panel"))
                              .getDomAttribute("data-state")));
      assertThat(driver.findElement(By.id("explore-result")).getText())
          .contains("demo", "prometheus");
    }
  }

  @Test
  void staticFiles_areServedWithAStrictContentSecurityPolicy_andNoInlineScript() throws Exception {
    var client = java.net.http.HttpClient.newHttpClient();
    var r =
        client.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("script-src 'self'")
        .doesNotContain("unsafe-eval")
        .doesNotContain("script-src 'self' 'unsafe-inline'");
    assertThat(r.body())
        .contains("<script type=\"module\" src=\"js/app.js\"></script>")
        .doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>");
    var echarts =
        client.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(base + "/_static/echarts/6.0.0/dist/echarts.esm.min.js"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(echarts.statusCode()).isEqualTo(200);
    assertThat(echarts.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("text/javascript");
    var traversal =
        client.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(base + "/api/dashboards/..%2Fprometheus.yml"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(traversal.statusCode()).isEqualTo(400);
    assertThat(traversal.body()).contains("invalid dashboard file name");
  }
}
