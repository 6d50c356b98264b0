package dev.vigil.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.server.Vigil;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.testing.ExternalProcess;
import dev.vigil.server.testing.HeadlessChromium;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard over {@code query.remote} in a real headless Chromium: with data only in a real
 * VictoriaMetrics 1.79 and Vigil in replace mode, Explore shows that data, and the Targets page
 * shows the backend with its requests. Skipped when chromium or victoria-metrics is missing.
 */
class RemoteQueryBrowserTest {
  @TempDir Path work;

  @Test
  void exploreShowsTheBackendsData_andTargetsShowsTheBackend() throws Exception {
    HeadlessChromium.assumeInstalled();
    Path bin = ExternalProcess.require("victoria-metrics");
    HttpClient http = HttpClient.newHttpClient();
    ChromeDriver driver = null;
    try (ExternalProcess vm =
        ExternalProcess.start(
            List.of(
                bin.toString(),
                "-storageDataPath=" + work.resolve("vm-data"),
                "-httpListenAddr=127.0.0.1:{port}",
                "-search.latencyOffset=0s",
                "-search.disableCache",
                "-loggerLevel=ERROR"),
            "/health",
            work)) {
      String vmUrl = "http://" + vm.address();
      long now = System.currentTimeMillis();
      StringBuilder text = new StringBuilder();
      for (long t = now - 10 * 60_000; t <= now + 10 * 60_000; t += 15_000) {
        text.append("rqb_queue_depth{agent=\"vm-agent\"} 7 ").append(t).append('\n');
      }
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(vmUrl + "/api/v1/import/prometheus"))
                  .POST(HttpRequest.BodyPublishers.ofString(text.toString()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          vmUrl
                              + "/api/v1/query?query=rqb_queue_depth&time="
                              + System.currentTimeMillis() / 1000))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body()
          .contains("vm-agent")) {
        assertThat(System.nanoTime()).as("VictoriaMetrics serves the series").isLessThan(deadline);
        Thread.sleep(50); // polling another process
      }
      Path yml = work.resolve("vigil.yml");
      Files.writeString(
          yml,
          "server:\n  listen: 127.0.0.1:0\nstorage:\n  path: \""
              + work.resolve("data").toString().replace("\\", "/")
              + "\"\ncollect:\n  self: false\n  system: false\n  jvm: false\n  gpu: false\n"
              + "query:\n  remote:\n    url: "
              + vmUrl
              + "\n    mode: replace\n");
      try (Vigil vigil = Vigil.builder(ConfigLoader.load(yml, Map.of())).start()) {
        driver = HeadlessChromium.start(work.resolve("chrome"), 1280, 1000);
        ChromeDriver d = driver;
        d.get(
            vigil.url()
                + "/?load=1#page=explore&q="
                + URLEncoder.encode("rqb_queue_depth", StandardCharsets.UTF_8)
                + "&tab=table&range=1h");
        new WebDriverWait(d, Duration.ofSeconds(60))
            .until(
                x -> {
                  List<String> cells = cells(d, "#explore-result td");
                  return cells.contains("vm-agent") && cells.contains("7");
                });
        d.get(vigil.url() + "/?load=2#page=targets");
        List<String> row =
            new WebDriverWait(d, Duration.ofSeconds(60))
                .until(
                    x -> {
                      List<String> c = cells(d, "tr[data-remote-query] td");
                      return c.size() == 6 && !c.get(2).equals("0") ? c : null;
                    });
        assertThat(row.get(0)).isEqualTo(vmUrl);
        assertThat(row.get(1)).isEqualTo("replace");
        assertThat(row.get(3)).as("failed").isEqualTo("0");
        assertThat(row.get(4)).startsWith("200: ");
      }
    } finally {
      if (driver != null) {
        driver.quit();
      }
    }
  }

  private static List<String> cells(ChromeDriver d, String css) {
    try {
      return d.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
    } catch (StaleElementReferenceException e) {
      return List.of();
    }
  }
}
