package dev.vigil.cli.export;

import dev.vigil.export.SeriesWriter;
import dev.vigil.model.Labels;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Datadog's series API v2 ({@code POST /api/v2/series}): payloads of {@code
 * {"series":[{"metric":"name","type":3,"points":[{"timestamp":1765100000,"value":1.5}],"tags":["job:api"]}]}},
 * each kept under {@link #PAYLOAD_CHARS} (Datadog takes 5 MB uncompressed), a series that does not
 * fit continued in the next payload. Every sample is sent as a gauge point (type 3) at its second;
 * labels become {@code name:value} tags; NaN and infinities are left out (JSON cannot carry them).
 * Datadog itself accepts points up to an hour old only: an export of older history is for a proxy
 * or another consumer of this schema.
 */
final class DatadogWriter implements SeriesWriter {
  static final int PAYLOAD_CHARS = 1 << 20;
  static final String PREFIX = "{\"series\":[";

  private final URI uri;
  private final String apiKey;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
  private final StringBuilder payload = new StringBuilder(PAYLOAD_CHARS + 4096);
  private String head;
  private boolean seriesOpen;
  private boolean firstPoint;
  private boolean firstSeries = true;
  private long requests;

  /**
   * @param apiKey sent as {@code DD-API-KEY}; null sends none (a local sink)
   */
  DatadogWriter(URI uri, String apiKey) {
    this.uri = uri;
    this.apiKey = apiKey;
    payload.append(PREFIX);
  }

  /**
   * {@code datadog} (Datadog itself: {@code https://api.$DD_SITE/api/v2/series}, {@code DD_SITE}
   * default {@code datadoghq.com}, {@code DD_API_KEY} required) or {@code datadog:URL} (any
   * endpoint taking the schema; {@code DD_API_KEY} sent when set).
   */
  static DatadogWriter open(String output, Map<String, String> env) {
    String key = env.get("DD_API_KEY");
    if (output.equals("datadog")) {
      if (key == null || key.isBlank()) {
        throw new IllegalArgumentException(
            "--output datadog needs the DD_API_KEY environment variable (and DD_SITE, default"
                + " datadoghq.com)");
      }
      String site = env.getOrDefault("DD_SITE", "datadoghq.com").strip();
      return new DatadogWriter(URI.create("https://api." + site + "/api/v2/series"), key.strip());
    }
    String url = output.substring("datadog:".length());
    URI u;
    try {
      u = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid --output \"" + output + "\": " + e.getMessage());
    }
    if (u.getHost() == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
      throw new IllegalArgumentException(
          "invalid --output \""
              + output
              + "\": expected datadog or datadog:https://host/api/v2/series");
    }
    return new DatadogWriter(u, key == null || key.isBlank() ? null : key.strip());
  }

  /** Whether {@code output} names Datadog. */
  static boolean is(String output) {
    return output.equals("datadog") || output.startsWith("datadog:");
  }

  @Override
  public void beginSeries(Labels labels) {
    StringBuilder sb = new StringBuilder(128);
    sb.append("{\"metric\":");
    String name = labels.metricName() == null ? "query_result" : labels.metricName();
    json(sb, name.replace(':', '_'));
    sb.append(",\"type\":3,\"tags\":[");
    boolean first = true;
    for (int i = 0; i < labels.size(); i++) {
      if (labels.name(i).equals(Labels.METRIC_NAME)) {
        continue;
      }
      if (!first) {
        sb.append(',');
      }
      first = false;
      json(sb, labels.name(i) + ":" + labels.value(i));
    }
    sb.append("],\"points\":[");
    head = sb.toString();
  }

  @Override
  public void sample(long t, double v) throws IOException {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return;
    }
    if (!seriesOpen) {
      if (!firstSeries) {
        payload.append(',');
      }
      firstSeries = false;
      payload.append(head);
      seriesOpen = true;
      firstPoint = true;
    }
    if (!firstPoint) {
      payload.append(',');
    }
    firstPoint = false;
    payload.append("{\"timestamp\":").append(Math.floorDiv(t, 1000)).append(",\"value\":");
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      payload.append((long) v);
    } else {
      payload.append(v);
    }
    payload.append('}');
    if (payload.length() >= PAYLOAD_CHARS) {
      payload.append("]}");
      seriesOpen = false;
      send();
    }
  }

  @Override
  public void endSeries() {
    if (seriesOpen) {
      payload.append("]}");
      seriesOpen = false;
    }
  }

  @Override
  public void finish() throws IOException {
    endSeries();
    if (!firstSeries) {
      send();
    }
  }

  @Override
  public void close() {}

  long requests() {
    return requests;
  }

  private void send() throws IOException {
    payload.append("]}");
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofMinutes(2))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(payload.toString(), StandardCharsets.UTF_8));
    if (apiKey != null) {
      b.header("DD-API-KEY", apiKey);
    }
    HttpResponse<String> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.net.ConnectException e) {
      throw new IOException("cannot connect to " + uri.getHost());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while sending to " + uri.getHost());
    }
    if (r.statusCode() / 100 != 2) {
      String msg = r.body().strip();
      throw new IOException(
          uri.getHost()
              + uri.getPath()
              + " answered "
              + r.statusCode()
              + (r.statusCode() == 403 ? " (check DD_API_KEY and DD_SITE)" : "")
              + ": "
              + (msg.length() > 300 ? msg.substring(0, 300) + "..." : msg));
    }
    requests++;
    payload.setLength(0);
    payload.append(PREFIX);
    firstSeries = true;
  }

  private static void json(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
