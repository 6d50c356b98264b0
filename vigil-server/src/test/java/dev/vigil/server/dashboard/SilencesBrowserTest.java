package dev.vigil.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.notify.silence.Matchers;
import dev.vigil.notify.silence.Silence;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.CollectConfig;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.VigilConfig;
import dev.vigil.server.http.Json;
import dev.vigil.server.testing.HeadlessChromium;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Silences page in a real headless Chromium against a server whose rules fire three alerts: the
 * matcher editor previews the alerts a silence would mute, creating one goes through API v2,
 * "Silence" next to an alert fills the editor with its labels, "Expire" ends one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SilencesBrowserTest {

  private Path work;
  private Vigil vigil;
  private ChromeDriver driver;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start(@TempDir Path tmp) throws Exception {
    work = tmp;
    HeadlessChromium.assumeInstalled();
    Files.createDirectories(work.resolve("rules"));
    Files.writeString(
        work.resolve("rules/a.yml"),
        """
        groups:
        - name: g
          interval: 1s
          rules:
          - alert: DiskFull
            expr: vector(1)
            labels: {host: db-1, severity: page}
          - alert: DiskFull
            expr: vector(1)
            labels: {host: web-1, severity: page}
          - alert: CpuHot
            expr: vector(1)
            labels: {host: web-1, severity: ticket}
        """);
    Path yml = work.resolve("vigil.yml");
    Files.writeString(yml, "rule_files: ['rules/*.yml']\n");
    VigilConfig c =
        ConfigLoader.load(yml, Map.of())
            .withListen("127.0.0.1", 0)
            .withStoragePath(work.resolve("data"))
            .withCollect(new CollectConfig(Duration.ofMinutes(10), false, false, false, false, ""));
    vigil = Vigil.builder(c).configFile(yml).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (alertCount() < 3) {
      assertThat(System.nanoTime()).as("three alerts within 30 s").isLessThan(deadline);
      Thread.sleep(50); // a bounded poll: the first evaluation runs on the group's own schedule
    }

    driver = HeadlessChromium.start(work.resolve("chrome"), 1280, 1000);
  }

  private int alertCount() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(vigil.url() + "/api/v1/alerts")).build(),
            HttpResponse.BodyHandlers.ofString());
    return Json.MAPPER.readTree(r.body()).path("data").path("alerts").size();
  }

  @AfterAll
  void stop() {
    if (driver != null) driver.quit();
    if (vigil != null) vigil.close();
  }

  private WebDriverWait waiting() {
    return new WebDriverWait(driver, Duration.ofSeconds(20));
  }

  /** Clicks, finding the element again if a refresh replaced it between finding and clicking. */
  private void clickWhenStable(String css) {
    waiting()
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(
            d -> {
              d.findElement(By.cssSelector(css)).click();
              return true;
            });
  }

  private String previewCount() {
    return driver.findElement(By.id("silence-preview")).getDomAttribute("data-count");
  }

  private List<WebElement> rows(String state) {
    return driver.findElements(By.cssSelector("[data-silences='" + state + "'] tbody tr"));
  }

  @Test
  void preview_create_silenceFromAlert_expire() {
    driver.get(vigil.url() + "/#page=silences&matchers=%7Balertname%3D%22DiskFull%22%7D");
    waiting().until(d -> d.findElements(By.cssSelector("#silence-alerts li")).size() == 3);
    assertThat(driver.findElement(By.cssSelector("#nav a[data-page='silences']")).getText())
        .isEqualTo("Silences");
    // the prefilled matcher mutes both DiskFull alerts
    waiting().until(d -> "2".equals(previewCount()));
    assertThat(driver.findElement(By.id("silence-preview")).getText())
        .contains("{alertname=\"DiskFull\"} would mute 2 of 3 current alerts")
        .contains("host=\"db-1\"")
        .contains("host=\"web-1\"");

    // narrow it: host=~"db-.*"
    driver.findElement(By.id("add-matcher")).click();
    List<WebElement> names = driver.findElements(By.cssSelector(".matcher-row .m-name"));
    names.get(1).sendKeys("host");
    new Select(driver.findElements(By.cssSelector(".matcher-row .m-op")).get(1))
        .selectByValue("=~");
    driver.findElements(By.cssSelector(".matcher-row .m-value")).get(1).sendKeys("db-.*");
    waiting().until(d -> "1".equals(previewCount()));

    driver.findElement(By.id("silence-author")).sendKeys("ops");
    driver.findElement(By.id("silence-comment")).sendKeys("disk swap");
    driver.findElement(By.id("silence-create")).click();
    waiting().until(d -> rows("active").size() == 1);
    Silence s = vigil.silences().list().get(0);
    assertThat(Matchers.format(s.matchers())).isEqualTo("{alertname=\"DiskFull\",host=~\"db-.*\"}");
    assertThat(s.createdBy()).isEqualTo("ops");
    assertThat(s.comment()).isEqualTo("disk swap");
    // the browser's start is "now" on its clock; the server moves a past start to its own now
    assertThat(Duration.between(s.startsAt(), s.endsAt()))
        .isBetween(Duration.ofHours(2).minusSeconds(30), Duration.ofHours(2));
    assertThat(
            vigil
                .silences()
                .mutes(
                    dev.vigil.model.Labels.of("alertname", "DiskFull", "host", "db-1"),
                    s.startsAt()))
        .containsExactly(s.id());
    waiting()
        .until(
            d ->
                d.findElements(By.cssSelector("#silence-alerts li .badge")).stream()
                        .filter(b -> b.getText().equals("silenced"))
                        .count()
                    == 1);

    // one click from an alert: its labels in the editor, then create
    clickWhenStable("#silence-alerts li[data-alertname='CpuHot'] button.silence-alert");
    assertThat(driver.findElements(By.cssSelector(".matcher-row .m-value")))
        .extracting(e -> e.getDomProperty("value"))
        .containsExactly("CpuHot", "web-1", "ticket");
    waiting().until(d -> "1".equals(previewCount()));
    driver.findElement(By.id("silence-create")).click();
    waiting().until(d -> rows("active").size() == 2);

    // expire the first one
    clickWhenStable("[data-silences='active'] tr[data-id='" + s.id() + "'] button.expire");
    waiting().until(d -> rows("expired").size() == 1 && rows("active").size() == 1);
    assertThat(rows("expired").get(0).getDomAttribute("data-id")).isEqualTo(s.id());
  }
}
