package dev.vigil.server.scrape;

import dev.vigil.server.config.ScrapeTlsConfig;
import dev.vigil.server.tls.Pem;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * The client side of a scrape job's {@code tls_config}: an {@link SSLContext} and {@link
 * SSLParameters} for the JDK's HTTP client that behave like Prometheus' (Go's) TLS client.
 *
 * <ul>
 *   <li>The chain is validated (PKIX) against {@code ca}/{@code ca_file}, or the JVM's trust store.
 *   <li>The name checked in the certificate is {@code server_name} when set, else the target's
 *       host; as in Go, only subject alternative names count (DNS names with a leftmost {@code *}
 *       wildcard, IP addresses), never the common name.
 *   <li>{@code server_name} is also sent as SNI, whatever the target's address ({@link
 *       SniContext}).
 *   <li>{@code insecure_skip_verify} accepts any certificate.
 *   <li>The client certificate is always offered when the target asks for one (Go does not filter
 *       by the CAs the server names, the JDK would).
 * </ul>
 *
 * <p>Failures carry Go's wording ({@code x509: certificate signed by unknown authority}), which
 * {@link #describe} turns into the target's {@code lastError}.
 */
public final class ScrapeTls {
  private ScrapeTls() {}

  /** The SSL context of a job's TLS settings. */
  public static SSLContext context(ScrapeTlsConfig c) throws GeneralSecurityException {
    X509TrustManager chain = chainValidator(c.caCertificates());
    TrustManager tm = new NameCheckingTrustManager(chain, c.serverName(), c.insecureSkipVerify());
    KeyManager[] kms = null;
    if (c.cert() != null) {
      PrivateKey key = c.clientKey();
      KeyStore ks = Pem.keyStore("client", key, c.clientChain());
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, new char[0]);
      for (KeyManager km : kmf.getKeyManagers()) {
        if (km instanceof X509KeyManager x) {
          kms = new KeyManager[] {new AlwaysOfferKeyManager(x, "client")};
        }
      }
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kms, new TrustManager[] {tm}, null);
    String sni = c.serverName();
    return sni != null && !isIpLiteral(sni) ? SniContext.wrap(ctx, sni) : ctx;
  }

  /** Protocols from min/max_version (SNI is the engines' of {@link #context}). */
  public static SSLParameters parameters(ScrapeTlsConfig c) {
    SSLParameters p = new SSLParameters();
    p.setProtocols(c.protocols());
    return p;
  }

  private static X509TrustManager chainValidator(List<X509Certificate> cas)
      throws GeneralSecurityException {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    if (cas.isEmpty()) {
      tmf.init((KeyStore) null);
    } else {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try {
        ks.load(null, null);
      } catch (java.io.IOException e) {
        throw new GeneralSecurityException(e);
      }
      for (int i = 0; i < cas.size(); i++) {
        ks.setCertificateEntry("ca" + i, cas.get(i));
      }
      tmf.init(ks);
    }
    for (TrustManager t : tmf.getTrustManagers()) {
      if (t instanceof X509TrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("no X.509 trust manager in this JVM");
  }

  /**
   * The message for a failed scrape whose cause is TLS, in Prometheus' words; null when the failure
   * is not about TLS.
   */
  static String describe(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CertificateException ce
          && ce.getMessage() != null
          && ce.getMessage().startsWith("x509: ")) {
        return "tls: failed to verify certificate: " + ce.getMessage();
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (!(t instanceof SSLException)) {
        continue;
      }
      String m = String.valueOf(t.getMessage());
      String lower = m.toLowerCase(Locale.ROOT);
      // Jobs without tls_config use the JDK's own checks: translate their words.
      if (lower.contains("unable to find valid certification path")) {
        return "tls: failed to verify certificate: x509: certificate signed by unknown authority";
      }
      if (lower.contains("no subject alternative") || lower.contains("no name matching")) {
        return "tls: failed to verify certificate: x509: " + m.replaceFirst("^\\(\\w+\\) ", "");
      }
      if (lower.contains("certificate_required")) {
        return "remote error: tls: certificate required (the target asks for a client"
            + " certificate: set tls_config.cert_file and key_file)";
      }
      if (lower.contains("bad_certificate") || lower.contains("unknown_ca")) {
        return "remote error: tls: bad certificate (the target refused the client certificate)";
      }
      if (lower.contains("protocol_version") || lower.contains("no appropriate protocol")) {
        return "remote error: tls: protocol version not supported (min_version/max_version: "
            + m
            + ")";
      }
      if (lower.contains("unsupported or unrecognized ssl message")
          || lower.contains("plaintext connection")) {
        return "tls: first record does not look like a TLS handshake (is the target https?)";
      }
      if (lower.contains("received fatal alert")) {
        return "remote error: tls: " + m.substring(lower.indexOf("received fatal alert") + 21);
      }
      return "tls: " + m;
    }
    return null;
  }

  /**
   * In TLS 1.3 a target that wants a client certificate checks it after the client's handshake
   * ends, so its refusal may reach the client as a closed connection rather than an alert: say so
   * when the job has no client certificate.
   */
  static String hintClosedConnection(String error, ScrapeTlsConfig tls) {
    String lower = error.toLowerCase(Locale.ROOT);
    boolean closed =
        lower.contains("received no bytes")
            || lower.contains("connection reset")
            || lower.contains("closed")
            || lower.contains("eof");
    if (!closed || (tls != null && tls.cert() != null)) {
      return error;
    }
    return error
        + " (the target closed the TLS connection: if it requires a client certificate, set"
        + " tls_config.cert_file and key_file)";
  }

  static boolean isIpLiteral(String host) {
    return host.indexOf(':') >= 0 || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
  }

  /**
   * Validates the chain with a PKIX trust manager that ignores host names, then checks the name
   * itself (server_name or the target host), so that server_name can differ from the address.
   */
  static final class NameCheckingTrustManager extends X509ExtendedTrustManager {
    private final X509TrustManager chain;
    private final String serverName;
    private final boolean skip;

    NameCheckingTrustManager(X509TrustManager chain, String serverName, boolean skip) {
      this.chain = chain;
      this.serverName = serverName;
      this.skip = skip;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType, SSLEngine engine)
        throws CertificateException {
      check(certs, authType, engine == null ? null : engine.getPeerHost());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType, Socket socket)
        throws CertificateException {
      String host = null;
      if (socket instanceof javax.net.ssl.SSLSocket ssl && ssl.getHandshakeSession() != null) {
        host = ssl.getHandshakeSession().getPeerHost();
      }
      check(certs, authType, host);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType)
        throws CertificateException {
      check(certs, authType, null);
    }

    private void check(X509Certificate[] certs, String authType, String peerHost)
        throws CertificateException {
      if (skip) {
        return;
      }
      if (certs == null || certs.length == 0) {
        throw new CertificateException("x509: the target sent no certificate");
      }
      try {
        chain.checkServerTrusted(certs, authType);
      } catch (CertificateException e) {
        throw new CertificateException(chainMessage(e), e);
      }
      String name = serverName != null ? serverName : peerHost;
      if (name == null || name.isEmpty()) {
        // Fail closed, as Go does without a ServerName.
        throw new CertificateException(
            "x509: no host name to verify the certificate for (set tls_config.server_name)");
      }
      HostnameCheck.verify(certs[0], name);
    }

    private static String chainMessage(CertificateException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof CertificateExpiredException
            || t instanceof CertificateNotYetValidException
            || (t instanceof CertPathValidatorException v
                && (v.getReason() == CertPathValidatorException.BasicReason.EXPIRED
                    || v.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID))) {
          return "x509: certificate has expired or is not yet valid: " + t.getMessage();
        }
      }
      return "x509: certificate signed by unknown authority";
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("a scrape client does not verify clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("a scrape client does not verify clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String authType)
        throws CertificateException {
      throw new CertificateException("a scrape client does not verify clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return chain.getAcceptedIssuers();
    }
  }

  /** Offers the configured client certificate whatever CAs the target names, as Go does. */
  private static final class AlwaysOfferKeyManager extends X509ExtendedKeyManager {
    private final X509KeyManager km;
    private final String alias;

    AlwaysOfferKeyManager(X509KeyManager km, String alias) {
      this.km = km;
      this.alias = alias;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine e) {
      return alias;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return alias;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return new String[] {alias};
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String a) {
      return km.getCertificateChain(a);
    }

    @Override
    public PrivateKey getPrivateKey(String a) {
      return km.getPrivateKey(a);
    }
  }
}
