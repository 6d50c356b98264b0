package dev.vigil.server.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.ConfigException;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.VigilConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** vigil.yml's {@code notify} section: checked by the loader, served on /api/v2 by the server. */
class BuiltinNotifierServerTest {
  static final ObjectMapper JSON = new ObjectMapper();
  final HttpClient client = HttpClient.newHttpClient();

  @Test
  void notifySection_postedAlert_isListedAndDeliveredToTheWebhook(@TempDir Path tmp)
      throws Exception {
    List<JsonNode> got = new CopyOnWriteArrayList<>();
    HttpServer sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    sink.createContext(
        "/hook",
        ex -> {
          got.add(JSON.readTree(ex.getRequestBody().readAllBytes()));
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    sink.start();
    String yaml =
        """
        notify:
          route:
            receiver: hook
            group_by: [alertname]
            group_wait: 0s
          receivers:
            - name: hook
              webhook_configs:
                - url: http://127.0.0.1:PORT/hook
        """
            .replace("PORT", Integer.toString(sink.getAddress().getPort()));
    VigilConfig c =
        ConfigLoader.parse("vigil.yml", yaml, Map.of())
            .withListen("127.0.0.1", 0)
            .withStoragePath(tmp.resolve("data"));
    try (Vigil v = Vigil.start(c)) {
      String alerts =
          "[{\"labels\":{\"alertname\":\"DiskFull\",\"instance\":\"a\"},\"annotations\":{\"summary\":\"full\"}}]";
      HttpResponse<String> post =
          client.send(
              HttpRequest.newBuilder(URI.create(v.url() + "/api/v2/alerts"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(alerts))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).isEqualTo(200);
      JsonNode list = JSON.readTree(get(v.url() + "/api/v2/alerts").body());
      assertThat(list.get(0).get("labels").get("alertname").asText()).isEqualTo("DiskFull");
      assertThat(list.get(0).get("receivers").get(0).get("name").asText()).isEqualTo("hook");
      assertThat(get(v.url() + "/api/v2/receivers").body()).isEqualTo("[{\"name\":\"hook\"}]");
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (got.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      // Exactly one: with group_wait 0s two overlapping flushes once sent it twice.
      assertThat(got).hasSize(1);
      assertThat(got.get(0).get("externalURL").asText()).isEqualTo(v.url());
      assertThat(got.get(0).get("groupKey").asText()).isEqualTo("{}:{alertname=\"DiskFull\"}");
      String metrics = get(v.url() + "/metrics").body();
      assertThat(metrics)
          .contains("vigil_notify_notifications_total{integration=\"webhook\"} 1")
          .contains("vigil_notify_notifications_failed_total{integration=\"webhook\"} 0")
          .contains("vigil_notify_alerts{state=\"active\"} 1")
          .contains("vigil_notify_notification_latency_seconds_total{integration=\"webhook\"} ");
      // Bad input: a 400 naming the problem.
      HttpResponse<String> bad =
          client.send(
              HttpRequest.newBuilder(URI.create(v.url() + "/api/v2/alerts"))
                  .POST(HttpRequest.BodyPublishers.ofString("[{\"labels\":{}}]"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body()).contains("alerts[0].labels: at least one label pair required");
      assertThat(get(v.url() + "/api/v2/alerts?filter=%7Bbad").statusCode()).isEqualTo(400);
    } finally {
      sink.stop(0);
    }
  }

  @Test
  void ruleEnginesFiringAlert_reachesTheWebhook_withItsLabelsAndAnnotations(@TempDir Path tmp)
      throws Exception {
    List<JsonNode> got = new CopyOnWriteArrayList<>();
    HttpServer sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    sink.createContext(
        "/hook",
        ex -> {
          got.add(JSON.readTree(ex.getRequestBody().readAllBytes()));
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    sink.start();
    java.nio.file.Files.writeString(
        tmp.resolve("rules.yml"),
        """
        groups:
          - name: g
            interval: 1s
            rules:
              - alert: AlwaysOn
                expr: vector(1)
                labels: {severity: page}
                annotations: {summary: 'value {{ $value }}'}
        """);
    Path file = tmp.resolve("vigil.yml");
    java.nio.file.Files.writeString(
        file,
        """
        rule_files: [rules.yml]
        notify:
          route: {receiver: hook, group_by: [alertname], group_wait: 0s}
          receivers:
            - name: hook
              webhook_configs: [{url: 'http://127.0.0.1:PORT/hook'}]
        """
            .replace("PORT", Integer.toString(sink.getAddress().getPort())));
    VigilConfig c =
        ConfigLoader.load(file, Map.of())
            .withListen("127.0.0.1", 0)
            .withStoragePath(tmp.resolve("data"));
    try (Vigil v = Vigil.start(c)) {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (got.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(got).isNotEmpty();
      JsonNode a = got.get(0).get("alerts").get(0);
      assertThat(a.get("status").asText()).isEqualTo("firing");
      assertThat(a.get("labels").get("alertname").asText()).isEqualTo("AlwaysOn");
      assertThat(a.get("labels").get("severity").asText()).isEqualTo("page");
      assertThat(a.get("annotations").get("summary").asText()).isEqualTo("value 1");
      assertThat(a.get("generatorURL").asText()).startsWith(v.url());
      // The alert history shows who was notified of the change to firing.
      awaitTrue(() -> firingChange(v).path("notified").size() > 0, "notified in the alert history");
      JsonNode change = firingChange(v);
      assertThat(change.path("notified")).hasSize(1);
      String who = change.path("notified").get(0).asText();
      assertThat(who).startsWith("hook/webhook/0@");
      java.time.Instant at = java.time.Instant.parse(who.substring(who.indexOf('@') + 1));
      assertThat(at).isAfterOrEqualTo(java.time.Instant.parse(change.path("time").asText()));
    } finally {
      sink.stop(0);
    }
  }

  @Test
  void silencedAlert_isLeftOutOfItsGroupsNotification_andShownSuppressed(@TempDir Path tmp)
      throws Exception {
    List<JsonNode> got = new CopyOnWriteArrayList<>();
    HttpServer sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    sink.createContext(
        "/hook",
        ex -> {
          got.add(JSON.readTree(ex.getRequestBody().readAllBytes()));
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    sink.start();
    String yaml =
        """
        notify:
          route: {receiver: hook, group_by: [alertname], group_wait: 2s}
          receivers: [{name: hook, webhook_configs: [{url: 'http://127.0.0.1:PORT/hook'}]}]
        """
            .replace("PORT", Integer.toString(sink.getAddress().getPort()));
    VigilConfig c =
        ConfigLoader.parse("vigil.yml", yaml, Map.of())
            .withListen("127.0.0.1", 0)
            .withStoragePath(tmp.resolve("data"));
    try (Vigil v = Vigil.start(c)) {
      java.time.Instant now = java.time.Instant.now();
      String silence =
          "{\"matchers\":[{\"name\":\"instance\",\"value\":\"a\",\"isRegex\":false,\"isEqual\":true}],"
              + "\"startsAt\":\""
              + now.minusSeconds(60)
              + "\",\"endsAt\":\""
              + now.plusSeconds(3600)
              + "\",\"createdBy\":\"test\",\"comment\":\"maintenance\"}";
      HttpResponse<String> created = post(v.url() + "/api/v2/silences", silence);
      assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
      String id = JSON.readTree(created.body()).get("silenceID").asText();
      String alerts =
          "[{\"labels\":{\"alertname\":\"DiskFull\",\"instance\":\"a\"}},"
              + "{\"labels\":{\"alertname\":\"DiskFull\",\"instance\":\"b\"}}]";
      assertThat(post(v.url() + "/api/v2/alerts", alerts).statusCode()).isEqualTo(200);
      JsonNode shown =
          JSON.readTree(get(v.url() + "/api/v2/alerts?filter=instance%3D%22a%22").body());
      assertThat(shown.get(0).get("status").get("state").asText()).isEqualTo("suppressed");
      assertThat(shown.get(0).get("status").get("silencedBy").get(0).asText()).isEqualTo(id);
      assertThat(JSON.readTree(get(v.url() + "/api/v2/alerts?silenced=false").body())).hasSize(1);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (got.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(got).hasSize(1);
      JsonNode sent = got.get(0).get("alerts");
      assertThat(sent).hasSize(1);
      assertThat(sent.get(0).get("labels").get("instance").asText()).isEqualTo("b");
    } finally {
      sink.stop(0);
    }
  }

  private HttpResponse<String> post(String url, String body) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void invalidNotifySection_isRefusedByTheLoader_withFileLineAndKey() {
    String yaml =
        """
        notify:
          route:
            receiver: hook
            group_wiat: 1s
          receivers:
            - name: hook
        """;
    assertThatThrownBy(() -> ConfigLoader.parse("vigil.yml", yaml, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("vigil.yml:4: notify.route.group_wiat: unknown key");
  }

  @Test
  void reloadThroughHttp_appliesNotify_reroutesHeldAlerts_andKeepsItWhenInvalid(@TempDir Path tmp)
      throws Exception {
    Map<String, List<JsonNode>> got = new java.util.concurrent.ConcurrentHashMap<>();
    HttpServer sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    for (String hook : List.of("a", "b")) {
      got.put(hook, new CopyOnWriteArrayList<>());
      sink.createContext(
          "/" + hook,
          ex -> {
            got.get(hook).add(JSON.readTree(ex.getRequestBody().readAllBytes()));
            ex.sendResponseHeaders(200, -1);
            ex.close();
          });
    }
    sink.start();
    Path file = tmp.resolve("vigil.yml");
    String yaml =
        """
        notify:
          route: {receiver: a, group_by: [alertname], group_wait: 0s, group_interval: 1s}
          receivers:
            - name: a
              webhook_configs: [{url: 'http://127.0.0.1:PORT/a'}]
        """
            .replace("PORT", Integer.toString(sink.getAddress().getPort()));
    java.nio.file.Files.writeString(file, yaml);
    VigilConfig c =
        ConfigLoader.load(file, Map.of())
            .withListen("127.0.0.1", 0)
            .withStoragePath(tmp.resolve("data"));
    try (Vigil v = Vigil.builder(c).configFile(file, Map.of()).start()) {
      String alert = "[{\"labels\":{\"alertname\":\"X\"}}]";
      assertThat(post(v.url() + "/api/v2/alerts", alert).statusCode()).isEqualTo(200);
      awaitTrue(() -> got.get("a").size() == 1, "X delivered to a");

      // Receiver a is renamed b with another URL: the held alert X is routed to b and sent there
      // (b was never told), a gets nothing more.
      java.nio.file.Files.writeString(
          file,
          yaml.replace("name: a", "name: b")
              .replace("receiver: a", "receiver: b")
              .replace("/a'", "/b'"));
      HttpResponse<String> r = post(v.url() + "/-/reload", "");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(get(v.url() + "/api/v2/receivers").body()).isEqualTo("[{\"name\":\"b\"}]");
      awaitTrue(() -> got.get("b").size() == 1, "X delivered to b after the reload");
      assertThat(got.get("b").get(0).get("receiver").asText()).isEqualTo("b");
      assertThat(got.get("b").get(0).get("groupKey").asText()).isEqualTo("{}:{alertname=\"X\"}");
      assertThat(get(v.url() + "/api/v1/status/config").body()).contains("name: b");

      // An invalid section: refused with file, line and key; the running one stays.
      java.nio.file.Files.writeString(file, yaml.replace("group_wait", "group_wiat"));
      HttpResponse<String> bad = post(v.url() + "/-/reload", "");
      assertThat(bad.statusCode()).isGreaterThanOrEqualTo(400);
      assertThat(bad.body()).contains("notify.route.group_wiat: unknown key");
      assertThat(get(v.url() + "/api/v2/receivers").body()).isEqualTo("[{\"name\":\"b\"}]");
      assertThat(post(v.url() + "/api/v2/alerts", alert.replace("X", "Y")).statusCode())
          .isEqualTo(200);
      awaitTrue(() -> got.get("b").size() == 2, "Y delivered to b");
      assertThat(got.get("a")).hasSize(1);
    } finally {
      sink.stop(0);
    }
  }

  /** The alert history's change of AlwaysOn to firing (empty if not yet recorded). */
  private JsonNode firingChange(Vigil v) {
    try {
      JsonNode changes =
          JSON.readTree(get(v.url() + "/api/v1/alerts/history").body())
              .path("data")
              .path("changes");
      for (JsonNode c : changes) {
        if (c.path("to").asText().equals("firing")) {
          return c;
        }
      }
      return JSON.createObjectNode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void awaitTrue(java.util.function.BooleanSupplier cond, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!cond.getAsBoolean()) {
      assertThat(System.nanoTime()).as("timed out waiting: " + what).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  @Test
  void effectiveConfig_showsNotifyWithSecretsRedacted_andLoadsBack() {
    String yaml =
        """
        notify:
          route: {receiver: s, group_wait: 1m30s, routes: [{matchers: ['a=~"x|y"'], continue: true}]}
          receivers:
            - name: s
              slack_configs: [{api_url: 'https://hooks.slack.com/services/T0/B0/XYZ', send_resolved: true}]
              webhook_configs: [{url: 'http://127.0.0.1:1/', http_config: {basic_auth: {username: u, password: pw}}}]
        """;
    VigilConfig c = ConfigLoader.parse("vigil.yml", yaml, Map.of());
    String shown = c.effectiveYaml();
    assertThat(shown)
        .contains("api_url: <secret>", "password: <secret>")
        .doesNotContain("XYZ", "pw\n");
    String filled =
        shown
            .replace("api_url: <secret>", "api_url: https://hooks.slack.com/services/T0/B0/XYZ")
            .replace("password: <secret>", "password: pw");
    VigilConfig back = ConfigLoader.parse("effective", filled, Map.of());
    assertThat(back.notifySection().toPlain()).isEqualTo(c.notifySection().toPlain());
  }

  @Test
  void withoutNotifySection_apiV2IsAbsent(@TempDir Path tmp) throws Exception {
    VigilConfig c =
        VigilConfig.defaults().withListen("127.0.0.1", 0).withStoragePath(tmp.resolve("data"));
    try (Vigil v = Vigil.start(c)) {
      assertThat(get(v.url() + "/api/v2/alerts").statusCode()).isEqualTo(404);
    }
  }

  private HttpResponse<String> get(String url) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
