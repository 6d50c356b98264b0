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
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Alerts page, the alert bands on charts and the Overview's firing list, in the real headless
 * chromium against a real server whose rule fires: the alert with its labels, value and annotation,
 * its rule group's health, its history as a timeline (flapping marked: the server counts more than
 * one change as flapping here), a band on the Explore chart of the matching series and none on the
 * other series.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlertsBrowserTest {

  private Path work;
  private Vigil vigil;
  private ChromeDriver driver;
  private String base;
  private int loads;

  @BeforeAll
  void start() throws Exception {
    HeadlessChromium.assumeInstalled();
    work = Files.createTempDirectory("vigil-alerts-test");
    Path rules = work.resolve("alerts.yml");
    Files.writeString(
        rules,
        """
        groups:
        - name: browser
          interval: 1s
          rules:
          - alert: ValueHigh
            expr: alert_test_value > 5
            for: 1s
            labels: {severity: page}
            annotations: {summary: "{{ $labels.instance }} is at {{ $value }}"}
          - record: alert_test:sum
            expr: sum(alert_test_value)
          - alert: CheckoutBusy
            expr: sum by (service) (rate(shop_http_requests_total[1m])) > 0
        """);
    String yaml =
        """
        collect: {system: false, jvm: false, self: false, gpu: false}
        rule_files: ['%s']
        rules:
          flapping: {changes: 1, window: 1h}
        """
            .formatted(rules);
    ServerConfig d = ServerConfig.defaults();
    ServerConfig sc =
        new ServerConfig(
            "127.0.0.1", 0, List.of(), List.of(), List.of(), false, d.tls(), d.limits());
    VigilConfig config =
        ConfigLoader.parse("alerts-test.yml", yaml, Map.of())
            .withServer(sc)
            .withStoragePath(work.resolve("data"));
    vigil = Vigil.start(config);
    base = vigil.url();
    long now = System.currentTimeMillis() / 1000 * 1000;
    Appender app = vigil.storage().appender();
    for (long t = now - 120_000; t <= now + 300_000; t += 1000) {
      app.append(0, Labels.of("__name__", "alert_test_value", "instance", "x"), t, 10);
      app.append(0, Labels.of("__name__", "alert_other_value", "instance", "y"), t, 1);
      app.append(
          0,
          Labels.of("__name__", "shop_http_requests_total", "service", "checkout"),
          t,
          (t - now) / 1000.0 + 1000);
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

  /** Waits (re-rendering on the page's refresh) until the selector finds an element. */
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

  @Test
  void alertsPage_showsTheFiringAlert_itsGroup_andItsHistory_flappingMarked() throws Exception {
    // The page refreshes every 15 s: the first load may come before the alert fires.
    new WebDriverWait(driver, Duration.ofSeconds(60))
        .ignoring(org.openqa.selenium.TimeoutException.class) // the inner wait re-opens the page
        .until(
            d -> {
              open("page=alerts&range=1h");
              return new WebDriverWait(driver, Duration.ofSeconds(10))
                      .until(x -> !x.findElements(By.cssSelector("#alerts-groups tr")).isEmpty())
                  && !d.findElements(
                          By.cssSelector(
                              "#alerts-active tr[data-alert='ValueHigh'][data-state='firing']"))
                      .isEmpty()
                  && !d.findElements(By.cssSelector("#alerts-history .alert-band.firing"))
                      .isEmpty();
            });
    WebElement row =
        driver.findElement(By.cssSelector("#alerts-active tr[data-alert='ValueHigh']"));
    assertThat(row.getText()).contains("firing", "severity=\"page\"", "instance=\"x\"", "10");
    assertThat(row.getText()).contains("summary: x is at 10").contains("ago");
    assertThat(row.getDomAttribute("data-flapping")).isEqualTo("true");
    assertThat(row.findElements(By.cssSelector(".badge.flapping"))).hasSize(1);
    assertThat(driver.findElement(By.id("alerts-summary")).getText())
        .isEqualTo("2 firing, 0 pending.");

    WebElement group =
        driver.findElement(By.cssSelector("#alerts-groups tr[data-group='browser']"));
    assertThat(group.getDomAttribute("data-health")).isEqualTo("ok");
    assertThat(group.getText()).contains("alerts.yml", "ok", "ago");
    assertThat(group.findElements(By.tagName("td")).get(2).getText()).as("rules").isEqualTo("3");

    WebElement history =
        driver.findElement(
            By.cssSelector("#alerts-history .alert-history-row[data-alert='ValueHigh']"));
    assertThat(history.getDomAttribute("data-changes")).isEqualTo("2");
    assertThat(history.getDomAttribute("data-flapping")).isEqualTo("true");
    assertThat(history.findElements(By.cssSelector(".alert-band.pending"))).hasSize(1);
    assertThat(history.findElements(By.cssSelector(".alert-band.firing"))).hasSize(1);
    assertThat(
            history.findElements(By.cssSelector(".alert-changes li")).stream()
                .map(e -> e.getDomAttribute("data-to"))
                .toList())
        .containsExactly("firing", "pending");
    assertThat(consoleErrors()).isEmpty();
    screenshot("alerts");
  }

  @Test
  void exploreChart_bandsTheSeriesMatchingTheAlert_only() throws Exception {
    awaitFiring();
    String q = URLEncoder.encode("alert_test_value", StandardCharsets.UTF_8);
    // One alert, two bands: pending, then firing. The chart's range ends at a step boundary, so
    // a load just after the alert fired may end before it: load again until the range holds it.
    new WebDriverWait(driver, Duration.ofSeconds(60))
        .until(
            d -> {
              open("page=explore&range=1h&q=" + q);
              return "2"
                  .equals(
                      await("#explore-result section.panel[data-alert-bands]")
                          .getDomAttribute("data-alert-bands"));
            });
    Object markArea =
        ((JavascriptExecutor) driver)
            .executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                    + "import(new URL('js/vendor.js', location.href)).then((m) => {"
                    + "  const c = m.getInstanceByDom("
                    + "      document.querySelector('#explore-result .panel-body'));"
                    + "  done(JSON.stringify(c.getOption().series[0].markArea.data));"
                    + "}).catch((e) => done('error ' + e));");
    assertThat(markArea.toString()).contains("ValueHigh firing").contains("ValueHigh pending");
    screenshot("explore-alert-bands");

    String other = URLEncoder.encode("alert_other_value", StandardCharsets.UTF_8);
    open("page=explore&range=1h&q=" + other);
    WebElement otherPanel = await("#explore-result section.panel[data-alert-bands]");
    assertThat(otherPanel.getDomAttribute("data-alert-bands")).isEqualTo("0");
    assertThat(consoleErrors()).isEmpty();
  }

  @Test
  void overview_namesTheFiringAlerts_andBandsItsRequestsChart() throws Exception {
    new WebDriverWait(driver, Duration.ofSeconds(40)).until(d -> vigil.rules().firingAlerts() == 2);
    open("page=overview&range=1h");
    WebElement firing = await(".firing-alerts");
    assertThat(firing.getText()).isEqualTo("Firing: CheckoutBusy, ValueHigh");
    assertThat(firing.findElement(By.tagName("a")).getDomAttribute("href"))
        .isEqualTo("#page=alerts");
    // "Requests by service" draws sum by (service): its series {service="checkout"} matches
    // CheckoutBusy (firing at once: one band); the CPU chart matches no alert.
    WebElement requests =
        await("section.panel[aria-label='Requests by service'][data-alert-bands]");
    assertThat(requests.getDomAttribute("data-alert-bands")).isEqualTo("1");
    screenshot("overview-alerts");
  }

  private void screenshot(String name) throws Exception {
    Path shots = Files.createDirectories(Path.of("target", "screenshots"));
    Files.write(
        shots.resolve(name + ".png"),
        ((org.openqa.selenium.TakesScreenshot) driver)
            .getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
  }

  /** Waits until ValueHigh fires (CheckoutBusy, without 'for', fires at the first evaluation). */
  private void awaitFiring() {
    new WebDriverWait(driver, Duration.ofSeconds(40))
        .until(
            d ->
                vigil.rules().alerts().stream()
                    .anyMatch(
                        a ->
                            a.labels().get("alertname").equals("ValueHigh")
                                && a.state() == dev.vigil.rules.AlertState.FIRING));
  }
}
