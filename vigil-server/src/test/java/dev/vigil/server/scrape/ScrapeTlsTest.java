package dev.vigil.server.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.vigil.model.Labels;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.ConfigException;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.VigilConfig;
import dev.vigil.server.testing.TestPki;
import dev.vigil.server.testing.TestStorage;
import dev.vigil.server.tls.Pem;
import java.io.OutputStream;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scrapes real HTTPS targets (the JDK's {@code HttpsServer} with certificates made by keytool in
 * the test) through {@code tls_config} loaded from a YAML file with paths relative to it.
 */
class ScrapeTlsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  private static TestPki pki;
  private static HttpsServer plainTarget;
  private static HttpsServer mtlsTarget;
  private static HttpsServer sniTarget;
  private final TestStorage db = new TestStorage();

  @BeforeAll
  static void startTargets() throws Exception {
    pki = TestPki.create(Files.createDirectories(dir.resolve("pki")));
    plainTarget = target(false, false);
    mtlsTarget = target(true, false);
    sniTarget = target(false, true);
  }

  @AfterAll
  static void stopTargets() {
    plainTarget.stop(0);
    mtlsTarget.stop(0);
    sniTarget.stop(0);
  }

  /**
   * An HTTPS /metrics target with the test PKI's server certificate; {@code sniOnly}: it refuses
   * handshakes whose SNI is not {@code target.vigil.test}, as a virtual host would.
   */
  private static HttpsServer target(boolean requireClientCert, boolean sniOnly) throws Exception {
    KeyStore ks =
        Pem.keyStore(
            "server",
            Pem.privateKey(pki.text("server-key.pem")),
            Pem.certificates(pki.text("server.pem")));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, new char[0]);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", Pem.certificates(pki.text("ca.pem")).get(0));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    HttpsServer s = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.setHttpsConfigurator(
        new HttpsConfigurator(ctx) {
          @Override
          public void configure(HttpsParameters p) {
            var params = ctx.getDefaultSSLParameters();
            params.setNeedClientAuth(requireClientCert);
            if (sniOnly) {
              params.setSNIMatchers(
                  List.of(javax.net.ssl.SNIHostName.createSNIMatcher("target\\.vigil\\.test")));
            }
            p.setSSLParameters(params);
          }
        });
    s.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    s.createContext(
        "/metrics",
        ex -> {
          byte[] b = "tls_target_hello 1\n".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, b.length);
          try (OutputStream o = ex.getResponseBody()) {
            o.write(b);
          }
        });
    s.start();
    return s;
  }

  private static String addr(HttpsServer s) {
    return "127.0.0.1:" + s.getAddress().getPort();
  }

  private static String job(String name, HttpsServer target, String tls) {
    return "  - job_name: "
        + name
        + "\n    scheme: https\n    scrape_interval: 2s\n    scrape_timeout: 2s\n"
        + "    static_configs:\n      - targets: ['"
        + addr(target)
        + "']\n"
        + (tls == null ? "" : "    tls_config:\n" + tls.indent(6));
  }

  /** Writes the config next to the PKI's parent so that file names are relative to it. */
  private static VigilConfig load(String name, String yaml) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, yaml);
    return ConfigLoader.load(f, Map.of());
  }

  private static void await(BooleanSupplier cond, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!cond.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static Map<String, Target> scrapedOnce(ScrapeManager m) throws InterruptedException {
    await(
        () -> m.activeTargets().stream().allMatch(t -> t.health() != Target.Health.UNKNOWN),
        "a first scrape of every target");
    Map<String, Target> out = new LinkedHashMap<>();
    m.activeTargets().forEach(t -> out.put(t.job().jobName(), t));
    return out;
  }

  private double lastUp(String job, HttpsServer target) {
    List<double[]> s = db.samples(TestStorage.labels("up", "job", job, "instance", addr(target)));
    assertThat(s).as("up samples of " + job).isNotEmpty();
    return s.get(s.size() - 1)[1];
  }

  @Test
  void httpsTargets_areScrapedOrFailWithTheTlsProblemNamed() throws Exception {
    String yaml =
        "scrape_configs:\n"
            + job("ca_file", plainTarget, "ca_file: pki/ca.pem")
            + job("no_ca", plainTarget, null)
            + job("server_name", plainTarget, "ca_file: pki/ca.pem\nserver_name: target.vigil.test")
            + job("wrong_name", plainTarget, "ca_file: pki/ca.pem\nserver_name: wrong.vigil.test")
            + job("wildcard", plainTarget, "ca_file: pki/ca.pem\nserver_name: a.Wild.vigil.test")
            + job(
                "wildcard_deep",
                plainTarget,
                "ca_file: pki/ca.pem\nserver_name: b.a.wild.vigil.test")
            + job("skip_verify", plainTarget, "insecure_skip_verify: true\nmin_version: TLS13")
            + job("mtls_no_cert", mtlsTarget, "ca_file: pki/ca.pem")
            + job(
                "mtls",
                mtlsTarget,
                "ca_file: pki/ca.pem\ncert_file: pki/client.pem\nkey_file: pki/client-key.pem");
    VigilConfig c = load("scrape.yml", yaml);
    try (ScrapeManager m = new ScrapeManager(db)) {
      m.apply(c.scrapeConfigs());
      Map<String, Target> t = scrapedOnce(m);
      for (String ok : List.of("ca_file", "server_name", "wildcard", "skip_verify", "mtls")) {
        // A first scrape may time out on a busy machine; TLS errors would not go away.
        await(() -> t.get(ok).health() == Target.Health.UP, ok + " up");
        assertThat(t.get(ok).lastError()).as(ok).isEmpty();
      }
      // A first scrape may also time out on a busy machine: wait for the TLS verdict.
      for (String bad : List.of("no_ca", "wrong_name", "wildcard_deep", "mtls_no_cert")) {
        await(() -> t.get(bad).lastError().contains("tls"), bad + " failing on TLS");
      }
      assertThat(t.get("no_ca").lastError())
          .isEqualTo(
              "tls: failed to verify certificate: x509: certificate signed by unknown authority");
      assertThat(t.get("wrong_name").lastError())
          .isEqualTo(
              "tls: failed to verify certificate: x509: certificate is valid for localhost,"
                  + " target.vigil.test, *.wild.vigil.test, not wrong.vigil.test");
      // A wildcard stands for exactly one label.
      assertThat(t.get("wildcard_deep").lastError()).endsWith("not b.a.wild.vigil.test");
      // TLS 1.3: the refusal arrives as an alert or, racing it, as a closed connection.
      assertThat(t.get("mtls_no_cert").lastError())
          .containsAnyOf(
              "remote error: tls: certificate required",
              "remote error: tls: bad certificate",
              "if it requires a client certificate, set tls_config.cert_file and key_file");
      for (String bad : List.of("no_ca", "wrong_name", "wildcard_deep", "mtls_no_cert")) {
        assertThat(t.get(bad).health()).as(bad).isEqualTo(Target.Health.DOWN);
      }
      assertThat(lastUp("ca_file", plainTarget)).isEqualTo(1);
      assertThat(lastUp("mtls", mtlsTarget)).isEqualTo(1);
      assertThat(lastUp("no_ca", plainTarget)).isEqualTo(0);
      assertThat(lastUp("mtls_no_cert", mtlsTarget)).isEqualTo(0);
      assertThat(
              db.samples(
                  TestStorage.labels(
                      "tls_target_hello", "job", "mtls", "instance", addr(mtlsTarget))))
          .isNotEmpty();
    }
  }

  @Test
  void serverName_isSentAsSni_forTargetsAddressedByName() throws Exception {
    String port = ":" + sniTarget.getAddress().getPort();
    String yaml =
        "scrape_configs:\n"
            + job("sni", sniTarget, "ca_file: pki/ca.pem\nserver_name: target.vigil.test")
                .replace("127.0.0.1" + port, "localhost" + port)
            + job("host_sni", sniTarget, "ca_file: pki/ca.pem")
                .replace("127.0.0.1" + port, "localhost" + port);
    try (ScrapeManager m = new ScrapeManager(db)) {
      m.apply(load("sni.yml", yaml).scrapeConfigs());
      Map<String, Target> t = scrapedOnce(m);
      await(() -> t.get("sni").health() == Target.Health.UP, "sni up");
      assertThat(t.get("sni").lastError()).isEmpty();
      // Without server_name the SNI is "localhost", which this target refuses.
      await(() -> t.get("host_sni").lastError().contains("unrecognized_name"), "SNI refused");
      assertThat(t.get("host_sni").health()).isEqualTo(Target.Health.DOWN);
    }
  }

  @Test
  void reload_readsChangedCertificateFiles() throws Exception {
    Path ca = dir.resolve("reload-ca.pem");
    // First the client certificate as the only trusted CA: the target's chain does not lead to it.
    Files.writeString(ca, pki.text("client-leaf.pem"));
    String yaml = "scrape_configs:\n" + job("r", plainTarget, "ca_file: reload-ca.pem");
    try (ScrapeManager m = new ScrapeManager(db)) {
      m.apply(load("reload.yml", yaml).scrapeConfigs());
      Target first = scrapedOnce(m).get("r");
      await(() -> first.lastError().contains("unknown authority"), "unknown authority");
      Target before = m.activeTargets().get(0);
      m.apply(load("reload.yml", yaml).scrapeConfigs());
      assertThat(m.activeTargets()).as("unchanged files keep the loop").containsExactly(before);
      Files.writeString(ca, pki.text("ca.pem"));
      m.apply(load("reload.yml", yaml).scrapeConfigs());
      assertThat(m.activeTargets().get(0)).as("changed files restart the loop").isNotSameAs(before);
      await(
          () -> m.activeTargets().get(0).health() == Target.Health.UP,
          "the target scraped with the new CA");
    }
  }

  /** The target of {@code job} in {@code /api/v1/targets} once it has been scraped. */
  private static JsonNode apiTarget(
      HttpClient http, Vigil v, String job, String health, String errorPart) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(v.url() + "/api/v1/targets")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      for (JsonNode t : JSON.readTree(r.body()).path("data").path("activeTargets")) {
        if (t.path("scrapePool").asText().equals(job)) {
          last = t;
          if (t.path("health").asText().equals(health)
              && t.path("lastError").asText().contains(errorPart)) {
            return t;
          }
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("target of " + job + " not " + health + ": " + last);
  }

  @Test
  void targetsApi_namesTheTlsError_andPostReloadReadsTheRenewedCa() throws Exception {
    Path ca = dir.resolve("api-ca.pem");
    Files.writeString(ca, pki.text("client-leaf.pem"));
    Path file = dir.resolve("vigil.yml");
    Files.writeString(
        file,
        "server:\n  listen: 127.0.0.1:0\nstorage:\n  path: "
            + dir.resolve("data-api")
            + "\ncollect:\n  system: false\n  jvm: false\n  self: false\nscrape_configs:\n"
            + job("api", plainTarget, "ca_file: api-ca.pem"));
    HttpClient http = HttpClient.newHttpClient();
    try (Vigil v = Vigil.builder(ConfigLoader.load(file, Map.of())).configFile(file).start()) {
      JsonNode down = apiTarget(http, v, "api", "down", "x509");
      assertThat(down.path("lastError").asText())
          .isEqualTo(
              "tls: failed to verify certificate: x509: certificate signed by unknown authority");
      Files.writeString(ca, pki.text("ca.pem"));
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(v.url() + "/-/reload"))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode up = apiTarget(http, v, "api", "up", "");
      assertThat(up.path("lastError").asText()).isEmpty();
    }
  }

  @Test
  void inlinePem_isUsed_andTheKeyIsRedacted() throws Exception {
    String tls =
        "ca: |\n"
            + pki.text("ca.pem").indent(2)
            + "cert: |\n"
            + pki.text("client.pem").indent(2)
            + "key: |\n"
            + pki.text("client-key.pem").indent(2);
    VigilConfig c = load("inline.yml", "scrape_configs:\n" + job("inline", mtlsTarget, tls));
    assertThat(c.text()).doesNotContain("PRIVATE KEY").contains("key: <secret>");
    assertThat(c.scrapeConfigs().get(0).tls().toString()).doesNotContain("PRIVATE KEY");
    try (ScrapeManager m = new ScrapeManager(db)) {
      m.apply(c.scrapeConfigs());
      Target t = scrapedOnce(m).get("inline");
      await(() -> t.health() == Target.Health.UP, "inline up");
      assertThat(t.lastError()).isEmpty();
    }
  }

  /** The error of loading one job with this tls_config (its first key is on line 9). */
  private static String loadError(String tls) throws Exception {
    try {
      load("errors.yml", "scrape_configs:\n" + job("e", plainTarget, tls));
    } catch (ConfigException e) {
      return e.getMessage();
    }
    throw new AssertionError("accepted: " + tls);
  }

  @Test
  void badTlsConfig_isRefusedWithFileLineAndKey() throws Exception {
    Files.writeString(dir.resolve("garbage.pem"), "not a certificate\n");
    String at = dir.resolve("errors.yml") + ":9: scrape_configs[0].tls_config.";
    assertThat(loadError("ca_file: pki/nope.pem"))
        .isEqualTo(at + "ca_file: cannot read " + dir.resolve("pki/nope.pem") + ": no such file");
    assertThat(loadError("ca_file: garbage.pem"))
        .isEqualTo(
            at
                + "ca_file: "
                + dir.resolve("garbage.pem")
                + ": holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    assertThat(loadError("cert_file: pki/client.pem"))
        .isEqualTo(
            at
                + "cert_file: a client certificate needs its private key: set key_file (or key) too");
    assertThat(loadError("key_file: pki/client-key.pem"))
        .startsWith(at + "key_file: a client key needs its certificate");
    assertThat(loadError("cert_file: pki/client.pem\nkey_file: pki/server-key.pem"))
        .startsWith(
            dir.resolve("errors.yml")
                + ":10: scrape_configs[0].tls_config.key_file: "
                + dir.resolve("pki/server-key.pem")
                + ": private key does not match public key");
    assertThat(loadError("cert_file: pki/client.pem\nkey_file: pki/ca.pem"))
        .contains("tls_config.key_file: ")
        .contains("holds no private key");
    assertThat(loadError("min_version: TLS11"))
        .startsWith(at + "min_version: TLS11 is not supported");
    assertThat(loadError("min_version: TLS1.3"))
        .isEqualTo(at + "min_version: unknown TLS version \"TLS1.3\" (use TLS12 or TLS13)");
    assertThat(loadError("min_version: TLS13\nmax_version: TLS12"))
        .contains("max_version: TLS12 is lower than min_version TLS13");
    assertThat(loadError("ca: x\nca_file: pki/ca.pem"))
        .contains("tls_config.ca_file: at most one of ca and ca_file must be configured");
    assertThat(loadError("insecure_skip_verify: yes"))
        .isEqualTo(at + "insecure_skip_verify: expected true or false, got \"yes\"");
    assertThat(loadError("ca_fille: pki/ca.pem")).startsWith(at + "ca_fille: unknown key");
  }

  @Test
  void sameYaml_isValidForPrometheus() throws Exception {
    Path promtool = Path.of("/usr/bin/promtool");
    Assumptions.assumeTrue(Files.isExecutable(promtool), "promtool is not installed");
    String yaml =
        "scrape_configs:\n"
            + job(
                "p",
                plainTarget,
                "ca_file: pki/ca.pem\ncert_file: pki/client.pem\nkey_file: pki/client-key.pem\n"
                    + "server_name: target.vigil.test\ninsecure_skip_verify: false\n"
                    + "min_version: TLS12\nmax_version: TLS13");
    load("promtool.yml", yaml);
    Process p =
        new ProcessBuilder(promtool.toString(), "check", "config", "promtool.yml")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
  }

  @Test
  void hostnameCheck_matchesSansLikeGo() throws Exception {
    java.security.cert.X509Certificate leaf = Pem.certificates(pki.text("server.pem")).get(0);
    HostnameCheck.verify(leaf, "127.0.0.1");
    HostnameCheck.verify(leaf, "A.WILD.vigil.test.");
    HostnameCheck.verify(leaf, "LocalHost");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> HostnameCheck.verify(leaf, "::1"))
        .hasMessage("x509: certificate is valid for 127.0.0.1, not ::1");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> HostnameCheck.verify(leaf, "wild.vigil.test"))
        .hasMessageEndingWith(", not wild.vigil.test");
    java.security.cert.X509Certificate ca = Pem.certificates(pki.text("ca.pem")).get(0);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> HostnameCheck.verify(ca, "10.0.0.1"))
        .hasMessage(
            "x509: cannot validate certificate for 10.0.0.1 because it doesn't contain any IP SANs");
  }

  @Test
  void secretFiles_areRelativeToTheConfigFileToo() throws Exception {
    Files.writeString(dir.resolve("pki/pass.txt"), "s3cret\n");
    String yaml =
        "scrape_configs:\n"
            + job("a", plainTarget, "ca_file: pki/ca.pem")
            + "    basic_auth:\n      username: u\n      password_file: pki/pass.txt\n";
    VigilConfig c = load("secret.yml", yaml);
    assertThat(c.scrapeConfigs().get(0).basicAuth().password()).isEqualTo("s3cret");
  }

  @Test
  void labelsOfTheScrapedSamples_areThoseOfAPlainScrape() throws Exception {
    VigilConfig c =
        load("labels.yml", "scrape_configs:\n" + job("l", plainTarget, "ca_file: pki/ca.pem"));
    try (ScrapeManager m = new ScrapeManager(db)) {
      m.apply(c.scrapeConfigs());
      Labels l = TestStorage.labels("tls_target_hello", "job", "l", "instance", addr(plainTarget));
      await(() -> !db.samples(l).isEmpty(), "samples with the target's labels");
    }
  }
}
