package dev.vigil.cli.export;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.export.SeriesExport;
import dev.vigil.export.SeriesWriter;
import dev.vigil.model.Labels;
import dev.vigil.model.StaleMarker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Export from a running server: raw samples stream from {@code /api/v1/export} (JSON lines, read
 * one line at a time: constant memory), a grid from {@code /api/v1/query_range} (one answer,
 * bounded by the server's query limits).
 */
final class RemoteSource {
  private static final JsonFactory JSON =
      JsonFactory.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
  private static final ObjectMapper MAPPER = new ObjectMapper(JSON);

  private final String base;
  private final String token;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

  /**
   * @param url the server, e.g. {@code http://127.0.0.1:9470}
   * @param token a bearer token, or null
   */
  RemoteSource(String url, String token) {
    URI u;
    try {
      u = URI.create(url.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid --url \"" + url + "\": " + e.getMessage());
    }
    if (u.getScheme() == null
        || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
        || u.getHost() == null) {
      throw new IllegalArgumentException(
          "invalid --url \"" + url + "\": expected http://host:port or https://host:port");
    }
    String s = url.strip();
    this.base = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    this.token = token == null || token.isBlank() ? null : token.strip();
  }

  /** Streams {@code /api/v1/export} into {@code w}; returns the samples written. */
  long raw(List<String> matches, long start, long end, SeriesWriter w, SeriesExport.Progress p)
      throws IOException, InterruptedException {
    StringBuilder q = new StringBuilder("/api/v1/export?");
    for (String m : matches) {
      q.append("match[]=").append(enc(m)).append('&');
    }
    q.append("start=").append(seconds(start)).append("&end=").append(seconds(end));
    HttpResponse<InputStream> r = send(q.toString());
    long written = 0;
    Labels current = null;
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8), 1 << 16)) {
      String line;
      long[] ts = new long[1024];
      double[] vs = new double[1024];
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        Labels labels = null;
        int nv = 0;
        int nt = 0;
        try (JsonParser jp = JSON.createParser(line)) {
          expect(jp.nextToken() == JsonToken.START_OBJECT, line);
          while (jp.nextToken() == JsonToken.FIELD_NAME) {
            String f = jp.currentName();
            jp.nextToken();
            switch (f) {
              case "metric" -> {
                Labels.Builder b = Labels.builder();
                while (jp.nextToken() == JsonToken.FIELD_NAME) {
                  String name = jp.currentName();
                  jp.nextToken();
                  b.set(name, jp.getText());
                }
                labels = b.build();
              }
              case "values" -> {
                while (jp.nextToken() != JsonToken.END_ARRAY) {
                  if (nv == vs.length) {
                    vs = java.util.Arrays.copyOf(vs, nv * 2);
                  }
                  vs[nv++] = jp.getDoubleValue();
                }
              }
              case "timestamps" -> {
                while (jp.nextToken() != JsonToken.END_ARRAY) {
                  if (nt == ts.length) {
                    ts = java.util.Arrays.copyOf(ts, nt * 2);
                  }
                  ts[nt++] = jp.getLongValue();
                }
              }
              default -> jp.skipChildren();
            }
          }
        }
        expect(labels != null && nv == nt, line);
        if (!labels.equals(current)) {
          if (current != null) {
            w.endSeries();
          }
          w.beginSeries(labels);
          current = labels;
        }
        for (int i = 0; i < nv; i++) {
          w.sample(ts[i], vs[i]);
          if ((++written & 0xFFFF) == 0) {
            p.samples(written);
          }
        }
      }
    }
    if (current != null) {
      w.endSeries();
    }
    p.samples(written);
    return written;
  }

  /** Evaluates {@code query} on the grid through {@code /api/v1/query_range}. */
  long range(String query, long start, long end, long step, SeriesWriter w, SeriesExport.Progress p)
      throws IOException, InterruptedException {
    String q =
        "/api/v1/query_range?query="
            + enc(query)
            + "&start="
            + seconds(start)
            + "&end="
            + seconds(end)
            + "&step="
            + seconds(step);
    HttpResponse<InputStream> r = send(q);
    JsonNode root;
    try (InputStream in = r.body()) {
      root = MAPPER.readTree(in);
    }
    long written = 0;
    for (JsonNode s : root.path("data").path("result")) {
      Labels.Builder b = Labels.builder();
      s.path("metric").fields().forEachRemaining(e -> b.set(e.getKey(), e.getValue().asText()));
      JsonNode values = s.path("values");
      if (values.isEmpty()) {
        continue;
      }
      w.beginSeries(b.build());
      for (JsonNode v : values) {
        long t = Math.round(v.get(0).asDouble() * 1000);
        double d = parseValue(v.get(1).asText());
        if (!StaleMarker.is(d)) {
          w.sample(t, d);
          written++;
        }
      }
      w.endSeries();
      p.samples(written);
    }
    return written;
  }

  private HttpResponse<InputStream> send(String pathAndQuery)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<InputStream> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (java.net.ConnectException e) {
      throw new IOException("cannot connect to " + base + ": is the server running there?");
    }
    if (r.statusCode() != 200) {
      String body;
      try (InputStream in = r.body()) {
        body = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
      }
      String msg = body;
      try {
        JsonNode j = MAPPER.readTree(body);
        if (j.hasNonNull("error")) {
          msg = j.get("error").asText();
        }
      } catch (IOException e) {
        // not JSON: the body as it is
      }
      throw new IOException(
          base
              + " answered "
              + r.statusCode()
              + (r.statusCode() == 401 ? " (give --token)" : "")
              + ": "
              + msg.strip());
    }
    return r;
  }

  private static double parseValue(String s) {
    return switch (s) {
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(s);
    };
  }

  private static void expect(boolean ok, String line) throws IOException {
    if (!ok) {
      throw new IOException(
          "the server's export is not VictoriaMetrics JSON lines: "
              + (line.length() > 120 ? line.substring(0, 120) + "..." : line));
    }
  }

  private static String seconds(long ms) {
    StringBuilder sb = new StringBuilder();
    sb.append(Math.floorDiv(ms, 1000));
    long f = Math.floorMod(ms, 1000);
    if (f != 0) {
      sb.append('.').append(String.format("%03d", f));
    }
    return sb.toString();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
