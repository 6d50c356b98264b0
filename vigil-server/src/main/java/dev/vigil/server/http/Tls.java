package dev.vigil.server.http;

import dev.vigil.server.config.ConfigException;
import dev.vigil.server.config.ServerConfig.TlsConfig;
import dev.vigil.server.tls.Pem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** Builds Jetty's TLS context from PEM files (certificate chain + PKCS#8 key) or PKCS#12. */
public final class Tls {
  private Tls() {}

  /**
   * Loads the key and certificate of {@code c} as the server will, so that {@code --check-config}
   * refuses what {@code serve} would fail to start with.
   *
   * @throws ConfigException naming the file and the problem
   */
  public static void check(TlsConfig c) {
    contextFactory(c);
  }

  static SslContextFactory.Server contextFactory(TlsConfig c) {
    SslContextFactory.Server f = new SslContextFactory.Server();
    try {
      if (c.keystoreFile() != null) {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(c.keystoreFile()))) {
          ks.load(in, c.keystorePassword().toCharArray());
        }
        f.setKeyStore(ks);
        f.setKeyStorePassword(c.keystorePassword());
      } else {
        f.setKeyStore(fromPem(c.certFile(), c.keyFile()));
        f.setKeyStorePassword("");
      }
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigException(
          "server.tls: cannot load the key and certificate: " + e.getMessage(), e);
    }
    f.setIncludeProtocols("TLSv1.2", "TLSv1.3");
    return f;
  }

  private static KeyStore fromPem(String certFile, String keyFile)
      throws IOException, GeneralSecurityException {
    List<X509Certificate> chain;
    try {
      chain = Pem.certificates(Files.readString(Path.of(certFile)));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("server.tls.cert_file: " + certFile + ": " + e.getMessage(), e);
    }
    PrivateKey key;
    try {
      key = Pem.privateKey(Files.readString(Path.of(keyFile)));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("server.tls.key_file: " + keyFile + ": " + e.getMessage(), e);
    }
    return Pem.keyStore("vigil", key, chain);
  }
}
