package dev.vigil.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.http.Json;
import dev.vigil.server.testing.HeadlessChromium;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Anomaly bands in a real headless Chromium: a series marked in vigil.yml gets its band drawn
 * behind its line on the Explore chart, with the spike outside the band marked; a chart's
 * "Anomalies" tool marks its expression through the API and unmarks it again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnomalyBandsBrowserTest {
  private static final long MIN = 60_000;

  private Path work;
  private Vigil vigil;
  private ChromeDriver driver;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() throws Exception {
    HeadlessChromium.assumeInstalled();
    work = Files.createTempDirectory("vigil-anomaly-test");
    String yaml =
        """
        server:
          listen: 127.0.0.1:0
        storage:
          path: %s
        collect:
          system: false
          jvm: false
          gpu: false
          self: false
        anomaly:
          marks:
            - name: shop
              expr: demo_requests
        """
            .formatted(work.resolve("data"));
    vigil = Vigil.start(ConfigLoader.parse("vigil.yml", yaml, Map.of()));
    // An hour and a half of data ending now (where the dashboard's 1 h range looks), evaluated by
    // the detector minute by minute as its schedule would; the last 3 minutes are a spike.
    long end = System.currentTimeMillis() / MIN * MIN;
    for (long t = end - 90 * MIN; t <= end; t += MIN) {
      Appender app = vigil.storage().appender();
      double v = t > end - 3 * MIN ? 400 : 100 + (t / MIN) % 5;
      app.append(0, Labels.of("__name__", "demo_requests", "job", "shop"), t, v);
      app.append(0, Labels.of("__name__", "other_requests", "job", "shop"), t, 7);
      app.commit();
      vigil.anomaly().detector().evaluateAt(t);
    }

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

  private WebElement explore(String expr) {
    // A new document each time: Explore reads q when it mounts, not on a later hash change.
    driver.get("about:blank");
    driver.get(vigil.url() + "/#page=explore&range=1h&q=" + expr);
    String css = "section.panel[aria-label='" + expr + "']";
    new WebDriverWait(driver, Duration.ofSeconds(60))
        .until(
            d ->
                d.findElements(By.cssSelector(css)).stream()
                    .anyMatch(
                        p ->
                            "ok".equals(p.getDomAttribute("data-state"))
                                || "error".equals(p.getDomAttribute("data-state"))));
    WebElement panel = driver.findElement(By.cssSelector(css));
    assertThat(panel.getDomAttribute("data-state"))
        .as(panel.findElement(By.cssSelector(".panel-error")).getText())
        .isEqualTo("ok");
    return panel;
  }

  private JsonNode series(String title) throws Exception {
    Object r =
        ((JavascriptExecutor) driver)
            .executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                    + "import('/_static/echarts/6.0.0/dist/echarts.esm.min.js').then((e) => {"
                    + "  const body = document.querySelector("
                    + "    `section.panel[aria-label='${arguments[0]}'] .panel-body`);"
                    + "  done(JSON.stringify(e.getInstanceByDom(body).getOption().series));"
                    + "}, (err) => done('import failed: ' + err));",
                title);
    return Json.MAPPER.readTree(String.valueOf(r));
  }

  @Test
  void markedSeries_hasItsBandDrawn_andTheSpikeOutsideItMarked() throws Exception {
    WebElement panel = explore("demo_requests");
    new WebDriverWait(driver, Duration.ofSeconds(60))
        .until(d -> "1".equals(panel.getDomAttribute("data-anomaly-bands")));

    JsonNode lower = null;
    JsonNode height = null;
    JsonNode outside = null;
    for (JsonNode s : series("demo_requests")) {
      String id = s.path("id").asText();
      if (id.endsWith("-lower")) lower = s;
      if (id.endsWith("-height")) height = s;
      if (id.endsWith("-outside")) outside = s;
    }
    assertThat(lower).as("the band's lower edge").isNotNull();
    assertThat(height).as("the band's height, filled").isNotNull();
    assertThat(height.get("areaStyle")).isNotNull();
    assertThat(lower.get("stack").asText()).isEqualTo(height.get("stack").asText());
    assertThat(lower.get("data").size()).isGreaterThan(30);
    // Before the spike, the band holds the series (100..104): lower below, lower+height above.
    int i = lower.get("data").size() - 10;
    double lo = lower.get("data").get(i).get(1).asDouble();
    double hi = lo + height.get("data").get(i).get(1).asDouble();
    assertThat(lo).isLessThan(100);
    assertThat(hi).isGreaterThan(104).isLessThan(400);
    assertThat(outside).as("points outside the band").isNotNull();
    assertThat(outside.get("data").get(0).get(1).asDouble()).isEqualTo(400);
  }

  @Test
  void anomaliesTool_marksTheChartsExpression_andUnmarksIt() throws Exception {
    WebElement panel = explore("other_requests");
    WebElement tool = panel.findElement(By.cssSelector("button.tool-anomaly"));
    assertThat(tool.getDomAttribute("aria-pressed")).isEqualTo("false");

    tool.click();
    new WebDriverWait(driver, Duration.ofSeconds(60))
        .until(d -> "true".equals(tool.getDomAttribute("aria-pressed")));
    JsonNode marks = marks();
    assertThat(marks).hasSize(2);
    assertThat(marks.get(1).get("expr").asText()).isEqualTo("other_requests");
    assertThat(marks.get(1).get("source").asText()).isEqualTo("api");

    tool.click();
    new WebDriverWait(driver, Duration.ofSeconds(60))
        .until(d -> "false".equals(tool.getDomAttribute("aria-pressed")));
    assertThat(marks()).hasSize(1);
  }

  private JsonNode marks() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(vigil.url() + "/api/v1/anomaly/marks")).build(),
            HttpResponse.BodyHandlers.ofString());
    return Json.MAPPER.readTree(r.body()).get("data");
  }
}
