package dev.vigil.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.ServerConfig;
import dev.vigil.server.config.VigilConfig;
import dev.vigil.server.testing.HeadlessChromium;
import java.io.File;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The SLO page, the Overview's SLO tiles, the forecast panels of Resources and the period overlay,
 * in the real headless chromium against a real server: two SLOs evaluated from the rules Sloth
 * generates (the names and labels Vigil's generator keeps), one failing a tenth of its requests
 * (its page alert fires, its budget is gone), one healthy; a filesystem and memory that shrink at a
 * known rate; a series whose value was 100 a day ago and is 150 now.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SloForecastBrowserTest {

  private Path work;
  private Vigil vigil;
  private ChromeDriver driver;
  private String base;
  private int loads;

  /**
   * The rules Sloth generates for an events SLO over 30 days (SLI error ratios over the alert
   * windows and the period, its metadata, its page and ticket alerts), written out for a test.
   */
  static String slothRules(
      String service, String slo, double objective, String errors, String total, String alert) {
    String id = service + "-" + slo;
    String labels = "sloth_id: %s, sloth_service: %s, sloth_slo: %s".formatted(id, service, slo);
    String sel =
        "{sloth_id=\"%s\", sloth_service=\"%s\", sloth_slo=\"%s\"}".formatted(id, service, slo);
    double budget = 1 - objective;
    StringBuilder b = new StringBuilder();
    b.append("- name: sloth-slo-sli-recordings-").append(id).append("\n  interval: 1s\n  rules:\n");
    for (String w : List.of("5m", "30m", "1h", "2h", "6h", "1d", "3d")) {
      b.append(
          """
            - record: slo:sli_error:ratio_rate%s
              expr: (%s) / (%s)
              labels: {%s, sloth_window: %s}
          """
              .formatted(
                  w, errors.replace("{{.window}}", w), total.replace("{{.window}}", w), labels, w));
    }
    b.append(
        """
          - record: slo:sli_error:ratio_rate30d
            expr: sum_over_time(slo:sli_error:ratio_rate5m%1$s[30d]) / ignoring (sloth_window) count_over_time(slo:sli_error:ratio_rate5m%1$s[30d])
            labels: {%2$s, sloth_window: 30d}
        - name: sloth-slo-meta-recordings-%3$s
          interval: 1s
          rules:
          - record: slo:objective:ratio
            expr: vector(%4$s)
            labels: {%2$s}
          - record: slo:error_budget:ratio
            expr: vector(1 - %4$s)
            labels: {%2$s}
          - record: slo:time_period:days
            expr: vector(30)
            labels: {%2$s}
          - record: slo:current_burn_rate:ratio
            expr: slo:sli_error:ratio_rate5m%1$s / on (sloth_id, sloth_slo, sloth_service) group_left slo:error_budget:ratio%1$s
          - record: slo:period_burn_rate:ratio
            expr: slo:sli_error:ratio_rate30d%1$s / on (sloth_id, sloth_slo, sloth_service) group_left slo:error_budget:ratio%1$s
          - record: slo:period_error_budget_remaining:ratio
            expr: 1 - slo:period_burn_rate:ratio%1$s
            labels: {%2$s}
        - name: sloth-slo-alerts-%3$s
          interval: 1s
          rules:
          - alert: %5$s
            expr: |
              (max(slo:sli_error:ratio_rate5m%1$s > (14.4 * %6$s)) without (sloth_window) and max(slo:sli_error:ratio_rate1h%1$s > (14.4 * %6$s)) without (sloth_window))
              or
              (max(slo:sli_error:ratio_rate30m%1$s > (6 * %6$s)) without (sloth_window) and max(slo:sli_error:ratio_rate6h%1$s > (6 * %6$s)) without (sloth_window))
            labels: {sloth_severity: page}
          - alert: %5$s
            expr: |
              (max(slo:sli_error:ratio_rate2h%1$s > (3 * %6$s)) without (sloth_window) and max(slo:sli_error:ratio_rate1d%1$s > (3 * %6$s)) without (sloth_window))
              or
              (max(slo:sli_error:ratio_rate6h%1$s > (1 * %6$s)) without (sloth_window) and max(slo:sli_error:ratio_rate3d%1$s > (1 * %6$s)) without (sloth_window))
            labels: {sloth_severity: ticket}
        """
            .formatted(sel, labels, id, objective, alert, budget));
    return b.toString();
  }

  @BeforeAll
  void start() throws Exception {
    HeadlessChromium.assumeInstalled();
    work = Files.createTempDirectory("vigil-slo-test");
    Path rules = work.resolve("slos.yml");
    Files.writeString(
        rules,
        "groups:\n"
            + slothRules(
                "checkout",
                "requests-availability",
                0.999,
                "sum(rate(slo_test_requests_total{service=\"checkout\",code=~\"5..\"}[{{.window}}]))",
                "sum(rate(slo_test_requests_total{service=\"checkout\"}[{{.window}}]))",
                "CheckoutAvailability")
            + slothRules(
                "search",
                "requests-availability",
                0.99,
                "(sum(rate(slo_test_requests_total{service=\"search\",code=~\"5..\"}[{{.window}}])) or vector(0))",
                "sum(rate(slo_test_requests_total{service=\"search\"}[{{.window}}]))",
                "SearchAvailability"));
    String yaml =
        """
        collect: {system: false, jvm: false, self: false, gpu: false}
        rule_files: ['%s']
        """
            .formatted(rules);
    ServerConfig d = ServerConfig.defaults();
    ServerConfig sc =
        new ServerConfig(
            "127.0.0.1", 0, List.of(), List.of(), List.of(), false, d.tls(), d.limits());
    VigilConfig config =
        ConfigLoader.parse("slo-test.yml", yaml, Map.of())
            .withServer(sc)
            .withStoragePath(work.resolve("data"));
    vigil = Vigil.start(config);
    base = vigil.url();
    long now = System.currentTimeMillis() / 1000 * 1000;
    Appender app = vigil.storage().appender();
    Labels ok =
        Labels.of("__name__", "slo_test_requests_total", "service", "checkout", "code", "200");
    Labels bad =
        Labels.of("__name__", "slo_test_requests_total", "service", "checkout", "code", "500");
    Labels search =
        Labels.of("__name__", "slo_test_requests_total", "service", "search", "code", "200");
    Labels compared = Labels.of("__name__", "compare_test_value", "instance", "a");
    // Compared series: 100 a day ago, 150 now (an hour of each, every 15 s).
    for (long t = now - 86_400_000L - 3_600_000L; t <= now - 86_400_000L + 600_000L; t += 15_000) {
      app.append(0, compared, t, 100);
    }
    // Filesystem "/data": 7.2 GB free, 10 MB less a minute (0.6 GB an hour), over the last 6 hours.
    // Memory: 4 GB available, 20 MB less a minute (1.2 GB an hour).
    Labels avail =
        Labels.of(
            "__name__",
            "node_filesystem_avail_bytes",
            "device",
            "/dev/sdb1",
            "fstype",
            "ext4",
            "mountpoint",
            "/data");
    Labels readonly =
        Labels.of(
            "__name__",
            "node_filesystem_readonly",
            "device",
            "/dev/sdb1",
            "fstype",
            "ext4",
            "mountpoint",
            "/data");
    Labels mem = Labels.of("__name__", "node_memory_MemAvailable_bytes");
    for (long t = now - 6 * 3_600_000L; t <= now + 600_000; t += 60_000) {
      double minutesToNow = (now - t) / 60_000.0;
      app.append(0, avail, t, 7.2e9 + minutesToNow * 10e6);
      app.append(0, readonly, t, 0);
      app.append(0, mem, t, 4e9 + minutesToNow * 20e6);
    }
    // Requests: checkout fails 10 of 100 a second (100 times its 0.1 % budget), search none.
    for (long t = now - 1_800_000; t <= now + 600_000; t += 1000) {
      double s = (t - (now - 1_800_000)) / 1000.0;
      app.append(0, ok, t, 90 * s);
      app.append(0, bad, t, 10 * s);
      app.append(0, search, t, 50 * s);
      app.append(0, compared, t, 150);
    }
    app.commit();

    driver = HeadlessChromium.start(work.resolve("chrome"), 1280, 1000);
  }

  @AfterAll
  void stop() throws Exception {
    if (driver != null) driver.quit();
    if (vigil != null) vigil.close();
    if (work != null) {
      try (Stream<Path> s = Files.walk(work)) {
        s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  private void open(String hash) {
    driver.get(base + "/?load=" + (++loads) + "#" + hash);
  }

  private WebElement await(String css) {
    return new WebDriverWait(driver, Duration.ofSeconds(40))
        .until(
            d -> {
              List<WebElement> found = d.findElements(By.cssSelector(css));
              return found.isEmpty() ? null : found.get(0);
            });
  }

  private List<String> consoleErrors() {
    List<String> out = new ArrayList<>();
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      if (e.getLevel().intValue() >= Level.WARNING.intValue()) out.add(e.getMessage());
    }
    return out;
  }

  private void screenshot(String name) throws Exception {
    Path shots = Files.createDirectories(Path.of("target", "screenshots"));
    Files.write(
        shots.resolve(name + ".png"),
        ((org.openqa.selenium.TakesScreenshot) driver)
            .getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
  }

  @Test
  void sloPage_showsEachSlo_budgetChart_burnRatesAgainstThresholds_andTheFiringPageAlert()
      throws Exception {
    // The rules evaluate every second: reload until the page alert fires and the page shows it.
    // A page opened before the budget's first figure waits 20 s and is then opened again (the
    // inner wait's timeout must not end the outer one: it failed so on a fresh clone).
    new WebDriverWait(driver, Duration.ofSeconds(90))
        .ignoring(org.openqa.selenium.TimeoutException.class)
        .until(
            d -> {
              open("page=slos&range=1h");
              return new WebDriverWait(driver, Duration.ofSeconds(20))
                      .until(
                          x ->
                              x.findElements(
                                          By.cssSelector(
                                              ".slo[data-slo='checkout-requests-availability'] .slo-budget[data-state='ok']"))
                                      .size()
                                  == 1)
                  && !d.findElements(
                          By.cssSelector(
                              ".slo[data-slo='checkout-requests-availability'] .slo-alert[data-severity='page'][data-state='firing']"))
                      .isEmpty()
                  // and the healthy SLO's figures are recorded too (not "unknown" yet)
                  && !d.findElements(
                          By.cssSelector(
                              ".slo[data-slo='search-requests-availability'][data-status='ok']"))
                      .isEmpty();
            });
    WebElement checkout =
        driver.findElement(By.cssSelector(".slo[data-slo='checkout-requests-availability']"));
    assertThat(checkout.getDomAttribute("data-status")).isEqualTo("crit");
    assertThat(checkout.findElement(By.cssSelector("[data-figure='objective']")).getText())
        .contains("99.9 %");
    assertThat(checkout.findElement(By.cssSelector("[data-figure='sli']")).getText())
        .contains("90 %");
    assertThat(checkout.findElement(By.cssSelector("[data-figure='left']")).getText())
        .contains("exhausted");
    assertThat(checkout.findElement(By.cssSelector("[data-figure='burn']")).getText())
        .contains("100");
    // The four windows of the SRE workbook, each burning 100× against 14.4, 6, 3 and 1.
    List<WebElement> burns = checkout.findElements(By.cssSelector("tr.slo-burn"));
    assertThat(burns).hasSize(4);
    assertThat(burns.stream().map(r -> r.getDomAttribute("data-window")).toList())
        .containsExactly("1h", "6h", "1d", "3d");
    assertThat(burns)
        .allSatisfy(r -> assertThat(r.getDomAttribute("data-burning")).isEqualTo("true"));
    assertThat(burns.get(0).getText()).contains("14.40×", "100");
    assertThat(burns.get(3).getText()).contains("1.00×");
    assertThat(checkout.findElement(By.cssSelector(".slo-alert[data-severity='page']")).getText())
        .contains("CheckoutAvailability")
        .contains("firing");
    assertThat(checkout.findElement(By.cssSelector(".slo-budget")).getDomAttribute("data-points"))
        .isNotEqualTo("0");

    WebElement search =
        driver.findElement(By.cssSelector(".slo[data-slo='search-requests-availability']"));
    assertThat(search.getDomAttribute("data-status")).isEqualTo("ok");
    assertThat(search.findElement(By.cssSelector("[data-figure='remaining']")).getText())
        .contains("100 %");
    assertThat(search.findElement(By.cssSelector("[data-figure='left']")).getText())
        .contains("not burning");
    assertThat(search.findElements(By.cssSelector("tr.slo-burn[data-burning='true']"))).isEmpty();
    assertThat(
            search
                .findElement(By.cssSelector(".slo-alert[data-severity='page']"))
                .getDomAttribute("data-state"))
        .isEqualTo("inactive");
    assertThat(driver.findElement(By.id("slos-summary")).getText())
        .isEqualTo("2 SLOs: 1 within budget, 0 burning, 1 at risk.");
    screenshot("slos");

    // The alerts' runbook_url opens the page on one SLO.
    open("page=slos&range=1h&slo=search-requests-availability");
    await(".slo[data-slo='search-requests-availability'] .slo-budget");
    assertThat(driver.findElements(By.cssSelector(".slo"))).hasSize(1);
    assertThat(driver.findElement(By.id("slos-filter")).getText())
        .isEqualTo("Only the SLO search-requests-availability. All 2 SLOs");

    // The Overview's SLO indicators: one tile per SLO, its status, linking to the page.
    open("page=overview&range=1h");
    WebElement tile = await("#overview-slos .slo-tile[data-slo='checkout-requests-availability']");
    assertThat(tile.getDomAttribute("data-status")).isEqualTo("crit");
    assertThat(tile.getText()).contains("checkout", "at risk", "99.9 %");
    assertThat(driver.findElements(By.cssSelector("#overview-slos .slo-tile"))).hasSize(2);
    assertThat(tile.getDomAttribute("href")).isEqualTo("#page=slos");
    assertThat(consoleErrors()).isEmpty();
  }

  @Test
  void resources_forecastsWhenTheDiskIsFullAndMemoryExhausted() throws Exception {
    open("page=resources&range=6h");
    // Panels below the fold are drawn when they scroll into view.
    ((org.openqa.selenium.JavascriptExecutor) driver)
        .executeScript(
            "arguments[0].scrollIntoView()", await("section.panel[aria-label='Disk full in']"));
    WebElement disk = await("section.panel[aria-label='Disk full in'][data-state='ok']");
    // 7.2 GB left, losing 0.6 GB an hour: 12 hours (a little less by the time the page asks).
    assertThat(disk.getText()).containsPattern("(11\\.9\\d|12) h").contains("/data");
    assertThat(disk.findElements(By.cssSelector(".stat.crit"))).hasSize(1);
    WebElement memory = await("section.panel[aria-label='Memory exhausted in'][data-state='ok']");
    // 4 GB left, losing 1.2 GB an hour: 3.33 hours.
    assertThat(memory.getText()).containsPattern("3\\.3\\d h");
    WebElement chart =
        await("section.panel[aria-label='Time left until full (forecast)'][data-state='ok']");
    assertThat(chart.getDomAttribute("data-series")).isEqualTo("2");
    screenshot("resources-forecasts");
    assertThat(consoleErrors()).isEmpty();
  }

  @Test
  void periodOverlay_drawsTheDayBefore_withTheChangeInPercent_keptInTheUrl() throws Exception {
    String q = URLEncoder.encode("compare_test_value", StandardCharsets.UTF_8);
    open("page=explore&range=1h&q=" + q + "&compare=1d");
    WebElement panel = await("#explore-result section.panel[data-state='ok'][data-compare]");
    assertThat(panel.getDomAttribute("data-compare")).isEqualTo("1");
    assertThat(panel.getDomAttribute("data-series")).isEqualTo("2");
    assertThat(panel.findElement(By.cssSelector(".compare-change")).getText())
        .isEqualTo("vs 1 day before: +50 % (avg 150 vs 100)");
    Select compare = new Select(driver.findElement(By.id("compare")));
    assertThat(compare.getFirstSelectedOption().getDomAttribute("value")).isEqualTo("1d");
    screenshot("explore-compare");

    // The toggle: off, then a week (nothing then: said so), each in the URL.
    compare.selectByValue("");
    new WebDriverWait(driver, Duration.ofSeconds(30))
        .until(d -> !d.getCurrentUrl().contains("compare="));
    WebElement plain = await("#explore-result section.panel[data-state='ok']:not([data-compare])");
    assertThat(plain.getDomAttribute("data-series")).isEqualTo("1");
    new Select(driver.findElement(By.id("compare"))).selectByValue("1w");
    new WebDriverWait(driver, Duration.ofSeconds(30))
        .until(d -> d.getCurrentUrl().contains("compare=1w"));
    WebElement week = await("#explore-result section.panel[data-compare='0']");
    assertThat(week.findElement(By.cssSelector(".compare-change")).getText())
        .isEqualTo("vs 1 week before: no data then");
    assertThat(consoleErrors()).isEmpty();
  }
}
