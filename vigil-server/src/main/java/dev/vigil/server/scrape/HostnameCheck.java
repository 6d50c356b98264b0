package dev.vigil.server.scrape;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Checks that a certificate is valid for a host name or IP address the way Go's {@code
 * x509.Certificate.VerifyHostname} does: subject alternative names only (no common name fallback),
 * DNS names case-insensitively with a {@code *} allowed as the whole leftmost label, IP addresses
 * byte for byte. Errors use Go's wording.
 */
final class HostnameCheck {
  private static final int SAN_DNS = 2;
  private static final int SAN_IP = 7;

  private HostnameCheck() {}

  /**
   * Passes when {@code cert} is valid for {@code host}.
   *
   * @throws CertificateException {@code x509: certificate is valid for a, b, not c} and the like
   */
  static void verify(X509Certificate cert, String host) throws CertificateException {
    String h =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    List<String> dns = new ArrayList<>();
    List<String> ips = new ArrayList<>();
    Collection<List<?>> sans;
    try {
      sans = cert.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      throw new CertificateException("x509: cannot parse subject alternative names", e);
    }
    if (sans != null) {
      for (List<?> san : sans) {
        int type = (Integer) san.get(0);
        if (type == SAN_DNS) {
          dns.add((String) san.get(1));
        } else if (type == SAN_IP) {
          ips.add((String) san.get(1));
        }
      }
    }
    if (ScrapeTls.isIpLiteral(h)) {
      byte[] want = ipBytes(h);
      for (String ip : ips) {
        byte[] got = ipBytes(ip);
        if (want != null && got != null && Arrays.equals(want, got)) {
          return;
        }
      }
      if (ips.isEmpty()) {
        throw new CertificateException(
            "x509: cannot validate certificate for "
                + h
                + " because it doesn't contain any IP SANs");
      }
      throw new CertificateException(
          "x509: certificate is valid for " + String.join(", ", ips) + ", not " + h);
    }
    String name = h.toLowerCase(Locale.ROOT);
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    for (String d : dns) {
      if (matches(d.toLowerCase(Locale.ROOT), name)) {
        return;
      }
    }
    if (dns.isEmpty()) {
      throw new CertificateException(
          "x509: certificate relies on legacy Common Name field, use SANs instead (it is not"
              + " valid for "
              + h
              + ")");
    }
    throw new CertificateException(
        "x509: certificate is valid for " + String.join(", ", dns) + ", not " + h);
  }

  private static boolean matches(String pattern, String host) {
    if (pattern.endsWith(".")) {
      pattern = pattern.substring(0, pattern.length() - 1);
    }
    if (pattern.startsWith("*.")) {
      int dot = host.indexOf('.');
      return dot > 0 && host.substring(dot + 1).equals(pattern.substring(2));
    }
    return pattern.equals(host);
  }

  /** The bytes of an IP literal (no name lookup happens for literals), or null. */
  private static byte[] ipBytes(String literal) {
    if (!ScrapeTls.isIpLiteral(literal)) {
      return null;
    }
    try {
      return InetAddress.getByName(literal).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
