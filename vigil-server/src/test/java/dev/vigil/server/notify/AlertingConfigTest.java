package dev.vigil.server.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.rules.RuleMetrics;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.CollectConfig;
import dev.vigil.server.config.ConfigException;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.VigilConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code alerting} section's keys each take effect in a running server posting to local stubs
 * (path_prefix, basic_auth, authorization, relabel_configs dropping an Alertmanager,
 * alert_relabel_configs, external labels), a reload applies a changed section, a hanging
 * Alertmanager holds back no rule evaluation, and bad values are refused with file, line and key.
 */
class AlertingConfigTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String RULES =
      """
      groups:
      - name: g
        interval: 1s
        rules:
        - alert: AlwaysOn
          expr: vector(1)
          labels: {severity: page}
      """;

  record Post(String path, String authorization, JsonNode body) {}

  @TempDir Path dir;
  final List<HttpServer> servers = new ArrayList<>();
  final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(0));
  }

  private int stub(BlockingQueue<Post> posts, CountDownLatch hold) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.createContext(
        "/",
        ex -> {
          byte[] in = ex.getRequestBody().readAllBytes();
          try {
            if (hold != null) {
              hold.await(30, TimeUnit.SECONDS);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          posts.add(
              new Post(
                  ex.getRequestURI().getPath(),
                  ex.getRequestHeaders().getFirst("Authorization"),
                  JSON.readTree(in)));
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    s.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    s.start();
    servers.add(s);
    return s.getAddress().getPort();
  }

  private Vigil start(Path yml) {
    VigilConfig c =
        ConfigLoader.load(yml, Map.of())
            .withListen("127.0.0.1", 0)
            .withStoragePath(dir.resolve("data"))
            .withCollect(new CollectConfig(Duration.ofMinutes(10), false, false, false, false, ""));
    return Vigil.builder(c).configFile(yml).start();
  }

  @Test
  void everyKeyTakesEffect_andAReloadAppliesAChangedSection() throws Exception {
    BlockingQueue<Post> first = new LinkedBlockingQueue<>();
    BlockingQueue<Post> second = new LinkedBlockingQueue<>();
    int p1 = stub(first, null);
    int p2 = stub(second, null);
    Files.writeString(dir.resolve("rules.yml"), RULES);
    Files.writeString(dir.resolve("am.pass"), "s3cret\n");
    Path yml = dir.resolve("vigil.yml");
    Files.writeString(
        yml,
        """
        global:
          evaluation_interval: 1s
          external_labels: {region: eu-1, severity: ignored}
        rule_files: [rules.yml]
        rules:
          resend_delay: 1s
        alerting:
          alert_relabel_configs:
          - {target_label: team, replacement: ops}
          alertmanagers:
          - static_configs:
            - targets: ['127.0.0.1:%d', 'dropped.invalid:9093']
              labels: {dc: one}
            path_prefix: /am
            basic_auth: {username: vigil, password_file: am.pass}
            relabel_configs:
            - {source_labels: [__address__], regex: 'dropped.*', action: drop}
        """
            .formatted(p1));
    try (Vigil vigil = start(yml)) {
      Post post = first.poll(30, TimeUnit.SECONDS);
      assertThat(post).as("a post to the first stub").isNotNull();
      assertThat(post.path()).isEqualTo("/am/api/v2/alerts");
      assertThat(post.authorization())
          .isEqualTo(
              "Basic "
                  + Base64.getEncoder()
                      .encodeToString("vigil:s3cret".getBytes(StandardCharsets.UTF_8)));
      // The alert's own severity wins over the external label; the alert relabeling adds team.
      assertThat(JSON.convertValue(post.body().get(0).get("labels"), Map.class))
          .isEqualTo(
              Map.of("alertname", "AlwaysOn", "severity", "page", "region", "eu-1", "team", "ops"));
      JsonNode ams = get(vigil.url() + "/api/v1/alertmanagers");
      assertThat(ams.toString())
          .isEqualTo(
              "{\"status\":\"success\",\"data\":{\"activeAlertmanagers\":[{\"url\":\"http://127.0.0.1:"
                  + p1
                  + "/am/api/v2/alerts\"}],\"droppedAlertmanagers\":[{\"url\":"
                  + "\"http://dropped.invalid:9093/am/api/v2/alerts\"}]}}");
      // The configuration in force shows the section, the password file by name.
      assertThat(get(vigil.url() + "/api/v1/status/config").get("data").get("yaml").asText())
          .contains("alertmanagers:")
          .contains("password_file: am.pass");

      Files.writeString(
          yml,
          """
          global:
            evaluation_interval: 1s
          rule_files: [rules.yml]
          rules:
            resend_delay: 1s
          alerting:
            alertmanagers:
            - static_configs: [{targets: ['127.0.0.1:%d']}]
              authorization: {credentials: tok3n}
          """
              .formatted(p2));
      assertThat(vigil.reload()).isNull();
      Post after = second.poll(30, TimeUnit.SECONDS);
      assertThat(after).as("a post to the second stub after the reload").isNotNull();
      assertThat(after.path()).isEqualTo("/api/v2/alerts");
      assertThat(after.authorization()).isEqualTo("Bearer tok3n");
      assertThat(JSON.convertValue(after.body().get(0).get("labels"), Map.class))
          .isEqualTo(Map.of("alertname", "AlwaysOn", "severity", "page"));
      assertThat(get(vigil.url() + "/api/v1/alertmanagers").get("data").toString())
          .isEqualTo(
              "{\"activeAlertmanagers\":[{\"url\":\"http://127.0.0.1:"
                  + p2
                  + "/api/v2/alerts\"}],\"droppedAlertmanagers\":[]}");
    }
  }

  /** An HTTPS stub with the test PKI's server certificate (valid for 127.0.0.1). */
  private int httpsStub(dev.vigil.server.testing.TestPki pki, BlockingQueue<Post> posts)
      throws Exception {
    var ks =
        dev.vigil.server.tls.Pem.keyStore(
            "server",
            dev.vigil.server.tls.Pem.privateKey(pki.text("server-key.pem")),
            dev.vigil.server.tls.Pem.certificates(pki.text("server.pem")));
    var kmf =
        javax.net.ssl.KeyManagerFactory.getInstance(
            javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, new char[0]);
    javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    var s = com.sun.net.httpserver.HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(ctx));
    s.createContext(
        "/",
        ex -> {
          posts.add(
              new Post(
                  ex.getRequestURI().getPath(),
                  ex.getRequestHeaders().getFirst("Authorization"),
                  JSON.readTree(ex.getRequestBody().readAllBytes())));
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    s.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    s.start();
    servers.add(s);
    return s.getAddress().getPort();
  }

  @Test
  void https_withTheCaOfTlsConfig() throws Exception {
    var pki = dev.vigil.server.testing.TestPki.create(Files.createDirectories(dir.resolve("pki")));
    BlockingQueue<Post> posts = new LinkedBlockingQueue<>();
    int port = httpsStub(pki, posts);
    Files.writeString(dir.resolve("rules.yml"), RULES);
    Path yml = dir.resolve("vigil.yml");
    Files.writeString(
        yml,
        """
        global: {evaluation_interval: 1s}
        rule_files: [rules.yml]
        alerting:
          alertmanagers:
          - scheme: https
            tls_config: {ca_file: pki/ca.pem}
            static_configs: [{targets: ['127.0.0.1:%d']}]
        """
            .formatted(port));
    try (Vigil vigil = start(yml)) {
      Post p = posts.poll(30, TimeUnit.SECONDS);
      assertThat(p).as("a post over TLS").isNotNull();
      assertThat(p.body().get(0).get("labels").get("alertname").asText()).isEqualTo("AlwaysOn");
      assertThat(get(vigil.url() + "/api/v1/alertmanagers").toString())
          .contains("https://127.0.0.1:" + port + "/api/v2/alerts");
    }
  }

  @Test
  void aFailingAlertmanager_isReportedAndGetsTheAlertAgainAtTheNextResend() throws Exception {
    java.util.concurrent.atomic.AtomicInteger calls =
        new java.util.concurrent.atomic.AtomicInteger();
    BlockingQueue<Post> accepted = new LinkedBlockingQueue<>();
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.createContext(
        "/",
        ex -> {
          byte[] in = ex.getRequestBody().readAllBytes();
          if (calls.incrementAndGet() <= 2) {
            ex.sendResponseHeaders(500, -1); // the first two posts fail
          } else {
            accepted.add(new Post(ex.getRequestURI().getPath(), null, JSON.readTree(in)));
            ex.sendResponseHeaders(200, -1);
          }
          ex.close();
        });
    s.start();
    servers.add(s);
    Files.writeString(dir.resolve("rules.yml"), RULES);
    Path yml = dir.resolve("vigil.yml");
    Files.writeString(
        yml,
        """
        global: {evaluation_interval: 1s}
        rule_files: [rules.yml]
        rules: {resend_delay: 1s}
        alerting:
          alertmanagers:
          - static_configs: [{targets: ['127.0.0.1:%d']}]
        """
            .formatted(s.getAddress().getPort()));
    try (Vigil vigil = start(yml)) {
      Post p = accepted.poll(30, TimeUnit.SECONDS);
      assertThat(p).as("the alert, re-sent after two failed posts").isNotNull();
      String url = "http://127.0.0.1:" + s.getAddress().getPort() + "/api/v2/alerts";
      HttpResponse<String> m =
          http.send(
              HttpRequest.newBuilder(URI.create(vigil.url() + "/metrics")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(m.body())
          .contains("vigil_notifications_errors_total{alertmanager=\"" + url + "\"} 2")
          .contains("vigil_notifications_dropped_total 2");
    }
  }

  @Test
  void aHangingAlertmanager_holdsBackNoRuleEvaluation() throws Exception {
    CountDownLatch hold = new CountDownLatch(1);
    BlockingQueue<Post> posts = new LinkedBlockingQueue<>();
    int port = stub(posts, hold);
    Files.writeString(dir.resolve("rules.yml"), RULES);
    Path yml = dir.resolve("vigil.yml");
    Files.writeString(
        yml,
        """
        global: {evaluation_interval: 1s}
        rule_files: [rules.yml]
        rules: {resend_delay: 0s}
        alerting:
          alertmanagers:
          - static_configs: [{targets: ['127.0.0.1:%d']}]
            timeout: 1h
        """
            .formatted(port));
    try (Vigil vigil = start(yml)) {
      // The stub holds the first post (and every later one) until released; meanwhile the group
      // keeps evaluating every second.
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (iterations(vigil) < 5) {
        assertThat(System.nanoTime()).as("5 evaluations while the post hangs").isLessThan(deadline);
        Thread.sleep(100);
      }
      assertThat(posts).isEmpty();
      hold.countDown();
      assertThat(posts.poll(30, TimeUnit.SECONDS)).isNotNull();
    }
  }

  private static double iterations(Vigil vigil) {
    for (RuleMetrics.Family f : vigil.rules().metrics().collect()) {
      if (f.name().equals("vigil_rule_group_iterations")) {
        return f.points().stream().mapToDouble(RuleMetrics.Point::value).sum();
      }
    }
    return 0;
  }

  @Test
  void badValues_areRefusedWithFileLineAndKey() {
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put(
        "alerting:\n  alertmanagers:\n  - scheme: ftp\n",
        "vigil.yml:3: alerting.alertmanagers[0].scheme: must be http or https, got \"ftp\"");
    cases.put(
        "alerting:\n  alertmanagers:\n  - api_version: v1\n",
        "vigil.yml:3: alerting.alertmanagers[0].api_version: v1 is not supported");
    cases.put(
        "alerting:\n  alertmanagers:\n  - timeout: 0s\n",
        "vigil.yml:3: alerting.alertmanagers[0].timeout: must be at least 1ms");
    cases.put(
        "alerting:\n  alertmanagers:\n  - static_configs:\n    - targets: ['http://am:9093']\n",
        "vigil.yml:4: alerting.alertmanagers[0].static_configs[0].targets: \"http://am:9093\" is"
            + " not host:port");
    cases.put(
        "alerting:\n  alertmanagers:\n  - basic_auth: {username: u, password: p}\n"
            + "    authorization: {credentials: t}\n",
        "alerting.alertmanagers[0].authorization: set either basic_auth or authorization");
    cases.put(
        "alerting:\n  alertmanagers:\n  - follow_redirects: true\n",
        "vigil.yml:3: alerting.alertmanagers[0].follow_redirects: unknown key");
    cases.put(
        "alerting:\n  alert_relabel_configs:\n  - {action: explode}\n",
        "alerting.alert_relabel_configs[0].action");
    cases.put("alerting:\n  notify: {}\n", "vigil.yml:2: alerting.notify: unknown key");
    cases.forEach(
        (yaml, message) ->
            assertThatThrownBy(() -> ConfigLoader.parse("vigil.yml", yaml, Map.of()))
                .as(yaml)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(message));
  }

  private JsonNode get(String url) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url).isEqualTo(200);
    return JSON.readTree(r.body());
  }
}
