package dev.vigil.notify.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Same config, same alerts, two notifiers: the real Alertmanager 0.25 and Vigil's built-in notifier
 * get the same alertmanager.yml and the same alerts on {@code POST /api/v2/alerts}; both deliver to
 * a local webhook sink, which must see the same groups (groupKey, groupLabels, commonLabels, alert
 * sets, status), the same inhibitions, within one group_interval of each other.
 */
class TwoNotifiersTest {
  static final Path AM = Path.of("/usr/bin/prometheus-alertmanager");

  @TempDir Path dir;
  private final List<AutoCloseable> closers = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  record Received(String sink, Instant at, JsonNode body) {}

  private final List<Received> received = new CopyOnWriteArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (int i = closers.size() - 1; i >= 0; i--) {
      closers.get(i).close();
    }
  }

  static final String CONFIG =
      """
      global:
        resolve_timeout: 5m
      route:
        receiver: default
        group_by: [alertname]
        group_wait: 1s
        group_interval: 2s
        repeat_interval: 1h
        routes:
          - matchers: ['team="db"']
            receiver: db
            group_by: [alertname, team]
      inhibit_rules:
        - source_matchers: [severity="critical"]
          target_matchers: [severity=~"warning|info"]
          equal: [instance]
      receivers:
        - name: default
          webhook_configs:
            - url: SINK/SIDE/default
        - name: db
          webhook_configs:
            - url: SINK/SIDE/db
              send_resolved: false
      """;

  @Test
  void sameAlerts_sameGroupsInhibitionsAndResolutions_asRealAlertmanager() throws Exception {
    assumeTrue(
        Files.isExecutable(AM),
        "prometheus-alertmanager not installed (scripts/install-test-deps)");
    String sink = startSink();
    int amPort = freePort();
    Path amYml = dir.resolve("alertmanager.yml");
    Files.writeString(amYml, CONFIG.replace("SINK", sink).replace("SIDE", "am"));
    Process am =
        new ProcessBuilder(
                AM.toString(),
                "--config.file=" + amYml,
                "--storage.path=" + dir.resolve("am-data"),
                "--web.listen-address=127.0.0.1:" + amPort,
                "--cluster.listen-address=",
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("am.log").toFile())
            .start();
    closers.add(
        () -> {
          am.destroy();
          am.waitFor();
        });
    BuiltinNotifier vigil =
        BuiltinNotifier.start(
            NotifyConfig.parse("vigil.yml", CONFIG.replace("SINK", sink).replace("SIDE", "vigil")),
            "http://am.example");
    closers.add(vigil);
    String vigilUrl = serve(vigil);
    String amUrl = "http://127.0.0.1:" + amPort;
    await(() -> get(amUrl + "/-/ready") == 200, "Alertmanager ready");

    Instant t0 = Instant.now();
    String firing =
        "["
            + alert("HighLatency", "a", "warning", "web", t0, null)
            + ","
            + alert("HighLatency", "b", "warning", "web", t0, null)
            + ","
            + alert("NodeDown", "b", "critical", "web", t0, null)
            + ","
            + alert("DiskFull", "c", "warning", "db", t0, null)
            + ","
            + alert("DiskFull", "d", "info", "db", t0, null)
            + "]";
    for (String base : List.of(amUrl, vigilUrl)) {
      assertThat(post(base + "/api/v2/alerts", firing)).isEqualTo(200);
    }
    // HighLatency, NodeDown (default) and DiskFull (db): three first notifications on each side.
    await(
        () -> firstOf("am").size() == 3 && firstOf("vigil").size() == 3,
        "three groups notified on both sides");
    assertThat(summary("vigil")).isEqualTo(summary("am"));
    assertThat(summary("vigil").toString())
        .contains("HighLatency")
        .doesNotContain("instance=b severity=warning"); // inhibited by NodeDown on b

    // The API agrees on what is inhibited.
    assertThat(inhibited(vigilUrl)).isEqualTo(inhibited(amUrl)).hasSize(1);

    // And on the groups: labels, receiver and the alerts in each (inhibited ones with
    // active=false).
    assertThat(groups(vigilUrl, "")).isEqualTo(groups(amUrl, "")).hasSize(3);
    assertThat(groups(vigilUrl, "?active=false&inhibited=true"))
        .isEqualTo(groups(amUrl, "?active=false&inhibited=true"))
        .hasSize(1);

    // Resolve HighLatency on a: the default receiver (send_resolved) hears of it on both sides.
    String resolve = "[" + alert("HighLatency", "a", "warning", "web", t0, Instant.now()) + "]";
    for (String base : List.of(amUrl, vigilUrl)) {
      assertThat(post(base + "/api/v2/alerts", resolve)).isEqualTo(200);
    }
    await(
        () -> resolvedCount("am") == 1 && resolvedCount("vigil") == 1,
        "resolution notified on both sides");
    assertThat(summaryAll("vigil")).isEqualTo(summaryAll("am"));

    // Timing: each group's first notification within one group_interval (2 s) of Alertmanager's.
    Map<String, Instant> amAt = firstTimes("am");
    Map<String, Instant> vigilAt = firstTimes("vigil");
    assertThat(vigilAt.keySet()).isEqualTo(amAt.keySet());
    for (String k : amAt.keySet()) {
      assertThat(Duration.between(amAt.get(k), vigilAt.get(k)).abs())
          .as(k)
          .isLessThanOrEqualTo(Duration.ofSeconds(2));
    }
  }

  private static String alert(
      String name, String instance, String severity, String team, Instant start, Instant end) {
    return "{\"labels\":{\"alertname\":\""
        + name
        + "\",\"instance\":\""
        + instance
        + "\",\"severity\":\""
        + severity
        + "\",\"team\":\""
        + team
        + "\"},\"annotations\":{\"summary\":\""
        + name
        + " on "
        + instance
        + "\"},\"startsAt\":\""
        + start
        + "\""
        + (end == null ? "" : ",\"endsAt\":\"" + end + "\"")
        + ",\"generatorURL\":\"http://vigil.example/graph\"}";
  }

  private List<Received> of(String side) {
    return received.stream().filter(r -> r.sink().startsWith(side + "/")).toList();
  }

  private Map<String, Received> firstOf(String side) {
    Map<String, Received> m = new TreeMap<>();
    for (Received r : of(side)) {
      m.putIfAbsent(r.sink().substring(side.length()) + " " + r.body().get("groupKey").asText(), r);
    }
    return m;
  }

  private Map<String, Instant> firstTimes(String side) {
    Map<String, Instant> m = new TreeMap<>();
    firstOf(side).forEach((k, r) -> m.put(k, r.at()));
    return m;
  }

  private long resolvedCount(String side) {
    return of(side).stream().filter(r -> hasResolved(r.body())).count();
  }

  private static boolean hasResolved(JsonNode b) {
    for (JsonNode a : b.get("alerts")) {
      if (a.get("status").asText().equals("resolved")) {
        return true;
      }
    }
    return false;
  }

  /** Per first notification: sink, groupKey, status, groupLabels, commonLabels, alerts. */
  private Set<String> summary(String side) {
    Set<String> s = new TreeSet<>();
    firstOf(side).forEach((k, r) -> s.add(describe(r, side)));
    return s;
  }

  private Set<String> summaryAll(String side) {
    Set<String> s = new TreeSet<>();
    for (Received r : of(side)) {
      s.add(describe(r, side));
    }
    return s;
  }

  private static String describe(Received r, String side) {
    JsonNode b = r.body();
    List<String> alerts = new ArrayList<>();
    for (JsonNode a : b.get("alerts")) {
      StringBuilder l = new StringBuilder();
      a.get("labels")
          .properties()
          .forEach(e -> l.append(e.getKey()).append('=').append(e.getValue().asText()).append(' '));
      alerts.add(
          a.get("status").asText()
              + ":"
              + l.toString().strip()
              + " fp="
              + a.get("fingerprint").asText()
              + " starts="
              + Instant.parse(a.get("startsAt").asText()).getEpochSecond()
              + " ends="
              + a.get("endsAt").asText().startsWith("0001")
              + " ann="
              + a.get("annotations"));
    }
    return r.sink().substring(side.length())
        + " v"
        + b.get("version").asText()
        + " "
        + b.get("groupKey").asText()
        + " "
        + b.get("status").asText()
        + " receiver="
        + b.get("receiver").asText()
        + " group="
        + b.get("groupLabels")
        + " common="
        + b.get("commonLabels")
        + " commonAnn="
        + b.get("commonAnnotations")
        + " truncated="
        + b.get("truncatedAlerts")
        + " "
        + alerts;
  }

  private Set<String> groups(String base, String query) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v2/alerts/groups" + query)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    Set<String> out = new TreeSet<>();
    for (JsonNode g : Integrations.JSON.readTree(r.body())) {
      Set<String> fps = new TreeSet<>();
      for (JsonNode a : g.get("alerts")) {
        fps.add(a.get("fingerprint").asText() + "/" + a.get("status").get("state").asText());
      }
      if (!fps.isEmpty()) {
        out.add(g.get("labels") + " " + g.get("receiver").get("name").asText() + " " + fps);
      }
    }
    return out;
  }

  private Set<String> inhibited(String base) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v2/alerts?active=false")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    Set<String> out = new TreeSet<>();
    for (JsonNode a : Integrations.JSON.readTree(r.body())) {
      out.add(
          a.get("fingerprint").asText()
              + " "
              + a.get("status").get("state").asText()
              + " by "
              + a.get("status").get("inhibitedBy")
              + " receivers "
              + a.get("receivers"));
    }
    return out;
  }

  private String startSink() throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.createContext(
        "/",
        ex -> {
          byte[] body = ex.getRequestBody().readAllBytes();
          received.add(
              new Received(
                  ex.getRequestURI().getPath().substring(1),
                  Instant.now(),
                  Integrations.JSON.readTree(body)));
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    s.start();
    closers.add(() -> s.stop(0));
    return "http://127.0.0.1:" + s.getAddress().getPort();
  }

  /** Serves the notifier's API v2 on a JDK HttpServer, as the Vigil server routes it. */
  private String serve(BuiltinNotifier n) throws IOException {
    HttpServer s = serveApi(n);
    closers.add(() -> s.stop(0));
    return "http://127.0.0.1:" + s.getAddress().getPort();
  }

  static HttpServer serveApi(BuiltinNotifier n) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.createContext(
        "/api/v2/",
        ex -> {
          Map<String, List<String>> q = new LinkedHashMap<>();
          String raw = ex.getRequestURI().getRawQuery();
          if (raw != null) {
            for (String p : raw.split("&")) {
              String[] kv = p.split("=", 2);
              q.computeIfAbsent(
                      URLDecoder.decode(kv[0], StandardCharsets.UTF_8), k -> new ArrayList<>())
                  .add(kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
          }
          String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          AlertsApi.Response r =
              n.api().handle(ex.getRequestMethod(), ex.getRequestURI().getPath(), q, body);
          byte[] out = r.body().getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().set("Content-Type", "application/json");
          ex.sendResponseHeaders(r.status(), out.length == 0 ? -1 : out.length);
          if (out.length > 0) {
            ex.getResponseBody().write(out);
          }
          ex.close();
        });
    s.start();
    return s;
  }

  private int get(String url) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create(url)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private int post(String url, String json) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Bounded polling (30 s): the peers run on real time. */
  static void await(Supplier<Boolean> cond, String what) throws InterruptedException {
    await(cond, () -> what);
  }

  static void await(Supplier<Boolean> cond, Supplier<String> what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!cond.get()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what.get());
      }
      Thread.sleep(50);
    }
  }
}
