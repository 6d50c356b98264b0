package dev.vigil.server.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM text: X.509 certificates and unencrypted private keys: PKCS#8 ({@code -----BEGIN
 * PRIVATE KEY-----}: RSA, EC, Ed25519), PKCS#1 ({@code RSA PRIVATE KEY}) and SEC1 ({@code EC
 * PRIVATE KEY}, named curves), as OpenSSL, cert-manager and Go write them. Shared by the HTTPS
 * server ({@code server.tls}) and the scrape client ({@code tls_config}). Every failure is an
 * {@link IllegalArgumentException} whose message says what is wrong with the text, for the caller
 * to prefix with the file and key.
 *
 * <pre>{@code
 * List<X509Certificate> chain = Pem.certificates(Files.readString(certFile));
 * PrivateKey key = Pem.privateKey(Files.readString(keyFile));
 * Pem.checkPair(chain.get(0), key);
 * }</pre>
 */
public final class Pem {
  private static final Pattern CERT =
      Pattern.compile("-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]*)-----END CERTIFICATE-----");
  private static final Pattern KEY =
      Pattern.compile(
          "-----BEGIN (RSA |EC |)PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END \\1PRIVATE KEY-----");

  private Pem() {}

  /**
   * Every certificate of a PEM text, in order (leaf first for a chain).
   *
   * @throws IllegalArgumentException when there is none or one is malformed
   */
  public static List<X509Certificate> certificates(String pem) {
    Matcher m = CERT.matcher(pem);
    List<X509Certificate> out = new ArrayList<>();
    CertificateFactory f;
    try {
      f = CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new IllegalStateException("no X.509 support in this JVM", e);
    }
    while (m.find()) {
      try {
        byte[] der = Base64.getMimeDecoder().decode(m.group(1));
        out.add((X509Certificate) f.generateCertificate(new ByteArrayInputStream(der)));
      } catch (IllegalArgumentException | CertificateException e) {
        throw new IllegalArgumentException(
            "certificate " + (out.size() + 1) + " is malformed: " + e.getMessage(), e);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
    return List.copyOf(out);
  }

  /**
   * The private key of a PEM text (the first key block).
   *
   * @throws IllegalArgumentException when there is none, it is encrypted, or it is malformed or of
   *     an unsupported algorithm
   */
  public static PrivateKey privateKey(String pem) {
    Matcher m = KEY.matcher(pem);
    if (m.find()) {
      return pkcs8(decode(m.group(2)), m.group(1));
    }
    if (pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")
        || pem.contains("Proc-Type: 4,ENCRYPTED")) {
      throw new IllegalArgumentException(
          "holds an encrypted private key; decrypt it with `openssl pkcs8 -topk8 -nocrypt -in"
              + " key.pem -out key-plain.pem`");
    }
    throw new IllegalArgumentException(
        "holds no private key (-----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY)");
  }

  private static byte[] decode(String base64) {
    try {
      return Base64.getMimeDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("private key is not valid base64: " + e.getMessage(), e);
    }
  }

  /** Reads PKCS#8, or PKCS#1 ({@code RSA}) and SEC1 ({@code EC}) keys wrapped into PKCS#8. */
  private static PrivateKey pkcs8(byte[] der, String kind) {
    String[] algs;
    switch (kind) {
      case "RSA " -> {
        der = Der.pkcs8(Der.RSA_ALGORITHM, der);
        algs = new String[] {"RSA"};
      }
      case "EC " -> {
        der = Der.pkcs8(Der.ecAlgorithm(der), der);
        algs = new String[] {"EC"};
      }
      default -> algs = new String[] {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"};
    }
    for (String alg : algs) {
      try {
        return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new IllegalArgumentException(
        (kind.isEmpty() ? "" : kind) + "private key is malformed or of an unsupported type");
  }

  /**
   * Checks that {@code key} belongs to {@code cert} by signing and verifying a probe.
   *
   * @throws IllegalArgumentException "private key does not match public key" otherwise
   */
  public static void checkPair(X509Certificate cert, PrivateKey key) {
    String alg =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          default -> key.getAlgorithm();
        };
    byte[] probe = "vigil key pair check".getBytes(StandardCharsets.UTF_8);
    boolean ok;
    try {
      Signature s = Signature.getInstance(alg);
      s.initSign(key);
      s.update(probe);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(alg);
      v.initVerify(cert.getPublicKey());
      v.update(probe);
      ok = v.verify(sig);
    } catch (GeneralSecurityException e) {
      ok = false;
    }
    if (!ok) {
      throw new IllegalArgumentException(
          "private key does not match public key of certificate "
              + cert.getSubjectX500Principal().getName());
    }
  }

  /** A PKCS#12 key store in memory holding {@code key} and its chain under {@code alias}. */
  public static KeyStore keyStore(String alias, PrivateKey key, List<X509Certificate> chain)
      throws GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try {
      ks.load(null, null);
    } catch (java.io.IOException e) {
      throw new GeneralSecurityException(e);
    }
    ks.setKeyEntry(alias, key, new char[0], chain.toArray(new X509Certificate[0]));
    return ks;
  }
}
