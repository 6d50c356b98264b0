package dev.vigil.server.remote;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.model.QueryDeadline;
import dev.vigil.server.config.RemoteQueryConfig;
import dev.vigil.server.http.ApiError;
import dev.vigil.server.http.Json;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * Reads one Prometheus HTTP API ({@code query.remote}): raw samples of a selector, series, label
 * names and values. Every answer is bounded by {@code series_limit}, {@code samples_limit} and
 * {@code remote_timeout}; every failure is an {@link ApiError} naming the backend (503 unavailable
 * or timeout when it is down or slow, 422 execution when it refused the request or a limit was
 * hit), never a stack trace. Thread-safe.
 */
final class RemoteQueryClient {
  /* Raw samples come from an instant query of a range selector, {matchers}[Nms] at time=maxt: the
   * one request Prometheus, VictoriaMetrics, Mimir and Thanos all answer with the stored samples
   * unchanged (VictoriaMetrics 1.79 answers 400 "unsupported path" to remote read's /api/v1/read,
   * and /api/v1/export is VictoriaMetrics' own). The window (maxt-N, maxt] with N = maxt-mint+1
   * covers [mint, maxt]; Prometheus 2.x closes it on the left, so samples before mint are cut
   * here. */

  static final String USER_AGENT = "Vigil-remote-query/1";

  /** Longest error body read from the backend for a message. */
  private static final int ERROR_BODY_LIMIT = 4096;

  private final RemoteQueryConfig config;
  private final HttpClient http;
  private final String auth;
  private final RemoteQueryMetrics metrics;
  private final String base;

  RemoteQueryClient(
      RemoteQueryConfig config, SSLContext ssl, SSLParameters params, RemoteQueryMetrics metrics) {
    this.config = config;
    this.metrics = metrics;
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
    this.auth = config.authorizationHeader();
    this.base = config.url().toString();
  }

  RemoteQueryConfig config() {
    return config;
  }

  /** Lets requests under way finish, then releases the connections (a reload replaced it). */
  void shutdown() {
    http.shutdown();
  }

  /** One series as the backend returned it, samples in time order. */
  record RemoteSeries(Labels labels, long[] ts, double[] vals, int size) {}

  /** The selector's samples in {@code [mint, maxt]}, sorted by labels. */
  List<RemoteSeries> samples(List<LabelMatcher> matchers, long mint, long maxt) {
    String query = selector(matchers) + "[" + (maxt - mint + 1) + "ms]";
    URI uri = uri("/api/v1/query", "query", query, "time", seconds(maxt));
    List<RemoteSeries> out =
        get(uri, p -> readMatrix(p, mint, maxt, query), "samples of " + selector(matchers));
    out.sort((a, b) -> a.labels().compareTo(b.labels()));
    return out;
  }

  /** The series matching, sorted by labels (their samples are not read). */
  List<Labels> series(List<LabelMatcher> matchers, long mint, long maxt) {
    URI uri =
        uri(
            "/api/v1/series",
            "match[]",
            selector(matchers),
            "start",
            seconds(mint),
            "end",
            seconds(maxt));
    List<Labels> out =
        get(uri, p -> readLabelSets(p, selector(matchers)), "series " + selector(matchers));
    out.sort(Labels::compareTo);
    return out;
  }

  /** Label names of the series matching (all series when none given), as the backend sorts them. */
  List<String> labelNames(List<LabelMatcher> matchers, long mint, long maxt) {
    return strings("/api/v1/labels", "labels", matchers, mint, maxt);
  }

  /** Values of a label over the series matching (all series when none given). */
  List<String> labelValues(String name, List<LabelMatcher> matchers, long mint, long maxt) {
    return strings(
        "/api/v1/label/" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "/values",
        "label_values",
        matchers,
        mint,
        maxt);
  }

  private List<String> strings(
      String path, String endpoint, List<LabelMatcher> matchers, long mint, long maxt) {
    List<String> params = new ArrayList<>(List.of("start", seconds(mint), "end", seconds(maxt)));
    if (!matchers.isEmpty()) {
      params.add("match[]");
      params.add(selector(matchers));
    }
    URI uri = uri(path, params.toArray(String[]::new));
    return get(uri, this::readStrings, endpoint.replace('_', ' '));
  }

  /** {@code {a="b",c=~"d"}}: PromQL's selector syntax for the matchers. */
  static String selector(List<LabelMatcher> matchers) {
    StringJoiner j = new StringJoiner(",", "{", "}");
    for (LabelMatcher m : matchers) {
      j.add(m.toString());
    }
    return j.toString();
  }

  /** Milliseconds as the API's seconds with three decimals, exactly. */
  static String seconds(long ms) {
    return BigDecimal.valueOf(ms, 3).toPlainString();
  }

  private URI uri(String path, String... params) {
    StringBuilder sb = new StringBuilder(base).append(path);
    for (int i = 0; i < params.length; i += 2) {
      sb.append(i == 0 ? '?' : '&')
          .append(URLEncoder.encode(params[i], StandardCharsets.UTF_8))
          .append('=')
          .append(URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8));
    }
    return URI.create(sb.toString());
  }

  /** Reads the body's {@code data} with {@code reader}; the parser stands on data's first token. */
  private interface DataReader<T> {
    T read(JsonParser p) throws IOException;
  }

  private <T> T get(URI uri, DataReader<T> reader, String what) {
    QueryDeadline deadline = QueryDeadline.current();
    deadline.check(); // a query past its deadline asks nothing more
    // The shorter of remote_timeout and the time the query has left: a query with a 5 s timeout
    // does not wait 30 s on a slow backend.
    java.time.Duration left = deadline.remaining();
    boolean queryBound = left != null && left.compareTo(config.remoteTimeout()) < 0;
    java.time.Duration timeout =
        queryBound ? left.plusMillis(1) : config.remoteTimeout(); // HttpClient refuses zero
    HttpRequest.Builder rb =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Accept", "application/json")
            .header("User-Agent", USER_AGENT)
            .GET();
    for (Map.Entry<String, String> h : config.headers().entrySet()) {
      rb.header(h.getKey(), h.getValue());
    }
    if (auth != null) {
      rb.header("Authorization", auth);
    }
    long start = System.nanoTime();
    String code = "error";
    try {
      HttpResponse<InputStream> r =
          http.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
      code = Integer.toString(r.statusCode());
      try (InputStream body = r.body()) {
        if (r.statusCode() / 100 != 2) {
          throw answered(r.statusCode(), body);
        }
        try (JsonParser p = Json.MAPPER.getFactory().createParser(body)) {
          return readEnvelope(p, reader);
        }
      }
    } catch (HttpTimeoutException e) {
      code = "timeout";
      if (queryBound) {
        // The query's own timeout: answered as any query past it (503 timeout).
        throw new dev.vigil.model.QueryCanceledException(
            true, "query timed out waiting for the remote query backend " + base);
      }
      throw failure(
          ApiError.Type.TIMEOUT,
          "did not answer within remote_timeout "
              + dev.vigil.model.Durations.formatDuration(config.remoteTimeout())
              + " ("
              + what
              + ")");
    } catch (IOException e) {
      if (code.equals("error") || code.startsWith("2")) {
        // A network error, or a body that is not the API's JSON.
        throw failure(
            ApiError.Type.UNAVAILABLE,
            (code.equals("error") ? "cannot be reached: " : "answered unreadable JSON: ")
                + describe(e));
      }
      throw failure(ApiError.Type.UNAVAILABLE, "answered HTTP " + code);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new dev.vigil.model.QueryCanceledException(false, "query canceled");
    } finally {
      metrics.request(code, (System.nanoTime() - start) / 1e9);
    }
  }

  private static String describe(IOException e) {
    String m = e.getMessage();
    if (e instanceof java.net.ConnectException || m == null || m.isBlank()) {
      return "connection refused or no route (" + e.getClass().getSimpleName() + ")";
    }
    return m;
  }

  ApiError failure(ApiError.Type type, String message) {
    String full = "remote query backend " + base + " " + message;
    metrics.failed(full);
    return new ApiError(type, full);
  }

  /** A non-2xx answer: the backend's own error message, typed by its status. */
  private ApiError answered(int status, InputStream body) throws IOException {
    byte[] head = body.readNBytes(ERROR_BODY_LIMIT);
    String text = new String(head, StandardCharsets.UTF_8).strip();
    String message = text;
    try {
      var node = Json.MAPPER.readTree(head);
      if (node != null && node.hasNonNull("error")) {
        message = node.get("error").asText();
      }
    } catch (IOException notJson) {
      // a proxy's HTML page or plain text: shown as it is, shortened
    }
    if (message.length() > 300) {
      message = message.substring(0, 300) + "...";
    }
    ApiError.Type type =
        status == 400 || status == 422 ? ApiError.Type.EXECUTION : ApiError.Type.UNAVAILABLE;
    return failure(type, "answered HTTP " + status + (message.isEmpty() ? "" : ": " + message));
  }

  private <T> T readEnvelope(JsonParser p, DataReader<T> reader) throws IOException {
    expect(p.nextToken(), JsonToken.START_OBJECT);
    T data = null;
    String status = null;
    String error = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      switch (field) {
        case "status" -> status = p.getValueAsString();
        case "error" -> error = p.getValueAsString();
        case "data" -> data = reader.read(p);
        default -> p.skipChildren();
      }
      if (t == null) {
        break;
      }
    }
    if (!"success".equals(status)) {
      throw failure(
          ApiError.Type.EXECUTION,
          "answered status " + status + (error == null ? "" : ": " + error));
    }
    if (data == null) {
      throw new IOException("no data in the answer");
    }
    return data;
  }

  private static void expect(JsonToken got, JsonToken want) throws IOException {
    if (got != want) {
      throw new IOException("expected " + want + ", got " + got);
    }
  }

  private List<RemoteSeries> readMatrix(JsonParser p, long mint, long maxt, String query)
      throws IOException {
    expect(p.currentToken(), JsonToken.START_OBJECT);
    List<RemoteSeries> out = new ArrayList<>();
    String type = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals("resultType")) {
        type = p.getValueAsString();
      } else if (field.equals("result")) {
        expect(p.currentToken(), JsonToken.START_ARRAY);
        long samples = 0;
        while (p.nextToken() == JsonToken.START_OBJECT) {
          if (out.size() >= config.seriesLimit()) {
            throw limit("series_limit", config.seriesLimit(), "series", query);
          }
          RemoteSeries s = readSeries(p, mint, maxt, samples, query);
          samples += s.size();
          out.add(s);
        }
      } else {
        p.skipChildren();
      }
    }
    if (type != null && !type.equals("matrix")) {
      throw new IOException("expected a matrix for " + query + ", got " + type);
    }
    return out;
  }

  private RemoteSeries readSeries(JsonParser p, long mint, long maxt, long before, String query)
      throws IOException {
    Labels labels = Labels.EMPTY;
    long[] ts = new long[16];
    double[] vals = new double[16];
    int n = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals("metric")) {
        labels = readLabels(p);
      } else if (field.equals("values")) {
        expect(p.currentToken(), JsonToken.START_ARRAY);
        while (p.nextToken() == JsonToken.START_ARRAY) {
          p.nextToken();
          long t =
              p.getDecimalValue()
                  .movePointRight(3)
                  .setScale(0, java.math.RoundingMode.HALF_EVEN)
                  .longValueExact();
          p.nextToken();
          double v = parseValue(p.getValueAsString());
          expect(p.nextToken(), JsonToken.END_ARRAY);
          if (t < mint || t > maxt) {
            continue;
          }
          if (before + n >= config.samplesLimit()) {
            throw limit("samples_limit", config.samplesLimit(), "samples", query);
          }
          if (n == ts.length) {
            ts = Arrays.copyOf(ts, n * 2);
            vals = Arrays.copyOf(vals, n * 2);
          }
          ts[n] = t;
          vals[n] = v;
          n++;
        }
      } else {
        p.skipChildren();
      }
    }
    return new RemoteSeries(labels, ts, vals, n);
  }

  private ApiError limit(String key, long limit, String what, String query) {
    return failure(
        ApiError.Type.EXECUTION,
        "returned more than query.remote."
            + key
            + " ("
            + limit
            + ") "
            + what
            + " for "
            + query
            + ": narrow the selector or the time range, or raise query.remote."
            + key);
  }

  /** Prometheus' sample values: decimal text, {@code NaN}, {@code +Inf}, {@code -Inf}. */
  static double parseValue(String s) throws IOException {
    if (s == null) {
      throw new IOException("a sample without a value");
    }
    return switch (s) {
      case "NaN" -> Double.NaN;
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> {
        try {
          yield Double.parseDouble(s);
        } catch (NumberFormatException e) {
          throw new IOException("not a sample value: \"" + s + "\"");
        }
      }
    };
  }

  private static Labels readLabels(JsonParser p) throws IOException {
    expect(p.currentToken(), JsonToken.START_OBJECT);
    Labels.Builder b = Labels.builder();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      b.set(name, p.getValueAsString());
    }
    return b.build();
  }

  private List<Labels> readLabelSets(JsonParser p, String selector) throws IOException {
    expect(p.currentToken(), JsonToken.START_ARRAY);
    List<Labels> out = new ArrayList<>();
    while (p.nextToken() == JsonToken.START_OBJECT) {
      if (out.size() >= config.seriesLimit()) {
        throw limit("series_limit", config.seriesLimit(), "series", selector);
      }
      out.add(readLabels(p));
    }
    return out;
  }

  private List<String> readStrings(JsonParser p) throws IOException {
    expect(p.currentToken(), JsonToken.START_ARRAY);
    List<String> out = new ArrayList<>();
    while (p.nextToken() == JsonToken.VALUE_STRING) {
      if (out.size() >= config.seriesLimit()) {
        throw limit("series_limit", config.seriesLimit(), "values", "a label listing");
      }
      out.add(p.getText());
    }
    return out;
  }
}
