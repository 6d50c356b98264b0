package dev.vigil.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A throw-away PKI made at test time with the JDK's {@code keytool} (nothing checked in): a CA, a
 * server certificate for {@code localhost}, {@code target.vigil.test}, {@code *.wild.vigil.test}
 * and {@code 127.0.0.1}, and a client certificate, all signed by the CA, valid for two days.
 * Everything is written as PEM into the given directory: {@code ca.pem}, {@code server.pem}
 * (chain), {@code server-key.pem}, {@code client.pem}, {@code client-key.pem} (PKCS#8).
 */
public final class TestPki {
  private static final String PASS = "changeit";

  /** The directory holding the PEM files. */
  public final Path dir;

  private TestPki(Path dir) {
    this.dir = dir;
  }

  /** Makes the PKI in {@code dir} (about eight keytool runs, a few seconds). */
  public static TestPki create(Path dir) throws IOException, InterruptedException {
    Path ca = dir.resolve("ca.p12");
    keytool(
        dir,
        "-genkeypair",
        "-alias",
        "ca",
        "-dname",
        "CN=Vigil Test CA",
        "-ext",
        "bc:c",
        "-keystore",
        ca.toString());
    keytool(
        dir, "-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-file", "ca.pem");
    String caPem = Files.readString(dir.resolve("ca.pem"));
    for (String[] who :
        List.of(
            new String[] {
              "server",
              "CN=vigil-test-target",
              "SAN=dns:localhost,dns:target.vigil.test,dns:*.wild.vigil.test,ip:127.0.0.1"
            },
            new String[] {"client", "CN=vigil-test-scraper", "EKU=clientAuth"})) {
      String name = who[0];
      Path ks = dir.resolve(name + ".p12");
      keytool(dir, "-genkeypair", "-alias", name, "-dname", who[1], "-keystore", ks.toString());
      keytool(dir, "-certreq", "-alias", name, "-keystore", ks.toString(), "-file", name + ".csr");
      keytool(
          dir,
          "-gencert",
          "-rfc",
          "-alias",
          "ca",
          "-keystore",
          ca.toString(),
          "-infile",
          name + ".csr",
          "-outfile",
          name + "-leaf.pem",
          "-ext",
          who[2]);
      Files.writeString(
          dir.resolve(name + ".pem"), Files.readString(dir.resolve(name + "-leaf.pem")) + caPem);
      Files.writeString(dir.resolve(name + "-key.pem"), pkcs8(ks, name));
    }
    return new TestPki(dir);
  }

  /** A PEM file of this PKI by name ({@code ca.pem}, {@code server-key.pem}...). */
  public Path file(String name) {
    return dir.resolve(name);
  }

  /** The text of a PEM file of this PKI. */
  public String text(String name) throws IOException {
    return Files.readString(file(name));
  }

  private static String pkcs8(Path ks, String alias) throws IOException {
    try (InputStream in = Files.newInputStream(ks)) {
      KeyStore k = KeyStore.getInstance("PKCS12");
      k.load(in, PASS.toCharArray());
      PrivateKey key = (PrivateKey) k.getKey(alias, PASS.toCharArray());
      return "-----BEGIN PRIVATE KEY-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(key.getEncoded())
          + "\n-----END PRIVATE KEY-----\n";
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException(e);
    }
  }

  private static void keytool(Path dir, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    if (args[0].equals("-genkeypair")) {
      cmd.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2"));
    }
    cmd.addAll(List.of("-storetype", "PKCS12", "-storepass", PASS, "-keypass", PASS, "-noprompt"));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException("keytool " + String.join(" ", args) + " failed: " + out);
    }
  }
}
