package dev.vigil.cli.export;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * Where {@code --output s3://bucket/prefix/[name]} goes: the bucket, the object key, the region and
 * the endpoint. The key is the URL's path; a path that is empty or ends with {@code /} is a prefix,
 * completed with {@link #defaultName}. With {@code AWS_ENDPOINT_URL} (or {@code
 * AWS_ENDPOINT_URL_S3}) the endpoint is that server, addressed path-style ({@code
 * http://host:port/bucket/key}), as S3-compatible servers (MinIO, s3rver, Ceph) expect; without it,
 * AWS itself, virtual-hosted ({@code https://bucket.s3.REGION.amazonaws.com/key}), path-style for a
 * bucket with a dot (its name would not match the TLS certificate).
 */
record S3Target(String bucket, String key, String region, URI endpoint, boolean pathStyle) {
  private static final DateTimeFormatter NAME_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /** Whether {@code output} names an S3 destination. */
  static boolean is(String output) {
    return output.regionMatches(true, 0, "s3://", 0, 5);
  }

  /** {@code vigil-export-<start>-<end>.<ext>}, the times in UTC, e.g. {@code 20261207T000000Z}. */
  static String defaultName(long startMs, long endMs, String ext) {
    return "vigil-export-"
        + NAME_TIME.format(Instant.ofEpochMilli(startMs))
        + "-"
        + NAME_TIME.format(Instant.ofEpochMilli(endMs))
        + "."
        + ext;
  }

  /**
   * @param defaultName the object name when the URL names a prefix
   * @throws IllegalArgumentException naming what is wrong with the URL or the environment
   */
  static S3Target parse(String output, String defaultName, Map<String, String> env) {
    String rest = output.substring(5);
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String key = slash < 0 ? "" : rest.substring(slash + 1);
    // S3's naming rules: 3-63 characters, lower-case letters, digits, dots and hyphens.
    if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      throw new IllegalArgumentException(
          "invalid --output \""
              + output
              + "\": expected s3://BUCKET/PREFIX/ or s3://BUCKET/KEY, the bucket 3-63 lower-case"
              + " letters, digits, dots or hyphens");
    }
    if (key.isEmpty() || key.endsWith("/")) {
      key = key + defaultName;
    }
    if (key.contains("//") || key.startsWith("/")) {
      throw new IllegalArgumentException(
          "invalid --output \"" + output + "\": the object key has an empty path segment");
    }
    String region = env.getOrDefault("AWS_REGION", env.getOrDefault("AWS_DEFAULT_REGION", ""));
    if (region.isBlank()) {
      region = "us-east-1";
    }
    String ep = env.getOrDefault("AWS_ENDPOINT_URL_S3", env.get("AWS_ENDPOINT_URL"));
    if (ep != null && !ep.isBlank()) {
      URI u;
      try {
        u = URI.create(ep.strip().replaceAll("/+$", ""));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("invalid AWS_ENDPOINT_URL \"" + ep + "\"");
      }
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
        throw new IllegalArgumentException(
            "invalid AWS_ENDPOINT_URL \"" + ep + "\": expected http(s)://host[:port]");
      }
      return new S3Target(bucket, key, region, u, true);
    }
    boolean dotted = bucket.contains(".");
    URI aws =
        URI.create("https://" + (dotted ? "" : bucket + ".") + "s3." + region + ".amazonaws.com");
    return new S3Target(bucket, key, region, aws, dotted);
  }

  /** The request path, percent-encoded once (also the canonical URI SigV4 signs). */
  String canonicalPath() {
    String base = endpoint.getRawPath() == null ? "" : endpoint.getRawPath();
    String k = SigV4.uriEncode(key, true);
    return pathStyle ? base + "/" + SigV4.uriEncode(bucket, false) + "/" + k : base + "/" + k;
  }

  /** The request URI with a canonical query ("" for none). */
  URI uri(String query) {
    return URI.create(
        endpoint.getScheme()
            + "://"
            + endpoint.getRawAuthority()
            + canonicalPath()
            + (query.isEmpty() ? "" : "?" + query));
  }

  /** The {@code Host} header the HTTP client sends (host, and the port when one is given). */
  String hostHeader() {
    return endpoint.getHost() + (endpoint.getPort() == -1 ? "" : ":" + endpoint.getPort());
  }

  @Override
  public String toString() {
    return "s3://" + bucket + "/" + key;
  }
}
