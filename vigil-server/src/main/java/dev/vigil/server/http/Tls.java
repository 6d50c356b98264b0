package dev.vigil.server.http;

import dev.vigil.server.config.ConfigException;
import dev.vigil.server.config.ServerConfig.TlsConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** Builds Jetty's TLS context from PEM files (certificate chain + PKCS#8 key) or PKCS#12. */
final class Tls {
  private static final Pattern PEM_KEY =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

  private Tls() {}

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
    Collection<? extends Certificate> chain =
        CertificateFactory.getInstance("X.509")
            .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(Path.of(certFile))));
    if (chain.isEmpty()) {
      throw new ConfigException("server.tls.cert_file: " + certFile + " holds no certificate");
    }
    String pem = Files.readString(Path.of(keyFile));
    Matcher m = PEM_KEY.matcher(pem);
    if (!m.find()) {
      throw new ConfigException(
          "server.tls.key_file: "
              + keyFile
              + " holds no PKCS#8 key (-----BEGIN PRIVATE KEY-----); convert with `openssl pkcs8"
              + " -topk8 -nocrypt`");
    }
    byte[] der = Base64.getMimeDecoder().decode(m.group(1));
    PrivateKey key = null;
    for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
      try {
        key = KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
        break;
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    if (key == null) {
      throw new ConfigException("server.tls.key_file: " + keyFile + ": unsupported key type");
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("vigil", key, new char[0], chain.toArray(new Certificate[0]));
    return ks;
  }
}
