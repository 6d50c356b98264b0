package dev.vigil.server.remote;

import dev.vigil.ingest.wire.Snappy;
import dev.vigil.server.config.RemoteWriteConfig;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * Posts one compressed remote write request and says what to do with the answer: done, retry (5xx,
 * 429 unless {@code retry_on_http_429: false}, a network error) after how long the receiver asked
 * (Retry-After), or drop (other 4xx: the receiver will never take it). Thread-safe.
 */
final class WriteClient {
  /** What became of one attempt. */
  enum Kind {
    SENT,
    RETRY,
    DROP
  }

  /**
   * An attempt's outcome.
   *
   * @param retryAfter the receiver's Retry-After, or null
   * @param detail the status and the start of the body, or the error, for logs
   */
  record Outcome(Kind kind, Duration retryAfter, String detail) {}

  static final String USER_AGENT = "Vigil-remote-write/1";
  private static final Outcome SENT = new Outcome(Kind.SENT, null, null);

  private final RemoteWriteConfig config;
  private final HttpClient http; // https:// receivers
  private final Http1Connections plain; // http:// receivers
  private final String auth;

  WriteClient(RemoteWriteConfig config, SSLContext ssl, SSLParameters params) {
    this.config = config;
    this.auth = config.authorizationHeader();
    if ("http".equalsIgnoreCase(config.url().getScheme())) {
      this.http = null;
      this.plain = new Http1Connections(config.url(), fixedHeaders(), config.remoteTimeout());
      return;
    }
    this.plain = null;
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .connectTimeout(config.remoteTimeout())
            .followRedirects(HttpClient.Redirect.NEVER);
    if (ssl != null) {
      b.sslContext(ssl);
    }
    if (params != null) {
      b.sslParameters(params);
    }
    this.http = b.build();
  }

  /** The headers every request carries, in the order sent (before Content-Length). */
  private Map<String, String> fixedHeaders() {
    boolean v2 = config.protobufMessage().equals(RemoteWriteConfig.V2);
    Map<String, String> h = new java.util.LinkedHashMap<>();
    h.put("Content-Encoding", "snappy");
    h.put(
        "Content-Type",
        v2 ? "application/x-protobuf;proto=" + RemoteWriteConfig.V2 : "application/x-protobuf");
    h.put("User-Agent", USER_AGENT);
    h.put("X-Prometheus-Remote-Write-Version", v2 ? "2.0.0" : "0.1.0");
    h.putAll(config.headers());
    if (auth != null) {
      h.put("Authorization", auth);
    }
    return h;
  }

  /** Closes the kept-alive connections. */
  void close() {
    if (plain != null) {
      plain.close();
    }
  }

  /** Sends {@code proto} (uncompressed); returns the compressed size through {@code bytes}. */
  Outcome send(byte[] proto, long[] bytes) throws InterruptedException {
    byte[] body = Snappy.compress(proto);
    bytes[0] = body.length;
    if (plain != null) {
      Http1Connections.Response r;
      try {
        r = plain.post(body, body.length);
      } catch (IOException e) {
        return new Outcome(Kind.RETRY, null, e.getClass().getSimpleName() + ": " + e.getMessage());
      }
      return outcome(r.status(), r.body(), r.retryAfter());
    }
    boolean v2 = config.protobufMessage().equals(RemoteWriteConfig.V2);
    HttpRequest.Builder rb =
        HttpRequest.newBuilder(config.url())
            .timeout(config.remoteTimeout())
            .header("Content-Encoding", "snappy")
            .header(
                "Content-Type",
                v2
                    ? "application/x-protobuf;proto=" + RemoteWriteConfig.V2
                    : "application/x-protobuf")
            .header("User-Agent", USER_AGENT)
            .header("X-Prometheus-Remote-Write-Version", v2 ? "2.0.0" : "0.1.0")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (Map.Entry<String, String> h : config.headers().entrySet()) {
      rb.header(h.getKey(), h.getValue());
    }
    if (auth != null) {
      rb.header("Authorization", auth);
    }
    HttpResponse<String> r;
    try {
      r = http.send(rb.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return new Outcome(Kind.RETRY, null, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    return outcome(r.statusCode(), r.body(), r.headers().firstValue("Retry-After").orElse(null));
  }

  private Outcome outcome(int code, String responseBody, String retryAfter) {
    if (code / 100 == 2) {
      return SENT;
    }
    String body0 = responseBody == null ? "" : responseBody.strip();
    String detail =
        "HTTP "
            + code
            + (body0.isEmpty() ? "" : ": " + body0.substring(0, Math.min(200, body0.length())));
    if (code / 100 == 5 || code == 429 && config.queue().retryOnHttp429()) {
      return new Outcome(Kind.RETRY, retryAfter(retryAfter), detail);
    }
    return new Outcome(Kind.DROP, null, detail);
  }

  /** Retry-After as seconds or an HTTP date; null when absent or unreadable. */
  static Duration retryAfter(String v) {
    if (v == null || v.isBlank()) {
      return null;
    }
    try {
      long s = Long.parseLong(v.strip());
      return s < 0 ? null : Duration.ofSeconds(s);
    } catch (NumberFormatException e) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(v.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }
}
