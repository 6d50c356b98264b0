package dev.vigil.server.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.CollectConfig;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.VigilConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adding and removing the whole {@code notify} section, and {@code alerting.alertmanagers}, through
 * the real server's {@code POST /-/reload}, without a restart: the built-in notifier starts with
 * the alerts firing at that moment and delivers them; removed, its API answers 404 and it sends no
 * more; an Alertmanager added by a reload gets the firing alert at the next evaluation, not a
 * {@code resend_delay} (here 1 h) later.
 */
class NotifySectionReloadTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  HttpServer sink;
  final List<String> hook = new CopyOnWriteArrayList<>();
  final List<String> am = new CopyOnWriteArrayList<>();
  final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    if (sink != null) {
      sink.stop(0);
    }
  }

  private void startSink() throws Exception {
    sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    sink.createContext("/hook", ex -> take(ex, hook));
    sink.createContext("/api/v2/alerts", ex -> take(ex, am));
    sink.start();
  }

  private static void take(com.sun.net.httpserver.HttpExchange ex, List<String> into)
      throws java.io.IOException {
    into.add(
        new String(ex.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    ex.sendResponseHeaders(200, -1);
    ex.close();
  }

  private HttpResponse<String> send(String method, String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void awaitTrue(BooleanSupplier cond, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!cond.getAsBoolean()) {
      assertThat(System.nanoTime()).as("timed out waiting: " + what).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  @Test
  void addingAndRemovingNotifyAndAlertmanagers_onReload_takeEffectWithoutRestart()
      throws Exception {
    startSink();
    int port = sink.getAddress().getPort();
    Files.writeString(dir.resolve("rules.yml"), AlertingConfigTest.RULES);
    String base =
        """
        global: {evaluation_interval: 1s}
        rule_files: [rules.yml]
        rules: {resend_delay: 1h}
        """;
    String notify =
        """
        notify:
          route: {receiver: hook, group_by: [alertname], group_wait: 0s, group_interval: 1s}
          receivers:
            - name: hook
              webhook_configs: [{url: 'http://127.0.0.1:PORT/hook'}]
        """
            .replace("PORT", Integer.toString(port));
    String alerting =
        """
        alerting:
          alertmanagers: [{static_configs: [{targets: ['127.0.0.1:PORT']}]}]
        """
            .replace("PORT", Integer.toString(port));
    Path yml = dir.resolve("vigil.yml");
    Files.writeString(yml, base);
    VigilConfig c =
        ConfigLoader.load(yml, Map.of())
            .withListen("127.0.0.1", 0)
            .withStoragePath(dir.resolve("data"))
            .withCollect(new CollectConfig(Duration.ofMinutes(10), false, false, false, false, ""));
    try (Vigil v = Vigil.builder(c).configFile(yml).start()) {
      awaitTrue(() -> v.rules().firingAlerts() == 1, "AlwaysOn firing");
      HttpResponse<String> off = send("GET", v.url() + "/api/v2/alerts");
      assertThat(off.statusCode()).isEqualTo(404);
      assertThat(off.body()).contains("no notify section");

      // Add notify and an Alertmanager: both hear of the alert already firing.
      Files.writeString(yml, base + notify + alerting);
      HttpResponse<String> r = send("POST", v.url() + "/-/reload");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      awaitTrue(() -> hook.size() == 1, "the firing alert delivered to the webhook");
      assertThat(JSON.readTree(hook.get(0)).at("/alerts/0/labels/alertname").asText())
          .isEqualTo("AlwaysOn");
      awaitTrue(() -> !am.isEmpty(), "the firing alert posted to the added Alertmanager");
      assertThat(am.get(0)).contains("\"alertname\":\"AlwaysOn\"");
      JsonNode v2 = JSON.readTree(send("GET", v.url() + "/api/v2/alerts").body());
      assertThat(v2.get(0).at("/labels/alertname").asText()).isEqualTo("AlwaysOn");
      assertThat(send("GET", v.url() + "/metrics").body())
          .contains("vigil_notify_notifications_total{integration=\"webhook\"} 1");
      assertThat(send("GET", v.url() + "/api/v1/alerts/history").body())
          .contains("hook/webhook/0@");

      // Remove both: the API is gone, nothing more is sent.
      Files.writeString(yml, base);
      r = send("POST", v.url() + "/-/reload");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(send("GET", v.url() + "/api/v2/alerts").statusCode()).isEqualTo(404);
      assertThat(send("GET", v.url() + "/metrics").body()).doesNotContain("vigil_notify_alerts");
      assertThat(JSON.readTree(send("GET", v.url() + "/api/v1/notifications").body()).at("/data"))
          .hasToString(
              "{\"builtin\":false,\"notifications\":[],\"truncated\":false,\"alertmanagers\":[]}");
    }
  }
}
