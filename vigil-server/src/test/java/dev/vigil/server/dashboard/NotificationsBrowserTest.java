package dev.vigil.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.VigilConfig;
import dev.vigil.server.http.Json;
import dev.vigil.server.testing.HeadlessChromium;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Alerts page's notification column and notification log in the real headless Chromium, against
 * a server whose rules fire four alerts through the built-in notifier and to an Alertmanager stub:
 * one delivered to a webhook, one silenced by a real silence (linked), one inhibited by a real
 * critical alert, one whose receiver answers 500 (failed, with the error); the log filters by
 * receiver and by alert name.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotificationsBrowserTest {

  private Vigil vigil;
  private HttpServer sink;
  private ChromeDriver driver;
  private String silenceId;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start(@TempDir Path work) throws Exception {
    HeadlessChromium.assumeInstalled();
    sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    sink.createContext("/hook", ex -> answer(ex, 200));
    sink.createContext("/broken", ex -> answer(ex, 500));
    sink.createContext("/api/v2/alerts", ex -> answer(ex, 200)); // an Alertmanager stub
    sink.start();
    int port = sink.getAddress().getPort();
    Files.writeString(
        work.resolve("rules.yml"),
        """
        groups:
        - name: g
          interval: 1s
          rules:
          - alert: DiskFull
            expr: vector(1)
            labels: {host: a, severity: page}
          # HostDown before CpuHigh: the rules' changes reach the notifier in rule order, so the
          # source is there when CpuHigh's group flushes (group_wait 0s).
          - alert: HostDown
            expr: vector(1)
            labels: {host: b, severity: critical}
          - alert: CpuHigh
            expr: vector(1)
            labels: {host: b, severity: warning}
          - alert: Flaky
            expr: vector(1)
            labels: {host: d, severity: page}
        """);
    Path yml = work.resolve("vigil.yml");
    Files.writeString(
        yml,
        """
        rule_files: ['rules.yml']
        collect: {system: false, jvm: false, self: false, gpu: false}
        alerting:
          alertmanagers: [{static_configs: [{targets: ['127.0.0.1:PORT']}]}]
        notify:
          route:
            receiver: hook
            group_by: [alertname]
            group_wait: 0s
            group_interval: 1s
            routes:
              - matchers: [alertname="Flaky"]
                receiver: broken
          inhibit_rules:
            - source_matchers: [severity="critical"]
              target_matchers: [severity="warning"]
              equal: [host]
          receivers:
            - name: hook
              webhook_configs: [{url: 'http://127.0.0.1:PORT/hook'}]
            - name: broken
              webhook_configs: [{url: 'http://127.0.0.1:PORT/broken'}]
        """
            .replace("PORT", Integer.toString(port)));
    VigilConfig c =
        ConfigLoader.load(yml, Map.of())
            .withListen("127.0.0.1", 0)
            .withStoragePath(work.resolve("data"));
    vigil = Vigil.builder(c).configFile(yml).start();
    Instant now = Instant.now();
    HttpResponse<String> s =
        http.send(
            HttpRequest.newBuilder(URI.create(vigil.url() + "/api/v2/silences"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"matchers\":[{\"name\":\"alertname\",\"value\":\"Muted\",\"isRegex\":false}],"
                            + "\"startsAt\":\""
                            + now
                            + "\",\"endsAt\":\""
                            + now.plusSeconds(3600)
                            + "\",\"createdBy\":\"ops\",\"comment\":\"maintenance\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(s.statusCode()).as(s.body()).isEqualTo(200);
    silenceId = Json.MAPPER.readTree(s.body()).path("silenceID").asText();
    // Muted's rule comes only now, so that it fires under the silence (never before it).
    Files.writeString(
        work.resolve("rules.yml"),
        Files.readString(work.resolve("rules.yml"))
            + """
              - alert: Muted
                expr: vector(1)
                labels: {host: c, severity: page}
            """);
    assertThat(vigil.reload()).isNull();

    // The state the page shows, reached through the API first (bounded polls: the rules evaluate
    // on their own schedule and a failing receiver is retried for 10 s before it counts as failed).
    awaitTrue(
        () -> get("/api/v1/notifications").path("alertmanagers").path(0).hasNonNull("lastPost"),
        () -> "a post to the Alertmanager stub: " + get("/api/v1/notifications"));
    awaitTrue(() -> logHas("hook", "DiskFull", "delivered"), "DiskFull delivered to hook");
    awaitTrue(() -> logHas("broken", "Flaky", "failed"), "Flaky failed at broken");
    awaitTrue(
        () -> v2("CpuHigh").path("status").path("inhibitedBy").size() == 1, "CpuHigh inhibited");
    awaitTrue(() -> v2("Muted").path("status").path("silencedBy").size() == 1, "Muted silenced");

    driver = HeadlessChromium.start(work.resolve("chrome"), 1400, 1000);
  }

  private static void answer(com.sun.net.httpserver.HttpExchange ex, int status)
      throws java.io.IOException {
    ex.getRequestBody().readAllBytes();
    ex.sendResponseHeaders(status, -1);
    ex.close();
  }

  @AfterAll
  void stop() {
    if (driver != null) driver.quit();
    if (vigil != null) vigil.close();
    if (sink != null) sink.stop(0);
  }

  private JsonNode get(String path) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(vigil.url() + path)).build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode n = Json.MAPPER.readTree(r.body());
      return n.has("data") ? n.get("data") : n;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private boolean logHas(String receiver, String alertname, String status) {
    for (JsonNode n :
        get("/api/v1/notifications?receiver=" + receiver + "&alertname=" + alertname)
            .path("notifications")) {
      if (n.path("status").asText().equals(status)) {
        return true;
      }
    }
    return false;
  }

  private JsonNode v2(String alertname) {
    for (JsonNode a : get("/api/v2/alerts")) {
      if (a.path("labels").path("alertname").asText().equals(alertname)) {
        return a;
      }
    }
    return Json.MAPPER.createObjectNode();
  }

  private static void awaitTrue(BooleanSupplier cond, String what) throws InterruptedException {
    awaitTrue(cond, () -> what);
  }

  private static void awaitTrue(BooleanSupplier cond, java.util.function.Supplier<String> what)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting: " + what.get());
      }
      Thread.sleep(50);
    }
  }

  /** Waits, evaluating again when a refresh replaced a row the condition was reading. */
  private WebDriverWait waiting() {
    WebDriverWait w = new WebDriverWait(driver, Duration.ofSeconds(30));
    w.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    return w;
  }

  private WebElement row(String alertname) {
    return driver.findElement(By.cssSelector("#alerts-active tr[data-alert='" + alertname + "']"));
  }

  @Test
  void alertsPage_showsReceiversDeliveriesSilencesInhibitions_andTheFilterableLog() {
    driver.get(vigil.url() + "/#page=alerts");
    waiting()
        .until(
            d ->
                !d.findElements(
                        By.cssSelector("#alerts-active tr[data-alert='DiskFull'] .delivery"))
                    .isEmpty());

    WebElement disk = row("DiskFull");
    assertThat(disk.findElement(By.cssSelector(".routed")).getText()).isEqualTo("routed to hook");
    WebElement delivery = disk.findElement(By.cssSelector(".delivery"));
    assertThat(delivery.getDomAttribute("data-status")).isEqualTo("delivered");
    assertThat(delivery.getText()).contains("delivered", "hook/webhook/0", "ago");
    assertThat(disk.findElements(By.cssSelector(".silenced, .inhibited"))).isEmpty();
    WebElement am = disk.findElement(By.cssSelector(".alertmanager"));
    assertThat(am.getDomAttribute("data-status")).isEqualTo("ok");
    assertThat(am.getText()).contains("sent to Alertmanager", "/api/v2/alerts", "last post ok");

    WebElement muted = row("Muted").findElement(By.cssSelector(".silenced"));
    assertThat(muted.getText()).isEqualTo("silenced by " + silenceId);
    assertThat(muted.findElement(By.tagName("a")).getDomAttribute("href"))
        .isEqualTo("#page=silences&id=" + silenceId);
    assertThat(row("Muted").findElements(By.cssSelector(".delivery"))).isEmpty();

    WebElement inhibited = row("CpuHigh").findElement(By.cssSelector(".inhibited"));
    assertThat(inhibited.getText())
        .isEqualTo("inhibited by HostDown{host=\"b\", severity=\"critical\"}");
    assertThat(row("CpuHigh").findElements(By.cssSelector(".delivery"))).isEmpty();
    assertThat(row("HostDown").findElements(By.cssSelector(".inhibited"))).isEmpty();

    WebElement failed = row("Flaky").findElement(By.cssSelector(".delivery"));
    assertThat(failed.getDomAttribute("data-status")).isEqualTo("failed");
    assertThat(failed.getText()).contains("failed", "broken/webhook/0", "500");

    // the log, unfiltered: the delivered and the failed notifications, no silenced or inhibited one
    List<WebElement> log = driver.findElements(By.cssSelector("#alerts-notifications tbody tr"));
    assertThat(log).isNotEmpty();
    assertThat(driver.findElements(By.cssSelector("#alerts-notifications .sent-alert")))
        .extracting(e -> e.getDomAttribute("data-alert"))
        .contains("DiskFull", "HostDown", "Flaky")
        .doesNotContain("Muted", "CpuHigh");

    // filtered by receiver: only broken's failed attempts, with the error
    WebElement receiver = driver.findElement(By.id("notify-filter-receiver"));
    receiver.sendKeys("broken\n");
    waiting()
        .until(
            d ->
                !d.findElements(By.cssSelector("#alerts-notifications tbody tr")).isEmpty()
                    && d.findElements(By.cssSelector("#alerts-notifications tbody tr")).stream()
                        .allMatch(r -> "broken".equals(r.getDomAttribute("data-receiver"))));
    List<WebElement> broken = driver.findElements(By.cssSelector("#alerts-notifications tbody tr"));
    assertThat(broken).isNotEmpty();
    assertThat(broken.get(0).getDomAttribute("data-status")).isEqualTo("failed");
    assertThat(broken.get(0).getText()).contains("Flaky", "failed", "500");

    // by alert name: DiskFull's deliveries only
    receiver.clear();
    driver.findElement(By.id("notify-filter-alert")).sendKeys("DiskFull\n");
    waiting()
        .until(
            d -> {
              List<WebElement> rows =
                  d.findElements(By.cssSelector("#alerts-notifications tbody tr"));
              return !rows.isEmpty()
                  && rows.stream().allMatch(r -> "hook".equals(r.getDomAttribute("data-receiver")))
                  && d.findElements(By.cssSelector("#alerts-notifications .sent-alert")).stream()
                      .allMatch(a -> "DiskFull".equals(a.getDomAttribute("data-alert")));
            });

    // the silence link opens the Silences page with that silence marked
    row("Muted").findElement(By.cssSelector(".silenced a")).click();
    waiting()
        .until(
            d ->
                !d.findElements(By.cssSelector("tr.highlight[data-id='" + silenceId + "']"))
                    .isEmpty());
  }
}
