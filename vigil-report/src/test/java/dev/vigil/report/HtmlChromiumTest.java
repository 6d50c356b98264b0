package dev.vigil.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Each built-in report's HTML opened from a file in the real headless Chromium (Debian's chromium
 * and chromium-driver, installed by scripts/install-test-deps): every section heading is shown,
 * every chart image decoded, laid out at a readable size, not blank (its pixels read back through a
 * canvas), and the page loaded nothing from outside itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HtmlChromiumTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  @TempDir static Path dir;
  private ChromeDriver driver;

  @BeforeAll
  void start() throws Exception {
    assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
        "chromium and chromium-driver are installed by scripts/install-test-deps");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,1000",
        "--user-data-dir=" + Files.createDirectories(dir.resolve("chrome")));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(DRIVER.toFile())
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
  }

  @AfterAll
  void stop() {
    if (driver != null) {
      driver.quit();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"system_performance", "weekly_summary", "cost", "quality_trends"})
  void html_showsEverySectionAndEveryChart_selfContained(String name) throws Exception {
    Report r = Fixtures.runner().run(ReportLibrary.of(null).get(name), null, Fixtures.END);
    Path html = dir.resolve(name + ".html");
    Files.write(html, ReportFormat.HTML.render(r));
    driver.get(html.toUri().toString());

    assertThat(driver.getTitle()).isEqualTo(r.title());
    List<String> headings =
        driver.findElements(By.tagName("h2")).stream().map(WebElement::getText).toList();
    assertThat(headings)
        .containsExactlyElementsOf(r.parts().stream().map(Report.Part::title).toList());

    List<WebElement> figures = driver.findElements(By.cssSelector("figure.chart"));
    long charts = r.parts().stream().filter(p -> p.chart() != null).count();
    assertThat(figures).hasSize((int) charts).isNotEmpty();
    JavascriptExecutor js = driver;
    for (WebElement f : figures) {
      WebElement img = f.findElement(By.tagName("img"));
      ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView()", img);
      assertThat(img.isDisplayed()).isTrue();
      assertThat(f.findElement(By.tagName("figcaption")).getText()).startsWith("Figure ");
      @SuppressWarnings("unchecked")
      Map<String, Object> m =
          (Map<String, Object>)
              js.executeScript(
                  """
                  const img = arguments[0];
                  const box = img.getBoundingClientRect();
                  const c = document.createElement('canvas');
                  c.width = img.naturalWidth; c.height = img.naturalHeight;
                  const g = c.getContext('2d');
                  g.drawImage(img, 0, 0);
                  const d = g.getImageData(0, 0, c.width, c.height).data;
                  let nonWhite = 0; const colours = new Set();
                  for (let i = 0; i < d.length; i += 4) {
                    if (d[i] + d[i + 1] + d[i + 2] < 735) nonWhite++;
                    if (colours.size < 1000) colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
                  }
                  return {complete: img.complete, natural: img.naturalWidth, width: box.width,
                          height: box.height, nonWhite: nonWhite, pixels: d.length / 4,
                          colours: colours.size};
                  """,
                  img);
      assertThat(m.get("complete")).isEqualTo(true);
      assertThat(((Number) m.get("natural")).intValue()).isEqualTo(Charts.SCALE * Charts.WIDTH);
      assertThat(((Number) m.get("width")).doubleValue()).isGreaterThanOrEqualTo(600);
      assertThat(((Number) m.get("height")).doubleValue()).isGreaterThanOrEqualTo(250);
      assertThat(((Number) m.get("nonWhite")).longValue())
          .isGreaterThan(((Number) m.get("pixels")).longValue() / 50);
      assertThat(((Number) m.get("colours")).intValue()).isGreaterThan(8);
    }
    // Self-contained: no stylesheet, script, font or image fetched from anywhere.
    Object fetched =
        js.executeScript("return performance.getEntriesByType('resource').map(e => e.name)");
    assertThat((List<?>) fetched).isEmpty();
  }
}
