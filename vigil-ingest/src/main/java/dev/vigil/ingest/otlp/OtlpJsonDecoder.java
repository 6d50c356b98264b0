package dev.vigil.ingest.otlp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.ingest.otlp.OtlpModel.HistogramPoint;
import dev.vigil.ingest.otlp.OtlpModel.Kind;
import dev.vigil.ingest.otlp.OtlpModel.Metric;
import dev.vigil.ingest.otlp.OtlpModel.NumberPoint;
import dev.vigil.ingest.otlp.OtlpModel.ResourceMetrics;
import dev.vigil.ingest.otlp.OtlpModel.ScopeMetrics;
import dev.vigil.ingest.otlp.OtlpModel.SummaryPoint;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes an OTLP/JSON {@code ExportMetricsServiceRequest} (the protobuf JSON mapping: lowerCamel
 * field names, 64-bit integers as strings or numbers, enums as numbers or names; snake_case names
 * accepted too) into {@link OtlpModel}.
 *
 * <p>Stateless; invalid JSON or a wrong value type raises {@link JsonException} naming the line and
 * column or the JSON path.
 */
final class OtlpJsonDecoder {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A body that is not a valid OTLP/JSON request; the message names where and why. */
  public static final class JsonException extends IllegalArgumentException {
    public JsonException(String message) {
      super(message);
    }
  }

  private OtlpJsonDecoder() {}

  public static List<ResourceMetrics> decode(byte[] json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new JsonException(
          (e.getLocation() == null
                  ? "invalid JSON: "
                  : "invalid JSON at line "
                      + e.getLocation().getLineNr()
                      + ", column "
                      + e.getLocation().getColumnNr()
                      + ": ")
              + e.getOriginalMessage());
    } catch (IOException e) {
      throw new JsonException("invalid JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new JsonException("OTLP/JSON body must be a JSON object");
    }
    List<ResourceMetrics> out = new ArrayList<>();
    int i = 0;
    for (JsonNode rm : array(root, "$", "resourceMetrics", "resource_metrics")) {
      String path = "$.resourceMetrics[" + i++ + "]";
      Map<String, String> attrs = new LinkedHashMap<>();
      JsonNode res = field(rm, "resource", "resource");
      if (res != null) {
        attributes(res, path + ".resource", attrs);
      }
      List<ScopeMetrics> scopes = new ArrayList<>();
      int j = 0;
      for (JsonNode sm : array(rm, path, "scopeMetrics", "scope_metrics")) {
        String sp = path + ".scopeMetrics[" + j++ + "]";
        JsonNode scope = field(sm, "scope", "scope");
        String name = scope == null ? "" : text(scope, "name");
        String version = scope == null ? "" : text(scope, "version");
        List<Metric> metrics = new ArrayList<>();
        int k = 0;
        for (JsonNode m : array(sm, sp, "metrics", "metrics")) {
          metrics.add(metric(m, sp + ".metrics[" + k++ + "]"));
        }
        scopes.add(new ScopeMetrics(name, version, metrics));
      }
      out.add(new ResourceMetrics(attrs, scopes));
    }
    return out;
  }

  private static Metric metric(JsonNode m, String path) {
    String name = text(m, "name");
    String description = text(m, "description");
    String unit = text(m, "unit");
    Kind kind = Kind.NONE;
    JsonNode data = null;
    String[][] kinds = {
      {"gauge", "gauge"},
      {"sum", "sum"},
      {"histogram", "histogram"},
      {"exponentialHistogram", "exponential_histogram"},
      {"summary", "summary"}
    };
    Kind[] kindValues = {
      Kind.GAUGE, Kind.SUM, Kind.HISTOGRAM, Kind.EXPONENTIAL_HISTOGRAM, Kind.SUMMARY
    };
    for (int i = 0; i < kinds.length; i++) {
      JsonNode d = field(m, kinds[i][0], kinds[i][1]);
      if (d != null && !d.isNull()) {
        kind = kindValues[i];
        data = d;
      }
    }
    List<NumberPoint> numbers = new ArrayList<>();
    List<HistogramPoint> histograms = new ArrayList<>();
    List<SummaryPoint> summaries = new ArrayList<>();
    int exponential = 0;
    boolean monotonic = false;
    int temporality = 0;
    if (data != null) {
      String dp = path + "." + kind.name().toLowerCase();
      temporality =
          temporality(field(data, "aggregationTemporality", "aggregation_temporality"), dp);
      JsonNode mono = field(data, "isMonotonic", "is_monotonic");
      monotonic = mono != null && mono.asBoolean();
      int i = 0;
      for (JsonNode p : array(data, dp, "dataPoints", "data_points")) {
        String pp = dp + ".dataPoints[" + i++ + "]";
        Map<String, String> attrs = new LinkedHashMap<>();
        attributes(p, pp, attrs);
        long start = int64(field(p, "startTimeUnixNano", "start_time_unix_nano"), pp);
        long time = int64(field(p, "timeUnixNano", "time_unix_nano"), pp);
        int flags = (int) int64(field(p, "flags", "flags"), pp);
        switch (kind) {
          case GAUGE, SUM -> {
            JsonNode d = field(p, "asDouble", "as_double");
            double v =
                d != null ? dbl(d, pp + ".asDouble") : int64(field(p, "asInt", "as_int"), pp);
            numbers.add(new NumberPoint(attrs, start, time, v, flags));
          }
          case HISTOGRAM -> {
            JsonNode s = field(p, "sum", "sum");
            JsonNode bc = field(p, "bucketCounts", "bucket_counts");
            JsonNode eb = field(p, "explicitBounds", "explicit_bounds");
            long[] counts = new long[bc == null ? 0 : bc.size()];
            for (int b = 0; b < counts.length; b++) {
              counts[b] = int64(bc.get(b), pp + ".bucketCounts");
            }
            double[] bounds = new double[eb == null ? 0 : eb.size()];
            for (int b = 0; b < bounds.length; b++) {
              bounds[b] = dbl(eb.get(b), pp + ".explicitBounds");
            }
            histograms.add(
                new HistogramPoint(
                    attrs,
                    start,
                    time,
                    int64(field(p, "count", "count"), pp),
                    s == null ? Double.NaN : dbl(s, pp + ".sum"),
                    counts,
                    bounds,
                    flags));
          }
          case SUMMARY -> {
            JsonNode qvs = field(p, "quantileValues", "quantile_values");
            int n = qvs == null ? 0 : qvs.size();
            double[] qs = new double[n];
            double[] vs = new double[n];
            for (int q = 0; q < n; q++) {
              JsonNode qn = qvs.get(q);
              qs[q] = dbl(qn.get("quantile"), pp + ".quantileValues");
              vs[q] = dbl(qn.get("value"), pp + ".quantileValues");
            }
            JsonNode s = field(p, "sum", "sum");
            summaries.add(
                new SummaryPoint(
                    attrs,
                    start,
                    time,
                    int64(field(p, "count", "count"), pp),
                    s == null ? 0 : dbl(s, pp + ".sum"),
                    qs,
                    vs,
                    flags));
          }
          default -> exponential++;
        }
      }
    }
    return new Metric(
        name,
        description,
        unit,
        kind,
        monotonic,
        temporality,
        numbers,
        histograms,
        summaries,
        exponential);
  }

  private static int temporality(JsonNode n, String path) {
    if (n == null || n.isNull()) {
      return 0;
    }
    if (n.isTextual()) {
      return switch (n.asText()) {
        case "AGGREGATION_TEMPORALITY_DELTA" -> OtlpModel.DELTA;
        case "AGGREGATION_TEMPORALITY_CUMULATIVE" -> OtlpModel.CUMULATIVE;
        case "AGGREGATION_TEMPORALITY_UNSPECIFIED" -> 0;
        default ->
            throw new JsonException(
                path + ".aggregationTemporality: unknown value \"" + n.asText() + "\"");
      };
    }
    return n.asInt();
  }

  private static void attributes(JsonNode owner, String path, Map<String, String> into) {
    for (JsonNode kv : array(owner, path, "attributes", "attributes")) {
      into.put(text(kv, "key"), anyValue(kv.get("value"), false));
    }
  }

  private static String anyValue(JsonNode v, boolean quoteStrings) {
    if (v == null || v.isNull()) {
      return "";
    }
    JsonNode n;
    if ((n = field(v, "stringValue", "string_value")) != null) {
      return quoteStrings ? AttributeValues.quote(n.asText()) : n.asText();
    }
    if ((n = field(v, "boolValue", "bool_value")) != null) {
      return Boolean.toString(n.asBoolean());
    }
    if ((n = field(v, "intValue", "int_value")) != null) {
      return Long.toString(int64(n, "intValue"));
    }
    if ((n = field(v, "doubleValue", "double_value")) != null) {
      return AttributeValues.formatDouble(dbl(n, "doubleValue"));
    }
    if ((n = field(v, "arrayValue", "array_value")) != null) {
      StringBuilder sb = new StringBuilder("[");
      for (JsonNode e : array(n, "arrayValue", "values", "values")) {
        sb.append(sb.length() > 1 ? "," : "").append(anyValue(e, true));
      }
      return sb.append(']').toString();
    }
    if ((n = field(v, "kvlistValue", "kvlist_value")) != null) {
      Map<String, String> kv = new LinkedHashMap<>();
      for (JsonNode e : array(n, "kvlistValue", "values", "values")) {
        kv.put(text(e, "key"), anyValue(e.get("value"), false));
      }
      return AttributeValues.jsonObject(kv);
    }
    if ((n = field(v, "bytesValue", "bytes_value")) != null) {
      try {
        return Base64.getEncoder().encodeToString(Base64.getDecoder().decode(n.asText()));
      } catch (IllegalArgumentException e) {
        throw new JsonException(
            "bytesValue: \"" + n.asText() + "\" is not base64 (" + e.getMessage() + ")");
      }
    }
    return "";
  }

  private static JsonNode field(JsonNode n, String camel, String snake) {
    JsonNode v = n.get(camel);
    return v != null ? v : n.get(snake);
  }

  private static Iterable<JsonNode> array(JsonNode n, String path, String camel, String snake) {
    JsonNode a = field(n, camel, snake);
    if (a == null || a.isNull()) {
      return List.of();
    }
    if (!a.isArray()) {
      throw new JsonException(path + "." + camel + " must be an array");
    }
    return a;
  }

  private static String text(JsonNode n, String name) {
    JsonNode v = n.get(name);
    return v == null || v.isNull() ? "" : v.asText();
  }

  private static long int64(JsonNode n, String path) {
    if (n == null || n.isNull()) {
      return 0;
    }
    if (n.isIntegralNumber()) {
      return n.asLong();
    }
    if (n.isTextual()) {
      try {
        return Long.parseUnsignedLong(n.asText());
      } catch (NumberFormatException e) {
        try {
          return Long.parseLong(n.asText());
        } catch (NumberFormatException e2) {
          throw new JsonException(path + ": \"" + n.asText() + "\" is not an integer");
        }
      }
    }
    throw new JsonException(path + ": expected an integer, got " + n.getNodeType());
  }

  private static double dbl(JsonNode n, String path) {
    if (n == null || n.isNull()) {
      return 0;
    }
    if (n.isNumber()) {
      return n.asDouble();
    }
    if (n.isTextual()) {
      return switch (n.asText()) {
        case "NaN" -> Double.NaN;
        case "Infinity" -> Double.POSITIVE_INFINITY;
        case "-Infinity" -> Double.NEGATIVE_INFINITY;
        default -> {
          try {
            yield Double.parseDouble(n.asText());
          } catch (NumberFormatException e) {
            throw new JsonException(path + ": \"" + n.asText() + "\" is not a number");
          }
        }
      };
    }
    throw new JsonException(path + ": expected a number, got " + n.getNodeType());
  }
}
