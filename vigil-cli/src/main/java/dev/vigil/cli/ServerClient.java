package dev.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The HTTP client of the commands that talk to a running server ({@code vigil query}, {@code
 * status}, {@code summary}, {@code import --url}): Prometheus' API envelope unwrapped, the token
 * sent as {@code Authorization: Bearer}, and every failure turned into one line for the user.
 *
 * <pre>{@code
 * ServerClient c = new ServerClient("http://127.0.0.1:9470", System.getenv("VIGIL_TOKEN"));
 * JsonNode data = c.api("/api/v1/query", List.of("query", "up"));   // the envelope's "data"
 * }</pre>
 */
final class ServerClient {
  /** The environment variable a token is read from when {@code --token} is not given. */
  static final String TOKEN_ENV = "VIGIL_TOKEN";

  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI base;
  private final String token;
  private final HttpClient http;
  private final Duration timeout;
  private final List<String[]> extraHeaders = new java.util.ArrayList<>();

  /**
   * @param url the server's address, {@code http://} or {@code https://}
   * @param token a bearer token, or null/empty for none
   * @throws IllegalArgumentException for an address that is not an http(s) URL
   */
  ServerClient(String url, String token, Duration timeout) {
    URI u;
    try {
      u = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid server URL \"" + url + "\": " + e.getMessage());
    }
    if (u.getScheme() == null
        || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
        || u.getHost() == null) {
      throw new IllegalArgumentException(
          "invalid server URL \"" + url + "\": give http://host:port or https://host:port");
    }
    this.base = u;
    this.token = token == null || token.isBlank() ? null : token.strip();
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  ServerClient(String url, String token) {
    this(url, token, Duration.ofMinutes(2));
  }

  /** The token from {@code flag}, else from {@value #TOKEN_ENV}, else null. */
  static String token(String flag) {
    if (flag != null && !flag.isBlank()) {
      return flag;
    }
    String env = System.getenv(TOKEN_ENV);
    return env == null || env.isBlank() ? null : env;
  }

  /** Adds headers written {@code Name: value} to every request; returns this. */
  ServerClient withHeaders(List<String> headers) {
    for (String h : headers) {
      int colon = h.indexOf(':');
      extraHeaders.add(
          new String[] {h.substring(0, colon).strip(), h.substring(colon + 1).strip()});
    }
    return this;
  }

  String url() {
    return base.toString();
  }

  /**
   * GETs a Prometheus API path and returns the envelope's {@code data}.
   *
   * @param params name, value, name, value...
   * @throws IOException naming the server's error, or that it cannot be reached
   */
  JsonNode api(String path, List<String> params) throws IOException {
    HttpResponse<String> r = get(path, params);
    JsonNode body;
    try {
      body = JSON.readTree(r.body());
    } catch (IOException e) {
      throw new IOException(
          base
              + path
              + " answered "
              + r.statusCode()
              + " with a body that is not JSON: "
              + snip(r));
    }
    if (r.statusCode() / 100 != 2 || !"success".equals(body.path("status").asText())) {
      String err = body.path("error").asText(snip(r));
      String type = body.path("errorType").asText("");
      throw new IOException(
          "server answered " + r.statusCode() + (type.isEmpty() ? "" : " " + type) + ": " + err);
    }
    return body.path("data");
  }

  /** GETs a path, any answer; connection problems become one-line IOExceptions. */
  HttpResponse<String> get(String path, List<String> params) throws IOException {
    StringBuilder q = new StringBuilder();
    for (int i = 0; i + 1 < params.size(); i += 2) {
      q.append(q.isEmpty() ? "?" : "&");
      q.append(URLEncoder.encode(params.get(i), StandardCharsets.UTF_8)).append('=');
      q.append(URLEncoder.encode(params.get(i + 1), StandardCharsets.UTF_8));
    }
    HttpRequest.Builder b = request(path + q).GET();
    return send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** POSTs a body with the given headers. */
  HttpResponse<String> post(String path, Map<String, String> headers, byte[] body)
      throws IOException {
    HttpRequest.Builder b = request(path).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(b::header);
    return send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String pathAndQuery) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(timeout);
    for (String[] h : extraHeaders) {
      b.header(h[0], h[1]);
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  private <T> HttpResponse<T> send(HttpRequest req, HttpResponse.BodyHandler<T> h)
      throws IOException {
    try {
      HttpResponse<T> r = http.send(req, h);
      if (r.statusCode() == 401 || r.statusCode() == 403) {
        throw new IOException(
            "server answered "
                + r.statusCode()
                + (token == null
                    ? ": it needs a token (--token or " + TOKEN_ENV + ")"
                    : ": the token was refused for " + req.uri().getPath()));
      }
      return r;
    } catch (ConnectException e) {
      throw new IOException("cannot connect to " + base + " (is the server running?)");
    } catch (HttpTimeoutException e) {
      throw new IOException("no answer from " + base + " within " + timeout.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
  }

  private static String snip(HttpResponse<String> r) {
    String s = r.body() == null ? "" : r.body().strip();
    return s.length() > 300 ? s.substring(0, 300) + "…" : s;
  }
}
