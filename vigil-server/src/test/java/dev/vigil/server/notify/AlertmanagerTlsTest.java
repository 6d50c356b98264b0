package dev.vigil.server.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.CollectConfig;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.VigilConfig;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tls_config.server_name} and {@code insecure_skip_verify} of {@code alerting.alertmanagers}
 * against HTTPS Alertmanager stubs on 127.0.0.1 whose certificate is self-signed for {@code
 * am.vigil.test} only: trusted through {@code ca_file}, the name checked is {@code server_name};
 * without it the address 127.0.0.1 is checked and the post fails; {@code insecure_skip_verify}
 * accepts the certificate with no {@code ca_file}.
 */
class AlertmanagerTlsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASS = "changeit";

  @TempDir Path dir;
  final List<HttpsServer> servers = new ArrayList<>();
  final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(0));
  }

  /** A self-signed certificate for am.vigil.test only: {@code am.p12} and {@code am.pem}. */
  private void selfSigned() throws Exception {
    keytool(
        "-genkeypair",
        "-alias",
        "am",
        "-dname",
        "CN=am.vigil.test",
        "-ext",
        "SAN=dns:am.vigil.test",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-validity",
        "2",
        "-keystore",
        "am.p12");
    keytool("-exportcert", "-rfc", "-alias", "am", "-keystore", "am.p12", "-file", "am.pem");
  }

  private void keytool(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("-storetype", "PKCS12", "-storepass", PASS, "-keypass", PASS, "-noprompt"));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
  }

  private int httpsStub(BlockingQueue<JsonNode> posts) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(dir.resolve("am.p12"))) {
      ks.load(in, PASS.toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, PASS.toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    HttpsServer s = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.setHttpsConfigurator(new HttpsConfigurator(ctx));
    s.createContext(
        "/",
        ex -> {
          posts.add(JSON.readTree(ex.getRequestBody().readAllBytes()));
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    s.setExecutor(Executors.newCachedThreadPool());
    s.start();
    servers.add(s);
    return s.getAddress().getPort();
  }

  private JsonNode get(String url) throws Exception {
    return JSON.readTree(
        http.send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString())
            .body());
  }

  @Test
  void serverName_andInsecureSkipVerify_againstASelfSignedCertificate() throws Exception {
    selfSigned();
    BlockingQueue<JsonNode> named = new LinkedBlockingQueue<>();
    BlockingQueue<JsonNode> unnamed = new LinkedBlockingQueue<>();
    BlockingQueue<JsonNode> skipped = new LinkedBlockingQueue<>();
    int pNamed = httpsStub(named);
    int pUnnamed = httpsStub(unnamed);
    int pSkipped = httpsStub(skipped);
    Files.writeString(dir.resolve("rules.yml"), AlertingConfigTest.RULES);
    Path yml = dir.resolve("vigil.yml");
    Files.writeString(
        yml,
        """
        global: {evaluation_interval: 1s}
        rule_files: [rules.yml]
        alerting:
          alertmanagers:
          - scheme: https
            tls_config: {ca_file: am.pem, server_name: am.vigil.test}
            static_configs: [{targets: ['127.0.0.1:%d']}]
          - scheme: https
            tls_config: {ca_file: am.pem}
            static_configs: [{targets: ['127.0.0.1:%d']}]
          - scheme: https
            tls_config: {insecure_skip_verify: true}
            static_configs: [{targets: ['127.0.0.1:%d']}]
        """
            .formatted(pNamed, pUnnamed, pSkipped));
    VigilConfig c =
        ConfigLoader.load(yml, Map.of())
            .withListen("127.0.0.1", 0)
            .withStoragePath(dir.resolve("data"))
            .withCollect(new CollectConfig(Duration.ofMinutes(10), false, false, false, false, ""));
    try (Vigil vigil = Vigil.builder(c).configFile(yml).start()) {
      JsonNode p = named.poll(30, TimeUnit.SECONDS);
      assertThat(p).as("a post verified against server_name").isNotNull();
      assertThat(p.get(0).get("labels").get("alertname").asText()).isEqualTo("AlwaysOn");
      assertThat(skipped.poll(30, TimeUnit.SECONDS))
          .as("a post with insecure_skip_verify")
          .isNotNull();

      // The one without server_name checks 127.0.0.1, which the certificate does not name.
      String unnamedUrl = "https://127.0.0.1:" + pUnnamed + "/api/v2/alerts";
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      JsonNode status = null;
      while (System.nanoTime() < deadline) {
        for (JsonNode am : get(vigil.url() + "/api/v1/notifications").at("/data/alertmanagers")) {
          if (am.get("url").asText().equals(unnamedUrl) && am.get("errors").asLong() > 0) {
            status = am;
          }
        }
        if (status != null) {
          break;
        }
        Thread.sleep(50); // a bounded poll: the post fails on the sender's own thread
      }
      assertThat(status).as("the failed post to " + unnamedUrl).isNotNull();
      assertThat(status.get("lastError").asText()).isNotEmpty();
      assertThat(unnamed).isEmpty();
    }
  }
}
