package dev.vigil.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.server.Vigil;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.ServerConfig;
import dev.vigil.server.config.VigilConfig;
import dev.vigil.server.http.VigilHttpServer;
import dev.vigil.server.testing.HeadlessChromium;
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
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium (Debian's chromium and chromium-driver, nothing
 * downloaded) against a running Vigil that collects this host every second, scrapes a demo
 * application with DevLoop's and AgentOS' metrics and records DinoAir's events through its
 * recorders.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserTest {
  private static final List<String> PAGES =
      List.of(
          "overview",
          "resources",
          "health",
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
  private Vigil vigil;
  private Thread app;
  private ChromeDriver driver;
  private final DemoMetrics demo = new DemoMetrics();
  private String base;
  private int loads;
  private final Path shots = Path.of("target", "screenshots");

  @BeforeAll
  void start() throws Exception {
    HeadlessChromium.assumeInstalled();
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
    // The demo applications: DevLoop- and AgentOS-style metrics on a scrape endpoint, and
    // DinoAir-style events through Vigil's recorders (namespace dinoair_).
    String target = demo.serveAlone();
    String yaml =
        """
        collect:
          interval: 1s
          system: true
          jvm: true
          gpu: false
          self: true
          namespace: dinoair_
        scrape_configs:
          - job_name: demo
            scrape_interval: 1s
            scrape_timeout: 1s
            metrics_path: %s
            static_configs:
              - targets: ['%s']
        dashboard:
          folder: %s
          refresh:
            targets: 3s
        """
            .formatted(DemoMetrics.PATH, target, boards);
    ServerConfig d = ServerConfig.defaults();
    ServerConfig sc =
        new ServerConfig(
            "127.0.0.1", 0, List.of(), List.of(), List.of(), false, d.tls(), d.limits());
    VigilConfig config =
        ConfigLoader.parse("dashboard-test.yml", yaml, Map.of())
            .withServer(sc)
            .withStoragePath(work.resolve("data"));
    vigil = Vigil.start(config);
    base = vigil.url();
    app = Thread.ofVirtual().name("demo-app").start(this::demoApplication);
    waitForData();

    driver = HeadlessChromium.start(work.resolve("chrome"), 1280, 1000);
    Files.createDirectories(shots);
  }

  @AfterAll
  void stop() throws Exception {
    if (driver != null) driver.quit();
    if (app != null) {
      app.interrupt();
      app.join();
    }
    if (vigil != null) vigil.close();
    demo.stop();
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

  /** Records what DinoAir records, a few times a second, through Vigil's recorders. */
  private void demoApplication() {
    var r = vigil.recorders();
    long i = 0;
    r.startUserSession("s-1", "Mozilla/5.0");
    r.startUserSession("s-2", "curl/8");
    while (!Thread.currentThread().isInterrupted()) {
      i++;
      r.recordApiRequest(
          "comfyui", "/generate", "POST", i % 17 == 0 ? 500 : 200, 0.05 + (i % 10) / 20.0);
      r.recordApiRequest("ollama", "/chat", "POST", 200, 0.02 + (i % 5) / 50.0);
      r.recordModelGeneration("llama2-7b", 1 + i % 7, i % 9 != 0, 256, 512);
      if (i % 5 == 0)
        r.recordError("connection_timeout", "Failed to connect to ComfyUI", "comfyui", "error");
      r.recordFileOperation("write", 1024 * (i % 64), 0.01, i % 13 != 0);
      r.recordFileOperation("read", 4096, 0.002, true);
      r.recordAgentRun("linter", i % 11 == 0 ? "failure" : "success", 0.2);
      r.recordAgentHeartbeat("linter");
      r.setAgentStatus("linter", "running");
      r.touchUserSession("s-1");
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void waitForData() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      String scraped = apiQuery("rate(devloop_agent_runs_total[10s])");
      String recorded = apiQuery("rate(dinoair_api_requests_total[10s])");
      last = scraped + " / " + recorded;
      if (scraped.contains("\"agent\":\"linter\"")
          && recorded.contains("\"service\":\"comfyui\"")) {
        return;
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(
        "Vigil has no rate of the demo metrics after 30 s: "
            + last
            + " names: "
            + apiGet("/api/v1/label/__name__/values"));
  }

  private String apiQuery(String q) throws Exception {
    return apiGet(
        "/api/v1/query?query="
            + java.net.URLEncoder.encode(q, java.nio.charset.StandardCharsets.UTF_8));
  }

  private String apiGet(String pathAndQuery) throws Exception {
    var client = java.net.http.HttpClient.newHttpClient();
    return client
        .send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + pathAndQuery)).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString())
        .body();
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
  void sloPage_withoutSlos_showsHowToDeclareOne() {
    open("page=slos&range=5m");
    WebElement guide = driver.findElement(By.cssSelector("#page-slos .guide"));
    assertThat(guide.getDomAttribute("hidden")).isNull();
    assertThat(guide.getText())
        .contains("No SLO declared yet", "slo_files:", "version: prometheus/v1", "--demo");
    assertThat(driver.findElements(By.cssSelector(".slo"))).isEmpty();
    assertThat(driver.findElement(By.id("page-slos")).getDomAttribute("data-empty"))
        .isEqualTo("true");
    assertThat(consoleErrors()).isEmpty();
    // No SLO tiles on the Overview either.
    open("page=overview&range=5m");
    assertThat(driver.findElement(By.id("overview-slos")).getDomAttribute("hidden")).isNotNull();
  }

  @Test
  void valueWrittenThroughARecorder_appearsWithinTwoRefreshIntervals_withoutReload() {
    vigil.recorders().setAgentQueueDepth("live-agent", 7);
    open(
        "page=explore&q="
            + java.net.URLEncoder.encode(
                "dinoair_agent_queue_depth{agent=\"live-agent\"}",
                java.nio.charset.StandardCharsets.UTF_8)
            + "&tab=table&range=5m&refresh=5s");
    WebElement result = driver.findElement(By.id("explore-result"));
    new WebDriverWait(driver, Duration.ofSeconds(12))
        .until(d -> cellTexts(result).contains("live-agent") && cellTexts(result).contains("7"));
    js("window.__sameDocument = true");
    vigil.recorders().setAgentQueueDepth("live-agent", 4242);
    // refresh every 5 s, collection every 1 s: two refresh intervals are 10 s.
    new WebDriverWait(driver, Duration.ofSeconds(11))
        .until(d -> cellTexts(result).contains("4.24k"));
    assertThat(js("return window.__sameDocument === true")).isEqualTo(true);
  }

  /** Thrown from a known place, so the stack on the page can be checked. */
  private static RuntimeException failingCheckout() {
    return new IllegalStateException(
        "checkout failed", new java.net.SocketTimeoutException("payment service timed out"));
  }

  @Test
  void errorsPage_clickingAnErrorType_showsItsCauseChainAndStack() throws Exception {
    vigil.recorders().recordError("checkout_failed", null, "shop", "error", failingCheckout());
    vigil.recorders().recordError("checkout_failed", null, "shop", "error", failingCheckout());
    open("page=errors&range=5m");
    By type = By.cssSelector(".error-samples button.error-type[data-type='checkout_failed']");
    new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> !d.findElements(type).isEmpty());
    driver.findElement(type).click();
    // Read in one script: the section is redrawn on every refresh.
    String script =
        "const p = document.querySelector(\".error-detail[data-type='checkout_failed'] pre.stack\");"
            + " return p ? p.closest('.error-sample').textContent : null";
    new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> js(script) != null);
    assertThat((String) js(script))
        .contains("2 × from shop")
        .contains("java.lang.IllegalStateException: checkout failed")
        .contains("Caused by: java.net.SocketTimeoutException: payment service timed out")
        .contains("at dev.vigil.server.dashboard.DashboardBrowserTest.failingCheckout(");
    assertThat(consoleErrors()).isEmpty();
    js("document.querySelector('.error-detail').scrollIntoView()");
    screenshot("errors-stack");
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

  /** The texts of the table cells in an element (StaleElement-safe: re-read on each call). */
  private static List<String> cellTexts(WebElement root) {
    try {
      return root.findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
    } catch (org.openqa.selenium.StaleElementReferenceException e) {
      return List.of();
    }
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
  void metricsPage_takesTypeAndHelpFromTextAndOpenMetricsMetadata() {
    open("page=explore&range=5m");
    // OpenMetrics metadata names a counter family without _total; text 0.0.4 metadata with it.
    String fams =
        module(
            "/js/pages/metrics.js",
            "m.families(['a_total', 'b_total', 'c_bucket', 'c_sum', 'c_count', 'c_created', 'g'],"
                + " {a: [{type: 'counter', help: 'A om.'}], b_total: [{type: 'counter', help: 'B"
                + " text.'}], c: [{type: 'histogram', help: 'C.'}], g: [{type: 'gauge', help:"
                + " 'G.'}]})");
    assertThat(fams)
        .contains("{\"name\":\"a_total\",\"type\":\"counter\",\"help\":\"A om.\"}")
        .contains("{\"name\":\"b_total\",\"type\":\"counter\",\"help\":\"B text.\"}")
        .contains("{\"name\":\"c\",\"type\":\"histogram\",\"help\":\"C.\"}")
        .contains("{\"name\":\"g\",\"type\":\"gauge\",\"help\":\"G.\"}")
        .doesNotContain("c_created");
  }

  @Test
  void rangesOfADayOrMore_askTheServerForRollups() {
    open("page=explore&range=5m");
    assertThat(module("/js/api.js", "m.rangeParams('up', 1000, 1000 + 86400, 300)"))
        .contains("\"max_source_resolution\":\"auto\"", "\"step\":\"300\"");
    assertThat(module("/js/api.js", "m.rangeParams('up', 1000, 1000 + 86399, 300)"))
        .doesNotContain("max_source_resolution");
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
            sc, List.of(DashboardRoutes.builder().build(), new ProxyRoutes(() -> base)))) {
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
      assertThat(driver.findElement(By.id("explore-result")).getText()).contains("demo", "vigil");
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

  @Test
  void pause_stopsUpdates_andResumeRestartsThem() throws Exception {
    open("page=overview&range=5m&refresh=5s");
    driver.findElement(By.id("pause")).click();
    assertThat(driver.findElement(By.id("pause")).getDomAttribute("aria-pressed"))
        .isEqualTo("true");
    // An update already under way when Pause was pressed still finishes; count from after it.
    new WebDriverWait(driver, Duration.ofSeconds(20))
        .until(d -> !"true".equals(js("return document.body.dataset.updating")));
    int paused = renders();
    Thread.sleep(6000); // more than one refresh interval and several WebSocket ticks
    assertThat(renders()).isEqualTo(paused);
    driver.findElement(By.id("pause")).click();
    waitForRender(paused + 1);
  }

  @Test
  void csvExport_holdsTheChartsSeries_andDarkThemeRedrawsWithoutErrors() {
    open("page=resources&range=5m");
    js(
        "window.__csv = null; const orig = URL.createObjectURL;"
            + "URL.createObjectURL = (b) => { b.text().then(t => window.__csv = t); return orig(b); };");
    // A panel with data: on a busy machine the first render can precede the first collection.
    WebElement panel =
        new WebDriverWait(driver, Duration.ofSeconds(20))
            .until(
                d ->
                    panels().stream()
                        .filter(p -> "ok".equals(p.getDomAttribute("data-state")))
                        .findFirst()
                        .orElse(null));
    panel.findElement(By.xpath(".//button[text()='CSV']")).click();
    new WebDriverWait(driver, Duration.ofSeconds(5)).until(d -> js("return window.__csv") != null);
    String csv = (String) js("return window.__csv");
    assertThat(csv.lines().findFirst().orElseThrow()).startsWith("time,");
    assertThat(csv.lines().count()).isGreaterThan(2);

    int before = renders();
    driver.findElement(By.id("theme")).click();
    waitForRender(before + 1);
    String theme = driver.findElement(By.tagName("html")).getDomAttribute("data-theme");
    assertThat(theme).isIn("dark", "light");
    new WebDriverWait(driver, Duration.ofSeconds(10))
        .until(d -> panels().stream().anyMatch(p -> "ok".equals(p.getDomAttribute("data-state"))));
    assertThat(consoleErrors()).isEmpty();
    driver.findElement(By.id("theme")).click(); // back, for the other tests
  }

  @Test
  void onAPhone_pagesFitTheScreen_andTheNavigationWorksByKeyboard() {
    driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
    try {
      for (String page : List.of("overview", "resources", "explore", "targets")) {
        open("page=" + page + "&range=5m");
        Object overflow = js("return document.documentElement.scrollWidth - window.innerWidth");
        assertThat(((Number) overflow).intValue())
            .as("horizontal overflow on %s", page)
            .isLessThanOrEqualTo(0);
      }
    } finally {
      driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1000));
    }
    open("page=overview&range=5m");
    WebElement link = driver.findElement(By.cssSelector("#nav a[data-page='targets']"));
    link.sendKeys(org.openqa.selenium.Keys.ENTER);
    new WebDriverWait(driver, Duration.ofSeconds(5))
        .until(d -> d.getCurrentUrl().contains("page=targets"));
    // The URL changes before the page's render marks the link: wait for the mark, not the URL.
    new WebDriverWait(driver, Duration.ofSeconds(10))
        .ignoring(org.openqa.selenium.NoSuchElementException.class)
        .until(
            d ->
                "Targets"
                    .equals(
                        d.findElement(By.cssSelector("#nav a[aria-current='page']")).getText()));
  }

  @Test
  void pageRefresh_comesFromTheDashboardSection_andBadKeysAreRejectedWithTheirLine() {
    open("page=targets&range=1h");
    new WebDriverWait(driver, Duration.ofSeconds(5))
        .until(d -> d.findElement(By.id("status")).getText().startsWith("every 3 s"));
    // The loader checks the section (so --check-config refuses what serve would): by line.
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    "bad.yml", "dashboard:\n  folder: x\n  refrsh:\n    overview: 1m\n", Map.of()))
        .hasMessageMatching("bad\\.yml:[34]: dashboard\\.refrsh: unknown key .*");
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    "bad.yml", "dashboard:\n  refresh:\n    overview: soon\n", Map.of()))
        .hasMessageContaining("dashboard.refresh.overview: expected a duration");
  }
}
