package dev.vigil.cli.export;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 for a request signed in its {@code Authorization} header: the canonical
 * request (method, URI, query, headers, signed header names, payload hash), the string to sign over
 * its hash, and the key derived from the secret through date, region and service.
 *
 * <pre>{@code
 * String auth = SigV4.authorization(creds, "us-east-1", "s3", "PUT", "/bucket/key", "",
 *     headers, payloadSha256Hex, "20261207T120000Z");
 * }</pre>
 */
/*
 * Design: the caller gives the URI path already percent-encoded the way S3 wants it (each segment
 * encoded once, slashes kept: uriEncodePath) and the query already canonical (names sorted,
 * encoded); the headers are lower-cased, values trimmed, inner runs of spaces folded, sorted by
 * name (a TreeMap). Every header given is signed: the caller passes exactly the ones it sends
 * (host, x-amz-date, x-amz-content-sha256, x-amz-security-token when a session token is set).
 * Checked against AWS's published examples in SigV4Test.
 */
final class SigV4 {
  static final String ALGORITHM = "AWS4-HMAC-SHA256";

  /** Access key, secret key and the optional session token (null when none). */
  record Credentials(String accessKey, String secretKey, String sessionToken) {
    @Override
    public String toString() {
      return "Credentials[" + accessKey + "]"; // never the secret
    }
  }

  private SigV4() {}

  /** The canonical request: the first of the three steps, exposed for tests. */
  static String canonicalRequest(
      String method,
      String canonicalUri,
      String canonicalQuery,
      SortedMap<String, String> headers,
      String payloadHash) {
    StringBuilder b = new StringBuilder();
    b.append(method).append('\n').append(canonicalUri).append('\n');
    b.append(canonicalQuery).append('\n');
    for (Map.Entry<String, String> h : headers.entrySet()) {
      b.append(h.getKey()).append(':').append(h.getValue()).append('\n');
    }
    b.append('\n').append(signedHeaders(headers)).append('\n').append(payloadHash);
    return b.toString();
  }

  /**
   * The value of the {@code Authorization} header.
   *
   * @param headers lower-case name to value, every header that is signed (host included)
   * @param amzDate the {@code x-amz-date} value, {@code yyyyMMdd'T'HHmmss'Z'}
   */
  static String authorization(
      Credentials c,
      String region,
      String service,
      String method,
      String canonicalUri,
      String canonicalQuery,
      Map<String, String> headers,
      String payloadHash,
      String amzDate) {
    SortedMap<String, String> h = canonicalHeaders(headers);
    String date = amzDate.substring(0, 8);
    String scope = date + "/" + region + "/" + service + "/aws4_request";
    String stringToSign =
        ALGORITHM
            + "\n"
            + amzDate
            + "\n"
            + scope
            + "\n"
            + sha256Hex(
                canonicalRequest(method, canonicalUri, canonicalQuery, h, payloadHash)
                    .getBytes(StandardCharsets.UTF_8));
    byte[] key = hmac(("AWS4" + c.secretKey()).getBytes(StandardCharsets.UTF_8), date);
    key = hmac(key, region);
    key = hmac(key, service);
    key = hmac(key, "aws4_request");
    String signature = HexFormat.of().formatHex(hmac(key, stringToSign));
    return ALGORITHM
        + " Credential="
        + c.accessKey()
        + "/"
        + scope
        + ", SignedHeaders="
        + signedHeaders(h)
        + ", Signature="
        + signature;
  }

  /** Lower-case names, trimmed values with inner runs of spaces folded, sorted by name. */
  static SortedMap<String, String> canonicalHeaders(Map<String, String> headers) {
    SortedMap<String, String> h = new TreeMap<>();
    headers.forEach(
        (k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), v.strip().replaceAll(" +", " ")));
    return h;
  }

  private static String signedHeaders(SortedMap<String, String> headers) {
    return String.join(";", headers.keySet());
  }

  /**
   * RFC 3986 percent-encoding as SigV4 wants it: unreserved characters ({@code A-Z a-z 0-9 - . _
   * ~}) kept, everything else as {@code %XX} of its UTF-8 bytes (upper-case hex); {@code /} kept
   * when {@code keepSlash} (an object key in a path).
   */
  static String uriEncode(String s, boolean keepSlash) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      int c = x & 0xff;
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~'
          || (keepSlash && c == '/')) {
        b.append((char) c);
      } else {
        b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        b.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return b.toString();
  }

  static String sha256Hex(byte[] data) {
    return sha256Hex(data, 0, data.length);
  }

  static String sha256Hex(byte[] data, int off, int len) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(data, off, len);
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no HmacSHA256", e);
    }
  }
}
