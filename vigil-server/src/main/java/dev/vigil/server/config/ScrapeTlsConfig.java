package dev.vigil.server.config;

import dev.vigil.server.tls.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code tls_config} of a scrape job, as in Prometheus: whom to trust, which client certificate
 * to present, which name to expect.
 *
 * <p>Files are read when the configuration is loaded (and again at every reload), relative to the
 * configuration file's directory, and their contents kept here, so a changed certificate makes a
 * different config and the job restarts with it on reload. Every PEM is checked at load: a file
 * that cannot be read, holds no certificate or key, or a key that does not match its certificate is
 * a {@link ConfigException} naming file, line and key.
 *
 * @param ca PEM text of the trusted CA certificates, or null for the JVM's default trust store
 * @param cert PEM text of the client certificate chain (mTLS), or null
 * @param key PEM text of the client's PKCS#8 private key, or null (set with {@code cert})
 * @param serverName the name sent as SNI and verified in the target's certificate; null for the
 *     target's host
 * @param insecureSkipVerify accept any certificate of the target (never the default)
 * @param minVersion lowest TLS version: {@code TLS12} or {@code TLS13}
 * @param maxVersion highest TLS version, or null for the highest the JVM supports
 * @param caFile the {@code ca_file} {@code ca} was read from (resolved against the configuration
 *     file's directory), or null when given inline or not at all
 * @param certFile the {@code cert_file} {@code cert} was read from, or null
 * @param keyFile the {@code key_file} {@code key} was read from, or null
 */
public record ScrapeTlsConfig(
    String ca,
    String cert,
    String key,
    String serverName,
    boolean insecureSkipVerify,
    String minVersion,
    String maxVersion,
    String caFile,
    String certFile,
    String keyFile) {

  private static final List<String> VERSIONS = List.of("TLS10", "TLS11", "TLS12", "TLS13");

  /** Where the CA and client certificate came from ({@code ca_file /etc/ca.pem}), for messages. */
  public String origin() {
    String ca = this.ca == null ? "ca none" : caFile == null ? "ca inline" : "ca_file " + caFile;
    if (cert == null) {
      return ca;
    }
    return ca + ", " + (certFile == null ? "cert inline" : "cert_file " + certFile);
  }

  /** The JSSE protocol names enabled by {@code min_version} and {@code max_version}. */
  public String[] protocols() {
    int lo = VERSIONS.indexOf(minVersion);
    int hi = maxVersion == null ? VERSIONS.size() - 1 : VERSIONS.indexOf(maxVersion);
    List<String> out = new ArrayList<>();
    for (int i = lo; i <= hi; i++) {
      out.add("TLSv1." + VERSIONS.get(i).substring(4));
    }
    return out.toArray(new String[0]);
  }

  /** The trusted CA certificates, or an empty list for the JVM's default trust store. */
  public List<X509Certificate> caCertificates() {
    return ca == null ? List.of() : Pem.certificates(ca);
  }

  /** The client certificate chain, or an empty list. */
  public List<X509Certificate> clientChain() {
    return cert == null ? List.of() : Pem.certificates(cert);
  }

  /** The client private key, or null. */
  public PrivateKey clientKey() {
    return key == null ? null : Pem.privateKey(key);
  }

  /** Never prints the private key. */
  @Override
  public String toString() {
    return "ScrapeTlsConfig[ca="
        + (ca == null ? "system" : "set")
        + ", cert="
        + (cert == null ? "none" : "set")
        + ", key="
        + (key == null ? "none" : "<secret>")
        + ", serverName="
        + serverName
        + ", insecureSkipVerify="
        + insecureSkipVerify
        + ", minVersion="
        + minVersion
        + ", maxVersion="
        + maxVersion
        + ", origin="
        + origin()
        + "]";
  }

  /** Binds {@code tls_config}; relative file names are resolved against {@code baseDir}. */
  static ScrapeTlsConfig bind(Section t, Path baseDir) {
    Pick ca = pick(t, "ca", baseDir);
    Pick cert = pick(t, "cert", baseDir);
    Pick key = pick(t, "key", baseDir);
    String serverName = t.string("server_name", null);
    if (serverName != null && serverName.isBlank()) {
      serverName = null;
    }
    boolean skip = t.bool("insecure_skip_verify", false);
    String min = version(t, "min_version", "TLS12");
    String max = version(t, "max_version", null);
    t.finish();
    if (max != null && VERSIONS.indexOf(max) < VERSIONS.indexOf(min)) {
      throw t.error("max_version", max + " is lower than min_version " + min);
    }
    if (ca.text != null) {
      check(t, ca, () -> Pem.certificates(ca.text));
    }
    if (cert.text != null && key.text == null) {
      throw t.error(
          cert.key, "a client certificate needs its private key: set key_file (or key) too");
    }
    if (key.text != null && cert.text == null) {
      throw t.error(key.key, "a client key needs its certificate: set cert_file (or cert) too");
    }
    if (cert.text != null) {
      List<X509Certificate> chain = check(t, cert, () -> Pem.certificates(cert.text));
      PrivateKey pk = check(t, key, () -> Pem.privateKey(key.text));
      check(
          t,
          key,
          () -> {
            Pem.checkPair(chain.get(0), pk);
            return null;
          });
    }
    return new ScrapeTlsConfig(
        ca.text, cert.text, key.text, serverName, skip, min, max, ca.file, cert.file, key.file);
  }

  /** Where a PEM came from: the key read ({@code ca} or {@code ca_file}), the file, the text. */
  private record Pick(String key, String file, String text) {}

  private static Pick pick(Section t, String name, Path baseDir) {
    String inline = t.string(name, null);
    String file = t.string(name + "_file", null);
    if (inline != null && file != null) {
      throw t.error(
          name + "_file", "at most one of " + name + " and " + name + "_file must be configured");
    }
    if (file == null) {
      return new Pick(name, null, inline);
    }
    Path p;
    try {
      p = baseDir == null ? Path.of(file) : baseDir.resolve(file);
    } catch (java.nio.file.InvalidPathException e) {
      throw t.error(name + "_file", "not a valid file name: " + e.getReason());
    }
    try {
      return new Pick(name + "_file", p.toString(), Files.readString(p));
    } catch (NoSuchFileException e) {
      throw t.error(name + "_file", "cannot read " + p + ": no such file");
    } catch (IOException e) {
      throw t.error(name + "_file", "cannot read " + p + ": " + e);
    }
  }

  private static <T> T check(Section t, Pick p, java.util.function.Supplier<T> parse) {
    try {
      return parse.get();
    } catch (IllegalArgumentException e) {
      throw t.error(p.key, (p.file == null ? "" : p.file + ": ") + e.getMessage());
    }
  }

  private static String version(Section t, String key, String def) {
    return t.value(
        key,
        def,
        v -> {
          if (v.equals("TLS12") || v.equals("TLS13")) {
            return v;
          }
          if (VERSIONS.contains(v)) {
            throw new IllegalArgumentException(
                v
                    + " is not supported (TLS 1.0 and 1.1 are disabled in the JVM); use TLS12 or"
                    + " TLS13");
          }
          throw new IllegalArgumentException(
              "unknown TLS version \"" + v + "\" (use TLS12 or TLS13)");
        });
  }
}
