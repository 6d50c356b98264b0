package dev.vigil.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.server.api.LifecycleRoutes;
import dev.vigil.server.api.ServerState;
import dev.vigil.server.config.ConfigException;
import dev.vigil.server.config.ServerConfig;
import dev.vigil.server.config.VigilConfig;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS from a PKCS#12 keystore made by the JDK's keytool, checked by a client trusting it. */
class TlsTest {
  @Test
  void https_withPkcs12Keystore_servesAndPlainHttpIsRefused(@TempDir Path dir) throws Exception {
    Path ks = dir.resolve("vigil.p12");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "vigil",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                ks.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(out).isZero();

    ServerConfig d = ServerConfig.defaults();
    ServerConfig sc =
        new ServerConfig(
            "127.0.0.1",
            0,
            List.of(),
            List.of(),
            List.of(),
            false,
            new ServerConfig.TlsConfig(null, null, ks.toString(), "changeit"),
            d.limits());
    ServerState state = new ServerState(VigilConfig.defaults().withServer(sc), Map.of());
    state.setReady(true);
    try (VigilHttpServer server =
        VigilHttpServer.start(sc, List.of(new LifecycleRoutes(state, () -> null)))) {
      assertThat(server.baseUrl()).startsWith("https://127.0.0.1:");
      KeyStore trust = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(ks)) {
        trust.load(in, "changeit".toCharArray());
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      HttpClient client = HttpClient.newBuilder().sslContext(ctx).build();
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(URI.create(server.baseUrl() + "/-/ready")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("Ready");
      HttpClient plain = HttpClient.newHttpClient();
      String httpUrl = server.baseUrl().replace("https://", "http://") + "/-/ready";
      assertThatThrownBy(
              () ->
                  plain.send(
                      HttpRequest.newBuilder(URI.create(httpUrl)).build(),
                      HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(java.io.IOException.class);
    }
  }

  @Test
  void missingKeyFile_isAConfigErrorNamingTheKey(@TempDir Path dir) {
    ServerConfig d = ServerConfig.defaults();
    ServerConfig sc =
        new ServerConfig(
            "127.0.0.1",
            0,
            List.of(),
            List.of(),
            List.of(),
            false,
            new ServerConfig.TlsConfig(
                dir.resolve("cert.pem").toString(), dir.resolve("key.pem").toString(), null, ""),
            d.limits());
    assertThatThrownBy(() -> VigilHttpServer.start(sc, List.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("server.tls");
  }

  @Test
  void https_withPemCertificateAndSec1Key_fromOpenssl_serves(@TempDir Path dir) throws Exception {
    Path openssl = Path.of("/usr/bin/openssl");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isExecutable(openssl), "openssl is not installed");
    run(
        dir,
        openssl.toString(),
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        "pkcs8.pem",
        "-out",
        "cert.pem",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        "-days",
        "1");
    // The traditional "BEGIN EC PRIVATE KEY" form, as `openssl ecparam -genkey` writes it.
    run(dir, openssl.toString(), "ec", "-in", "pkcs8.pem", "-out", "key.pem");
    assertThat(Files.readString(dir.resolve("key.pem"))).contains("BEGIN EC PRIVATE KEY");
    ServerConfig d = ServerConfig.defaults();
    ServerConfig sc =
        new ServerConfig(
            "127.0.0.1",
            0,
            List.of(),
            List.of(),
            List.of(),
            false,
            new ServerConfig.TlsConfig(
                dir.resolve("cert.pem").toString(), dir.resolve("key.pem").toString(), null, ""),
            d.limits());
    ServerState state = new ServerState(VigilConfig.defaults().withServer(sc), Map.of());
    state.setReady(true);
    try (VigilHttpServer server =
        VigilHttpServer.start(sc, List.of(new LifecycleRoutes(state, () -> null)))) {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry(
          "self",
          dev.vigil.server.tls.Pem.certificates(Files.readString(dir.resolve("cert.pem"))).get(0));
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      HttpResponse<String> r =
          HttpClient.newBuilder()
              .sslContext(ctx)
              .build()
              .send(
                  HttpRequest.newBuilder(URI.create(server.baseUrl() + "/-/ready")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
    }
  }

  private static void run(Path dir, String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(out).isZero();
  }
}
