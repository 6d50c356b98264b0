package dev.vigil.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys in the forms OpenSSL writes them, made by the {@code openssl} command in the test. */
class PemTest {
  @TempDir Path dir;

  private String openssl(String... args) throws Exception {
    Path bin = Path.of("/usr/bin/openssl");
    Assumptions.assumeTrue(Files.isExecutable(bin), "openssl is not installed");
    List<String> cmd = new ArrayList<>(List.of(bin.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", args) + ": " + out).isZero();
    return out;
  }

  /** A self-signed certificate for {@code key.pem}. */
  private X509Certificate certFor(String keyFile) throws Exception {
    openssl(
        "req",
        "-x509",
        "-new",
        "-key",
        keyFile,
        "-subj",
        "/CN=pem-test",
        "-days",
        "1",
        "-out",
        "c.pem");
    return Pem.certificates(Files.readString(dir.resolve("c.pem"))).get(0);
  }

  @Test
  void pkcs1RsaKey_isReadAndMatchesItsCertificate() throws Exception {
    openssl("genrsa", "-traditional", "-out", "rsa.pem", "2048");
    String pem = Files.readString(dir.resolve("rsa.pem"));
    assertThat(pem).contains("-----BEGIN RSA PRIVATE KEY-----");
    PrivateKey key = Pem.privateKey(pem);
    assertThat(key.getAlgorithm()).isEqualTo("RSA");
    Pem.checkPair(certFor("rsa.pem"), key);
  }

  @Test
  void sec1EcKey_withItsParametersBlock_isReadAndMatchesItsCertificate() throws Exception {
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", "ec.pem");
    String pem = Files.readString(dir.resolve("ec.pem"));
    assertThat(pem)
        .contains("-----BEGIN EC PARAMETERS-----")
        .contains("-----BEGIN EC PRIVATE KEY-----");
    PrivateKey key = Pem.privateKey(pem);
    assertThat(key.getAlgorithm()).isEqualTo("EC");
    Pem.checkPair(certFor("ec.pem"), key);
  }

  @Test
  void pkcs8Key_ofAnotherCertificate_doesNotMatch() throws Exception {
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "a.pem");
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "b.pem");
    PrivateKey b = Pem.privateKey(Files.readString(dir.resolve("b.pem")));
    X509Certificate a = certFor("a.pem");
    assertThatThrownBy(() -> Pem.checkPair(a, b))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("private key does not match public key of certificate CN=pem-test");
  }

  @Test
  void encryptedAndMissingKeys_andGarbageCertificates_areNamed() throws Exception {
    openssl(
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-aes256",
        "-pass",
        "pass:secret",
        "-out",
        "enc.pem");
    assertThatThrownBy(() -> Pem.privateKey(Files.readString(dir.resolve("enc.pem"))))
        .hasMessageStartingWith("holds an encrypted private key");
    assertThatThrownBy(() -> Pem.privateKey("hello"))
        .hasMessageStartingWith("holds no private key");
    assertThatThrownBy(
            () ->
                Pem.privateKey(
                    "-----BEGIN EC PRIVATE KEY-----\nMAMCAQE=\n-----END EC PRIVATE KEY-----\n"))
        .hasMessageContaining("names no curve");
    assertThatThrownBy(
            () -> Pem.certificates("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"))
        .hasMessageStartingWith("certificate 1 is malformed");
    assertThatThrownBy(() -> Pem.certificates(""))
        .hasMessageStartingWith("holds no PEM certificate");
  }
}
