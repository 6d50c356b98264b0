package dev.vigil.cli.export;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code --output influxdb://[user:password@]host:8086/DATABASE} or an InfluxDB 1.x write URL,
 * {@code http://host:8086/write?db=DATABASE}: line protocol POSTed in batches ({@link
 * HttpBatchOutput}), nanosecond precision (what the influx format writes).
 */
final class InfluxDestination {
  private InfluxDestination() {}

  /** Whether {@code output} names an InfluxDB destination rather than a file. */
  static boolean is(String output) {
    return output.startsWith("influxdb://")
        || output.startsWith("http://")
        || output.startsWith("https://");
  }

  /**
   * @throws IllegalArgumentException naming what is wrong with the URL
   */
  static HttpBatchOutput open(String output) {
    URI u;
    try {
      u = URI.create(output);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid --output URL \"" + output + "\": " + e.getMessage());
    }
    if (u.getHost() == null) {
      throw new IllegalArgumentException("invalid --output URL \"" + output + "\": no host");
    }
    Map<String, String> headers = new HashMap<>();
    headers.put("Content-Type", "text/plain; charset=utf-8");
    if (u.getUserInfo() != null) {
      headers.put(
          "Authorization",
          "Basic "
              + Base64.getEncoder()
                  .encodeToString(u.getRawUserInfo().getBytes(StandardCharsets.UTF_8)));
    }
    int port = u.getPort() == -1 ? 8086 : u.getPort();
    URI target;
    if (u.getScheme().equals("influxdb")) {
      String db = u.getPath() == null ? "" : u.getPath().replaceFirst("^/", "");
      if (db.isEmpty() || db.contains("/")) {
        throw new IllegalArgumentException(
            "invalid --output \"" + output + "\": expected influxdb://host:8086/DATABASE");
      }
      target =
          URI.create(
              "http://"
                  + u.getHost()
                  + ":"
                  + port
                  + "/write?precision=ns&db="
                  + java.net.URLEncoder.encode(db, StandardCharsets.UTF_8));
    } else {
      String q = u.getRawQuery() == null ? "" : u.getRawQuery();
      if (!u.getPath().endsWith("/write") || !("&" + q).contains("&db=")) {
        throw new IllegalArgumentException(
            "invalid --output \""
                + output
                + "\": an HTTP destination is InfluxDB 1.x's write API, e.g."
                + " http://host:8086/write?db=DATABASE");
      }
      if (("&" + q).contains("&precision=") && !("&" + q).contains("&precision=ns")) {
        throw new IllegalArgumentException(
            "invalid --output \""
                + output
                + "\": the influx format writes nanoseconds: drop precision=");
      }
      target =
          URI.create(u.getScheme() + "://" + u.getHost() + ":" + port + u.getRawPath() + "?" + q);
    }
    return new HttpBatchOutput(target, headers);
  }
}
