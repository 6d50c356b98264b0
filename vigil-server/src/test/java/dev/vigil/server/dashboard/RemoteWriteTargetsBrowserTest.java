package dev.vigil.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.testing.HeadlessChromium;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Targets page in a real headless Chromium lists the remote write queues: one whose receiver
 * takes everything (its samples counted as sent) and one whose receiver answers 503 (its backlog
 * pending and the receiver's answer shown as the error).
 */
class RemoteWriteTargetsBrowserTest {

  @TempDir Path work;

  @Test
  void targetsPage_showsEachQueue_withItsCountsAndLastError() throws Exception {
    HeadlessChromium.assumeInstalled();
    HttpServer receiver =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext(
        "/ok",
        ex -> {
          ex.getRequestBody().readAllBytes();
          ex.sendResponseHeaders(204, -1);
          ex.close();
        });
    receiver.createContext(
        "/down",
        ex -> {
          ex.getRequestBody().readAllBytes();
          byte[] b = "overloaded, try later".getBytes();
          ex.sendResponseHeaders(503, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    receiver.start();
    String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
    Path yml = work.resolve("vigil.yml");
    Files.writeString(
        yml,
        "server:\n  listen: 127.0.0.1:0\nstorage:\n  path: \""
            + work.resolve("data").toString().replace("\\", "/")
            + "\"\ncollect:\n  self: false\n  system: false\n  jvm: false\n  gpu: false\n"
            + "remote_write:\n"
            + "  - {url: '"
            + base
            + "/ok', name: central, queue_config: {batch_send_deadline: 10ms}}\n"
            + "  - {url: '"
            + base
            + "/down', name: backup, queue_config: {batch_send_deadline: 10ms, min_backoff: 50ms,"
            + " max_backoff: 100ms}}\n");
    ChromeDriver driver = null;
    try (Vigil vigil = Vigil.builder(ConfigLoader.load(yml, Map.of())).start()) {
      Appender a = vigil.storage().appender();
      for (int i = 0; i < 25; i++) {
        a.append(
            0, Labels.of("__name__", "shown", "i", Integer.toString(i)), 1_700_000_000_000L, i);
      }
      a.commit();
      driver = HeadlessChromium.start(work.resolve("chrome"), 1280, 1000);
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
      ChromeDriver d = driver;
      // The page refreshes itself; wait for both queues to show their final counts.
      wait.until(
          x -> {
            d.get(vigil.url() + "/?load=" + System.nanoTime() + "#page=targets");
            List<WebElement> rows =
                new WebDriverWait(d, Duration.ofSeconds(20))
                    .until(
                        y -> {
                          List<WebElement> r = y.findElements(By.cssSelector("tr[data-queue]"));
                          return r.size() == 2 ? r : null;
                        });
            return rows.get(0).getText().contains("central")
                && cells(rows.get(0)).get(4).equals("25")
                && cells(rows.get(1)).get(6).matches("[1-9][0-9]*");
          });
      List<WebElement> rows = driver.findElements(By.cssSelector("tr[data-queue]"));
      List<String> central = cells(rows.get(0));
      assertThat(central.subList(0, 8))
          .containsExactly("central", base + "/ok", "1", "0", "25", "0", "0", "0");
      List<String> backup = cells(rows.get(1));
      assertThat(backup.get(0)).isEqualTo("backup");
      assertThat(backup.get(3)).as("pending").isEqualTo("25");
      assertThat(backup.get(4)).as("sent").isEqualTo("0");
      assertThat(backup.get(8)).as("lag").isEqualTo("nothing sent yet");
      assertThat(backup.get(9)).isEqualTo("HTTP 503: overloaded, try later");
      assertThat(rows.get(1).getAttribute("class")).contains("health-down");
    } finally {
      if (driver != null) {
        driver.quit();
      }
      receiver.stop(0);
    }
  }

  private static List<String> cells(WebElement row) {
    return row.findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
  }
}
