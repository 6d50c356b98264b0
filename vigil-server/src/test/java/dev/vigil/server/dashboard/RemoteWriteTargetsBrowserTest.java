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
      // The page refreshes itself (replacing its rows): read the table in one script call, and wait
      // for both queues to show their final counts.
      List<List<String>> rows =
          wait.until(
              x -> {
                d.get(vigil.url() + "/?load=" + System.nanoTime() + "#page=targets");
                List<List<String>> r =
                    new WebDriverWait(d, Duration.ofSeconds(20))
                        .until(
                            y -> {
                              List<List<String>> t = queueRows(d);
                              return t.size() == 2 ? t : null;
                            });
                return r.get(0).get(1).equals("central")
                        && r.get(0).get(5).equals("25")
                        && r.get(1).get(7).matches("[1-9][0-9]*")
                    ? r
                    : null;
              });
      List<String> central = rows.get(0).subList(1, rows.get(0).size());
      assertThat(central.subList(0, 8))
          .containsExactly("central", base + "/ok", "1", "0", "25", "0", "0", "0");
      List<String> backup = rows.get(1).subList(1, rows.get(1).size());
      assertThat(backup.get(0)).isEqualTo("backup");
      assertThat(backup.get(3)).as("pending").isEqualTo("25");
      assertThat(backup.get(4)).as("sent").isEqualTo("0");
      assertThat(backup.get(8)).as("lag").isEqualTo("nothing sent yet");
      assertThat(backup.get(9)).isEqualTo("HTTP 503: overloaded, try later");
      assertThat(rows.get(1).get(0)).as("row class").contains("health-down");
    } finally {
      if (driver != null) {
        driver.quit();
      }
      receiver.stop(0);
    }
  }

  /** Each queue row as [its class, then its cells' text], read at one instant. */
  @SuppressWarnings("unchecked")
  private static List<List<String>> queueRows(ChromeDriver d) {
    Object r =
        d.executeScript(
            "return [...document.querySelectorAll('tr[data-queue]')].map(r =>"
                + " [r.className, ...[...r.cells].map(c => c.innerText.trim())]);");
    return (List<List<String>>) r;
  }
}
