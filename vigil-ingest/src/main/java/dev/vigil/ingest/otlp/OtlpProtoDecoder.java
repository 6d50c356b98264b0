package dev.vigil.ingest.otlp;

import dev.vigil.ingest.otlp.OtlpModel.HistogramPoint;
import dev.vigil.ingest.otlp.OtlpModel.Kind;
import dev.vigil.ingest.otlp.OtlpModel.Metric;
import dev.vigil.ingest.otlp.OtlpModel.NumberPoint;
import dev.vigil.ingest.otlp.OtlpModel.ResourceMetrics;
import dev.vigil.ingest.otlp.OtlpModel.ScopeMetrics;
import dev.vigil.ingest.otlp.OtlpModel.SummaryPoint;
import dev.vigil.ingest.wire.ProtoException;
import dev.vigil.ingest.wire.ProtoReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes a protobuf {@code opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest}
 * into {@link OtlpModel}.
 *
 * <p>Stateless; a malformed message raises {@link dev.vigil.ingest.wire.ProtoException} with the
 * byte offset.
 */
final class OtlpProtoDecoder {
  /*
   * Field numbers (opentelemetry-proto metrics/v1, common/v1, resource/v1):
   * ExportMetricsServiceRequest { ResourceMetrics resource_metrics = 1; }
   * ResourceMetrics { Resource resource = 1; ScopeMetrics scope_metrics = 2; }
   * Resource { KeyValue attributes = 1; }      ScopeMetrics { InstrumentationScope scope = 1;
   * Metric metrics = 2; }                      InstrumentationScope { name = 1; version = 2; }
   * Metric { name = 1; description = 2; unit = 3; Gauge gauge = 5; Sum sum = 7;
   *          Histogram histogram = 9; ExponentialHistogram exponential_histogram = 10;
   *          Summary summary = 11; }
   * Gauge { data_points = 1 }  Sum { data_points = 1; aggregation_temporality = 2;
   * is_monotonic = 3 }  Histogram { data_points = 1; aggregation_temporality = 2 }
   * Summary { data_points = 1 }
   * NumberDataPoint { attributes = 7; start_time_unix_nano = 2 (fixed64); time_unix_nano = 3;
   *                   as_double = 4 (double); as_int = 6 (sfixed64); flags = 8 }
   * HistogramDataPoint { attributes = 9; start = 2; time = 3; count = 4 (fixed64);
   *                      sum = 5 (double); bucket_counts = 6 (packed fixed64);
   *                      explicit_bounds = 7 (packed double); flags = 10 }
   * SummaryDataPoint { attributes = 7; start = 2; time = 3; count = 4; sum = 5;
   *                    quantile_values = 6 { quantile = 1; value = 2 }; flags = 8 }
   * KeyValue { key = 1; AnyValue value = 2 }
   * AnyValue { string_value = 1; bool_value = 2; int_value = 3; double_value = 4;
   *            ArrayValue array_value = 5 { values = 1 }; KeyValueList kvlist_value = 6
   *            { values = 1 }; bytes_value = 7 }
   */

  /**
   * Deepest nesting of array and kvlist attribute values accepted (protobuf-java's default
   * recursion limit): deeper input is malformed rather than a {@link StackOverflowError}.
   */
  public static final int MAX_VALUE_DEPTH = 100;

  private OtlpProtoDecoder() {}

  public static List<ResourceMetrics> decode(byte[] proto) {
    ProtoReader r = new ProtoReader(proto);
    List<ResourceMetrics> out = new ArrayList<>();
    while (r.hasMore()) {
      int tag = r.readTag();
      if (ProtoReader.field(tag) == 1) {
        r.expect(tag, ProtoReader.LEN, "ExportMetricsServiceRequest.resource_metrics");
        int s = r.enter();
        out.add(resourceMetrics(r));
        r.leave(s);
      } else {
        r.skip(tag);
      }
    }
    return out;
  }

  private static ResourceMetrics resourceMetrics(ProtoReader r) {
    Map<String, String> attrs = new LinkedHashMap<>();
    List<ScopeMetrics> scopes = new ArrayList<>();
    while (r.hasMore()) {
      int tag = r.readTag();
      switch (ProtoReader.field(tag)) {
        case 1 -> {
          r.expect(tag, ProtoReader.LEN, "ResourceMetrics.resource");
          int s = r.enter();
          while (r.hasMore()) {
            int t = r.readTag();
            if (ProtoReader.field(t) == 1) {
              keyValue(r, t, attrs);
            } else {
              r.skip(t);
            }
          }
          r.leave(s);
        }
        case 2 -> {
          r.expect(tag, ProtoReader.LEN, "ResourceMetrics.scope_metrics");
          int s = r.enter();
          scopes.add(scopeMetrics(r));
          r.leave(s);
        }
        default -> r.skip(tag);
      }
    }
    return new ResourceMetrics(attrs, scopes);
  }

  private static ScopeMetrics scopeMetrics(ProtoReader r) {
    String name = "";
    String version = "";
    List<Metric> metrics = new ArrayList<>();
    while (r.hasMore()) {
      int tag = r.readTag();
      switch (ProtoReader.field(tag)) {
        case 1 -> {
          r.expect(tag, ProtoReader.LEN, "ScopeMetrics.scope");
          int s = r.enter();
          while (r.hasMore()) {
            int t = r.readTag();
            switch (ProtoReader.field(t)) {
              case 1 -> name = string(r, t, "InstrumentationScope.name");
              case 2 -> version = string(r, t, "InstrumentationScope.version");
              default -> r.skip(t);
            }
          }
          r.leave(s);
        }
        case 2 -> {
          r.expect(tag, ProtoReader.LEN, "ScopeMetrics.metrics");
          int s = r.enter();
          metrics.add(metric(r));
          r.leave(s);
        }
        default -> r.skip(tag);
      }
    }
    return new ScopeMetrics(name, version, metrics);
  }

  private static Metric metric(ProtoReader r) {
    String name = "";
    String description = "";
    String unit = "";
    Kind kind = Kind.NONE;
    boolean monotonic = false;
    int temporality = 0;
    List<NumberPoint> numbers = new ArrayList<>();
    List<HistogramPoint> histograms = new ArrayList<>();
    List<SummaryPoint> summaries = new ArrayList<>();
    int exponential = 0;
    while (r.hasMore()) {
      int tag = r.readTag();
      int field = ProtoReader.field(tag);
      switch (field) {
        case 1 -> name = string(r, tag, "Metric.name");
        case 2 -> description = string(r, tag, "Metric.description");
        case 3 -> unit = string(r, tag, "Metric.unit");
        case 5, 7, 9, 10, 11 -> {
          r.expect(tag, ProtoReader.LEN, "Metric data");
          kind =
              switch (field) {
                case 5 -> Kind.GAUGE;
                case 7 -> Kind.SUM;
                case 9 -> Kind.HISTOGRAM;
                case 10 -> Kind.EXPONENTIAL_HISTOGRAM;
                default -> Kind.SUMMARY;
              };
          int s = r.enter();
          while (r.hasMore()) {
            int t = r.readTag();
            switch (ProtoReader.field(t)) {
              case 1 -> {
                r.expect(t, ProtoReader.LEN, "data_points");
                int p = r.enter();
                switch (kind) {
                  case GAUGE, SUM -> numbers.add(numberPoint(r));
                  case HISTOGRAM -> histograms.add(histogramPoint(r));
                  case SUMMARY -> summaries.add(summaryPoint(r));
                  default -> exponential++;
                }
                r.leave(p);
              }
              case 2 -> {
                if (kind == Kind.SUMMARY || kind == Kind.GAUGE) {
                  r.skip(t);
                } else {
                  r.expect(t, ProtoReader.VARINT, "aggregation_temporality");
                  temporality = r.readVarint32();
                }
              }
              case 3 -> {
                if (kind == Kind.SUM) {
                  r.expect(t, ProtoReader.VARINT, "Sum.is_monotonic");
                  monotonic = r.readVarint64() != 0;
                } else {
                  r.skip(t);
                }
              }
              default -> r.skip(t);
            }
          }
          r.leave(s);
        }
        default -> r.skip(tag);
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

  private static NumberPoint numberPoint(ProtoReader r) {
    Map<String, String> attrs = new LinkedHashMap<>();
    long start = 0;
    long time = 0;
    double value = 0;
    int flags = 0;
    while (r.hasMore()) {
      int t = r.readTag();
      switch (ProtoReader.field(t)) {
        case 7 -> keyValue(r, t, attrs);
        case 2 -> start = fixed64(r, t, "start_time_unix_nano");
        case 3 -> time = fixed64(r, t, "time_unix_nano");
        case 4 -> {
          r.expect(t, ProtoReader.FIXED64, "NumberDataPoint.as_double");
          value = r.readDouble();
        }
        case 6 -> value = fixed64(r, t, "NumberDataPoint.as_int");
        case 8 -> flags = r.readVarint32();
        default -> r.skip(t);
      }
    }
    return new NumberPoint(attrs, start, time, value, flags);
  }

  private static HistogramPoint histogramPoint(ProtoReader r) {
    Map<String, String> attrs = new LinkedHashMap<>();
    long start = 0;
    long time = 0;
    long count = 0;
    double sum = Double.NaN;
    LongBuffer buckets = new LongBuffer();
    LongBuffer bounds = new LongBuffer();
    int flags = 0;
    while (r.hasMore()) {
      int t = r.readTag();
      switch (ProtoReader.field(t)) {
        case 9 -> keyValue(r, t, attrs);
        case 2 -> start = fixed64(r, t, "start_time_unix_nano");
        case 3 -> time = fixed64(r, t, "time_unix_nano");
        case 4 -> count = fixed64(r, t, "HistogramDataPoint.count");
        case 5 -> {
          r.expect(t, ProtoReader.FIXED64, "HistogramDataPoint.sum");
          sum = r.readDouble();
        }
        case 6 -> appendFixed64(r, t, buckets);
        case 7 -> appendFixed64(r, t, bounds);
        case 10 -> flags = r.readVarint32();
        default -> r.skip(t);
      }
    }
    long[] boundBits = bounds.toArray();
    double[] boundValues = new double[boundBits.length];
    for (int i = 0; i < boundBits.length; i++) {
      boundValues[i] = Double.longBitsToDouble(boundBits[i]);
    }
    return new HistogramPoint(
        attrs, start, time, count, sum, buckets.toArray(), boundValues, flags);
  }

  private static SummaryPoint summaryPoint(ProtoReader r) {
    Map<String, String> attrs = new LinkedHashMap<>();
    long start = 0;
    long time = 0;
    long count = 0;
    double sum = 0;
    List<double[]> qv = new ArrayList<>();
    int flags = 0;
    while (r.hasMore()) {
      int t = r.readTag();
      switch (ProtoReader.field(t)) {
        case 7 -> keyValue(r, t, attrs);
        case 2 -> start = fixed64(r, t, "start_time_unix_nano");
        case 3 -> time = fixed64(r, t, "time_unix_nano");
        case 4 -> count = fixed64(r, t, "SummaryDataPoint.count");
        case 5 -> {
          r.expect(t, ProtoReader.FIXED64, "SummaryDataPoint.sum");
          sum = r.readDouble();
        }
        case 6 -> {
          r.expect(t, ProtoReader.LEN, "SummaryDataPoint.quantile_values");
          int s = r.enter();
          double q = 0;
          double v = 0;
          while (r.hasMore()) {
            int qt = r.readTag();
            switch (ProtoReader.field(qt)) {
              case 1 -> {
                r.expect(qt, ProtoReader.FIXED64, "ValueAtQuantile.quantile");
                q = r.readDouble();
              }
              case 2 -> {
                r.expect(qt, ProtoReader.FIXED64, "ValueAtQuantile.value");
                v = r.readDouble();
              }
              default -> r.skip(qt);
            }
          }
          r.leave(s);
          qv.add(new double[] {q, v});
        }
        case 8 -> flags = r.readVarint32();
        default -> r.skip(t);
      }
    }
    double[] qs = new double[qv.size()];
    double[] vs = new double[qv.size()];
    for (int i = 0; i < qs.length; i++) {
      qs[i] = qv.get(i)[0];
      vs[i] = qv.get(i)[1];
    }
    return new SummaryPoint(attrs, start, time, count, sum, qs, vs, flags);
  }

  private static long fixed64(ProtoReader r, int tag, String what) {
    r.expect(tag, ProtoReader.FIXED64, what);
    return r.readFixed64();
  }

  private static String string(ProtoReader r, int tag, String what) {
    r.expect(tag, ProtoReader.LEN, what);
    return r.readString();
  }

  /**
   * Packed (LEN) or single (FIXED64) repeated fixed64 values appended to {@code to}: amortised
   * linear, so a body of many one-value fields is not quadratic.
   */
  private static void appendFixed64(ProtoReader r, int tag, LongBuffer to) {
    if (ProtoReader.wireType(tag) == ProtoReader.FIXED64) {
      to.add(r.readFixed64());
      return;
    }
    r.expect(tag, ProtoReader.LEN, "packed fixed64");
    int s = r.enter();
    while (r.hasMore()) {
      to.add(r.readFixed64());
    }
    r.leave(s);
  }

  /** A growable long array (each value came from 8 input bytes, so it never outgrows the body). */
  private static final class LongBuffer {
    private long[] values = new long[8];
    private int size;

    void add(long v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    long[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }

  private static void keyValue(ProtoReader r, int tag, Map<String, String> into) {
    keyValue(r, tag, into, 0);
  }

  private static void keyValue(ProtoReader r, int tag, Map<String, String> into, int depth) {
    r.expect(tag, ProtoReader.LEN, "KeyValue");
    int s = r.enter();
    String key = "";
    String value = "";
    while (r.hasMore()) {
      int t = r.readTag();
      switch (ProtoReader.field(t)) {
        case 1 -> key = string(r, t, "KeyValue.key");
        case 2 -> {
          r.expect(t, ProtoReader.LEN, "KeyValue.value");
          int v = r.enter();
          value = anyValue(r, false, depth);
          r.leave(v);
        }
        default -> r.skip(t);
      }
    }
    r.leave(s);
    into.put(key, value);
  }

  /** Renders an AnyValue as Prometheus does: scalars as text, arrays and maps as JSON. */
  private static String anyValue(ProtoReader r, boolean quoteStrings, int depth) {
    if (depth >= MAX_VALUE_DEPTH) {
      throw new ProtoException(
          "attribute value nested deeper than " + MAX_VALUE_DEPTH + " levels", r.position());
    }
    String out = "";
    while (r.hasMore()) {
      int t = r.readTag();
      switch (ProtoReader.field(t)) {
        case 1 -> {
          String s = string(r, t, "AnyValue.string_value");
          out = quoteStrings ? AttributeValues.quote(s) : s;
        }
        case 2 -> out = Boolean.toString(r.readVarint64() != 0);
        case 3 -> out = Long.toString(r.readVarint64());
        case 4 -> {
          r.expect(t, ProtoReader.FIXED64, "AnyValue.double_value");
          out = AttributeValues.formatDouble(r.readDouble());
        }
        case 5 -> {
          r.expect(t, ProtoReader.LEN, "AnyValue.array_value");
          int s = r.enter();
          StringBuilder sb = new StringBuilder("[");
          while (r.hasMore()) {
            int vt = r.readTag();
            if (ProtoReader.field(vt) == 1) {
              r.expect(vt, ProtoReader.LEN, "ArrayValue.values");
              int e = r.enter();
              sb.append(sb.length() > 1 ? "," : "").append(anyValue(r, true, depth + 1));
              r.leave(e);
            } else {
              r.skip(vt);
            }
          }
          r.leave(s);
          out = sb.append(']').toString();
        }
        case 6 -> {
          r.expect(t, ProtoReader.LEN, "AnyValue.kvlist_value");
          int s = r.enter();
          Map<String, String> kv = new LinkedHashMap<>();
          while (r.hasMore()) {
            int vt = r.readTag();
            if (ProtoReader.field(vt) == 1) {
              Map<String, String> one = new LinkedHashMap<>();
              keyValue(r, vt, one, depth + 1);
              kv.putAll(one);
            } else {
              r.skip(vt);
            }
          }
          r.leave(s);
          out = AttributeValues.jsonObject(kv);
        }
        case 7 -> {
          r.expect(t, ProtoReader.LEN, "AnyValue.bytes_value");
          out = java.util.Base64.getEncoder().encodeToString(r.readBytes());
        }
        default -> r.skip(t);
      }
    }
    return out;
  }
}
