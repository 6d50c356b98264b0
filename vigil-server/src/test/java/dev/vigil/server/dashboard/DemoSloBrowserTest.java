package dev.vigil.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.server.Vigil;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.ServerConfig;
import dev.vigil.server.config.VigilConfig;
import dev.vigil.server.demo.DemoApplications;
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
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The SLO page on the demo's SLOs, in the real headless chromium: a Vigil set up as {@code vigil
 * serve --demo} sets it up (DevLoop's SLOs from {@link DemoApplications#sloSpec()} in {@code
 * slo_files}, the simulated applications scraped), whose production incident is under way at start.
 * Production's success-rate SLO shows its budget chart, its four burn-rate rows above their
 * thresholds and its page alert firing; staging's stays within budget.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoSloBrowserTest {

  private Path work;
  private Vigil vigil;
  private DemoApplications demo;
  private ChromeDriver driver;
  private int loads;

  @BeforeAll
  void start() throws Exception {
    HeadlessChromium.assumeInstalled();
    work = Files.createTempDirectory("vigil-demo-slo-test");
    Path spec = work.resolve("devloop-slos.yml");
    Files.writeString(spec, DemoApplications.sloSpec());
    String yaml =
        """
        global: {evaluation_interval: 1s}
        collect: {interval: 1s, system: false, jvm: false, gpu: false, self: true}
        slo_files: ['%s']
        """
            .formatted(spec);
    ServerConfig d = ServerConfig.defaults();
    ServerConfig sc =
        new ServerConfig(
            "127.0.0.1", 0, List.of(), List.of(), List.of(), false, d.tls(), d.limits());
    VigilConfig config =
        ConfigLoader.parse("demo-slo-test.yml", yaml, Map.of())
            .withServer(sc)
            .withStoragePath(work.resolve("data"));
    vigil = Vigil.start(config);
    // What `vigil serve --demo` does (vigil-cli's DemoMode).
    demo = new DemoApplications(vigil.recorders(), vigil.registry(), 42, System::currentTimeMillis);
    demo.start();
    vigil
        .scrapes()
        .addLocal(
            "demo",
            "127.0.0.1:" + vigil.port(),
            vigil.config().collect().interval(),
            demo::extraExposition);

    driver = HeadlessChromium.start(work.resolve("chrome"), 1280, 1000);
  }

  @AfterAll
  void stop() throws Exception {
    if (driver != null) driver.quit();
    if (demo != null) demo.close();
    if (vigil != null) vigil.close();
    if (work != null) {
      try (Stream<Path> s = Files.walk(work)) {
        s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  private List<String> consoleErrors() {
    List<String> out = new ArrayList<>();
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      if (e.getLevel().intValue() >= Level.WARNING.intValue()) out.add(e.getMessage());
    }
    return out;
  }

  @Test
  void demoSlos_productionBurnsItsBudget_andItsPageAlertFires_stagingDoesNot() throws Exception {
    String production = ".slo[data-slo='devloop-agents-success-rate-production']";
    // The demo's runs are scraped every second and the SLO rules evaluated every second: reload
    // until the page alert fires (a minute or two on a loaded machine).
    new WebDriverWait(driver, Duration.ofSeconds(240))
        .ignoring(org.openqa.selenium.TimeoutException.class) // the inner wait re-opens the page
        .until(
            d -> {
              driver.get(vigil.url() + "/?load=" + (++loads) + "#page=slos&range=1h");
              return new WebDriverWait(driver, Duration.ofSeconds(20))
                      .until(
                          x ->
                              !x.findElements(By.cssSelector(production + " .slo-budget"))
                                  .isEmpty())
                  && !d.findElements(
                          By.cssSelector(
                              production
                                  + " .slo-alert[data-severity='page'][data-state='firing']"))
                      .isEmpty()
                  && !d.findElements(By.cssSelector(production + " .slo-budget[data-state='ok']"))
                      .isEmpty()
                  // The figures are read at the range's end (a step boundary): in the first
                  // seconds of the incident they may predate the failures the alert saw.
                  && !d.findElements(
                          By.cssSelector(
                              production
                                  + " tr.slo-burn[data-severity='page'][data-burning='true']"))
                      .isEmpty();
            });
    assertThat(driver.findElements(By.cssSelector(".slo"))).hasSize(6);
    // What docs/dashboard.md quotes: one instant query for every SLO's figures, a chart each.
    System.out.printf(
        "DemoSloBrowserTest: SLO page of 6 SLOs rendered in %s ms%n",
        driver.executeScript("return document.body.dataset.lastRenderMs"));
    WebElement card = driver.findElement(By.cssSelector(production));
    assertThat(card.getDomAttribute("data-status")).isEqualTo("crit");
    assertThat(card.findElement(By.cssSelector("[data-figure='objective']")).getText())
        .contains("99.5 %");
    assertThat(card.findElement(By.cssSelector(".slo-alert[data-severity='page']")).getText())
        .contains("DevLoopAgentSuccessRateProduction");
    List<WebElement> burns = card.findElements(By.cssSelector("tr.slo-burn"));
    assertThat(burns).hasSize(4);
    // A quarter of the runs fail (50 times the 0.5 % budget): a page pair is above its threshold,
    // as the firing page alert says (the first minutes' rates see fewer failures: new series).
    assertThat(
            card.findElements(
                By.cssSelector("tr.slo-burn[data-severity='page'][data-burning='true']")))
        .as(card.getText())
        .isNotEmpty();
    // The period's figures exist (a window without runs gives no sample, not NaN).
    assertThat(card.findElement(By.cssSelector("[data-figure='remaining'] .stat-value")).getText())
        .as(card.getText())
        .endsWith("%");
    assertThat(card.findElement(By.cssSelector(".slo-budget")).getDomAttribute("data-points"))
        .isNotEqualTo("0");

    WebElement staging =
        driver.findElement(By.cssSelector(".slo[data-slo='devloop-agents-success-rate-staging']"));
    assertThat(
            staging
                .findElement(By.cssSelector(".slo-alert[data-severity='page']"))
                .getDomAttribute("data-state"))
        .isEqualTo("inactive");
    assertThat(
            staging.findElements(
                By.cssSelector("tr.slo-burn[data-window='1h'][data-burning='true']")))
        .isEmpty();
    Files.write(
        Files.createDirectories(Path.of("target", "screenshots")).resolve("demo-slos.png"),
        driver.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
    assertThat(consoleErrors()).isEmpty();
  }
}
