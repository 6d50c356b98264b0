package dev.vigil.ingest.influx;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.ingest.IngestRequest;
import dev.vigil.ingest.IngestResponse;
import dev.vigil.ingest.IngestStats;
import dev.vigil.ingest.Ingester;
import dev.vigil.ingest.RejectReason;
import dev.vigil.ingest.SampleBatch;
import dev.vigil.ingest.WriteResult;
import dev.vigil.ingest.wire.Gzip;
import dev.vigil.model.Labels;
import dev.vigil.model.Names;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * InfluxDB line protocol writes: 1.x {@code POST /write} and 2.x {@code POST /api/v2/write}.
 *
 * <pre>{@code
 * InfluxHandler h = new InfluxHandler(ingester, System::currentTimeMillis, InfluxHandler.Api.V2);
 * h.handle(request);   // cpu,host=a usage_idle=90 → cpu_usage_idle{host="a"} 90
 * }</pre>
 *
 * <p>Each numeric field becomes the series {@code <measurement>_<field>} with the tags as labels
 * (names made valid, see {@link Names}); booleans are stored as 1 and 0. Strings cannot be stored:
 * a string field is rejected with a reason, the line's numeric fields are still stored. A line that
 * does not parse is rejected alone. Lines without a timestamp take the server's time. The {@code
 * precision} parameter ({@code ns} default; 1.x also {@code n, u, ms, s, m, h}) scales timestamps;
 * they are stored in milliseconds, truncated.
 *
 * <p>204 when every line was stored; otherwise 400 with a JSON body listing each failed line
 * (1-based) and why, the valid lines being stored. Gzip bodies ({@code Content-Encoding: gzip}) are
 * accepted. Thread-safe.
 */
public final class InfluxHandler {
  /** Which API's URL and error shape. */
  public enum Api {
    /** InfluxDB 1.x {@code /write}: errors as {@code {"error": "..."}}. */
    V1,
    /**
     * InfluxDB 2.x {@code /api/v2/write}: errors as {@code {"code": "invalid", "message": ...}}.
     */
    V2
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Ingester ingester;
  private final LongSupplier clockMillis;
  private final Api api;

  public InfluxHandler(Ingester ingester, LongSupplier clockMillis, Api api) {
    this.ingester = ingester;
    this.clockMillis = clockMillis;
    this.api = api;
  }

  /** Handles one request; never throws for bad input. */
  public IngestResponse handle(IngestRequest req) {
    IngestStats stats = ingester.stats();
    String p = IngestStats.INFLUX;
    long nanosPerUnit;
    try {
      nanosPerUnit = precision(req.param("precision"));
    } catch (IllegalArgumentException e) {
      stats.reject(p, RejectReason.BAD_HEADERS, 1);
      return error(400, e.getMessage(), List.of());
    }
    byte[] body = req.body();
    int maxBody = ingester.limits().maxBodyBytes();
    if (body.length > maxBody) {
      stats.reject(p, RejectReason.TOO_LARGE, 1);
      return error(
          413,
          "request body of " + body.length + " bytes is over the limit of " + maxBody + " bytes",
          List.of());
    }
    String enc = req.header("Content-Encoding");
    if (enc != null && enc.trim().equalsIgnoreCase("gzip")) {
      try {
        body = Gzip.decompress(body, ingester.limits().maxDecompressedBytes());
      } catch (Gzip.TooLargeException e) {
        stats.reject(p, RejectReason.TOO_LARGE, 1);
        return error(413, e.getMessage(), List.of());
      } catch (IllegalArgumentException e) {
        stats.reject(p, RejectReason.MALFORMED, 1);
        return error(400, e.getMessage(), List.of());
      }
    } else if (enc != null && !enc.isBlank() && !enc.trim().equalsIgnoreCase("identity")) {
      stats.reject(p, RejectReason.BAD_HEADERS, 1);
      return error(415, "unsupported Content-Encoding \"" + enc + "\" (gzip or none)", List.of());
    }
    String text = new String(body, StandardCharsets.UTF_8);
    long now = clockMillis.getAsLong();
    SampleBatch batch = new SampleBatch();
    List<Map<String, Object>> lineErrors = new ArrayList<>();
    int lineNo = 0;
    int lines = 0;
    int start = 0;
    while (start <= text.length()) {
      int nl = text.indexOf('\n', start);
      int end = nl < 0 ? text.length() : nl;
      lineNo++;
      String line = text.substring(start, end);
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      start = end + 1;
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        if (nl < 0) {
          break;
        }
        continue;
      }
      lines++;
      line = line.stripLeading();
      try {
        addLine(LineProtocolParser.parse(line), lineNo, nanosPerUnit, now, batch, lineErrors);
      } catch (LineProtocolParser.LineException e) {
        batch.reject(RejectReason.INVALID_LINE, 1, null);
        lineErrors.add(lineError(lineNo, e.getMessage(), line));
      }
      if (nl < 0) {
        break;
      }
    }
    WriteResult result;
    try {
      result = ingester.write(p, batch);
    } catch (Ingester.StorageFailure e) {
      IngestResponse r = error(e.status(), e.getMessage(), List.of());
      return new IngestResponse(r.status(), r.contentType(), e.headers(), r.body());
    }
    if (result.rateLimited()) {
      IngestResponse r = error(429, result.errors().get(0), List.of());
      Map<String, String> h = new LinkedHashMap<>(r.headers());
      h.put("Retry-After", "1");
      return new IngestResponse(429, r.contentType(), h, r.body());
    }
    // Limit and storage refusals are per series, not per line: report their messages too.
    List<Map<String, Object>> all = new ArrayList<>(lineErrors);
    for (String e : result.errors()) {
      if (all.size() >= Ingester.MAX_ERRORS * 5) {
        break;
      }
      if (!e.startsWith("line ")) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reason", e);
        all.add(m);
      }
    }
    if (all.isEmpty() && result.rejectedCount() == 0) {
      return IngestResponse.noContent(Map.of());
    }
    String summary =
        "partial write: "
            + result.accepted()
            + " samples written, "
            + result.rejectedCount()
            + " rejected; "
            + lineErrors.size()
            + " of "
            + lines
            + " lines had errors";
    return error(400, summary, all.size() > 1000 ? all.subList(0, 1000) : all);
  }

  private void addLine(
      LineProtocolParser.Point pt,
      int lineNo,
      long nanosPerUnit,
      long now,
      SampleBatch batch,
      List<Map<String, Object>> lineErrors) {
    Labels.Builder b = Labels.builder();
    for (int i = 0; i < pt.tags().size(); i += 2) {
      String key = Names.label(pt.tags().get(i));
      if (key.equals(Labels.METRIC_NAME) || b.get(key) != null) {
        batch.reject(RejectReason.INVALID_LINE, pt.fields().size(), null);
        lineErrors.add(
            lineError(
                lineNo,
                key.equals(Labels.METRIC_NAME)
                    ? "tag key __name__ is reserved"
                    : "duplicate tag key \"" + key + "\"",
                null));
        return;
      }
      b.set(key, pt.tags().get(i + 1));
    }
    long t;
    if (pt.timestamp() == null) {
      t = now;
    } else {
      // Whole milliseconds: floor, so negative (pre-1970) times round the same way as positive.
      long ts = pt.timestamp();
      if (nanosPerUnit >= 1_000_000) {
        long msPerUnit = nanosPerUnit / 1_000_000;
        if (ts > Long.MAX_VALUE / msPerUnit || ts < Long.MIN_VALUE / msPerUnit) {
          batch.reject(RejectReason.INVALID_LINE, pt.fields().size(), null);
          lineErrors.add(
              lineError(
                  lineNo,
                  "timestamp "
                      + ts
                      + " is out of range at precision "
                      + precisionName(nanosPerUnit)
                      + " (past the year 292278994 in milliseconds)",
                  null));
          return;
        }
        t = ts * msPerUnit;
      } else {
        t = Math.floorDiv(ts, 1_000_000 / nanosPerUnit);
      }
    }
    String prefix = pt.measurement() + "_";
    for (LineProtocolParser.Field f : pt.fields()) {
      if (f.type() == LineProtocolParser.FieldType.STRING) {
        batch.reject(RejectReason.STRING_FIELD, 1, null);
        lineErrors.add(
            lineError(
                lineNo,
                "field \""
                    + f.key()
                    + "\" is a string; Vigil stores numbers only (float, integer, unsigned,"
                    + " boolean)",
                null));
        continue;
      }
      b.set(Labels.METRIC_NAME, Names.metric(prefix + f.key()));
      batch.add(batch.series(b.build()), t, f.value());
    }
  }

  private static Map<String, Object> lineError(int line, String reason, String text) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("line", line);
    m.put("reason", reason);
    if (text != null) {
      m.put("text", text.length() > 200 ? text.substring(0, 200) + "…" : text);
    }
    return m;
  }

  private IngestResponse error(int status, String message, List<Map<String, Object>> lines) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (api == Api.V2) {
      m.put(
          "code",
          switch (status) {
            case 413 -> "request too large";
            case 429 -> "too many requests";
            case 500 -> "internal error";
            case 507 -> "insufficient storage";
            case 415 -> "unsupported media type";
            default -> "invalid";
          });
      m.put("message", message);
    } else {
      m.put("error", message);
    }
    if (!lines.isEmpty()) {
      m.put("lines", lines);
    }
    try {
      return new IngestResponse(status, "application/json", Map.of(), JSON.writeValueAsBytes(m));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String precisionName(long nanosPerUnit) {
    return nanosPerUnit == 1_000_000
        ? "ms"
        : nanosPerUnit == 1_000_000_000L ? "s" : nanosPerUnit == 60_000_000_000L ? "m" : "h";
  }

  /** Nanoseconds per timestamp unit for a {@code precision} parameter. */
  static long precision(String p) {
    if (p == null || p.isEmpty()) {
      return 1;
    }
    return switch (p) {
      case "n", "ns" -> 1;
      case "u", "us", "µ", "µs" -> 1_000;
      case "ms" -> 1_000_000;
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      case "h" -> 3_600_000_000_000L;
      default ->
          throw new IllegalArgumentException(
              "invalid precision \"" + p + "\" (one of ns, us, ms, s; 1.x also n, u, m, h)");
    };
  }
}
