package dev.vigil.server.push;

import dev.vigil.ingest.wire.ProtoWriter;
import dev.vigil.model.Labels;
import dev.vigil.server.push.Families.Family;
import dev.vigil.server.push.Families.HistogramPoint;
import dev.vigil.server.push.Families.NumberPoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Encodes families as a protobuf {@code opentelemetry.proto.collector.metrics.v1
 * .ExportMetricsServiceRequest}: the inverse of Prometheus' OTLP translation, so that Vigil's (or
 * Prometheus') OTLP receiver stores the same series again. Stateless.
 */
final class OtlpEncoder {
  /*
   * Series are grouped into one ResourceMetrics per (job, instance): service.name is the job
   * (the target's service_name for series without one), service.instance.id the instance, and
   * global.external_labels are further resource attributes. The other labels are data point
   * attributes. Counters are cumulative monotonic sums, histograms cumulative explicit-bucket
   * histograms; start_time_unix_nano is left 0 ("unknown"): the store does not know when a
   * counter started.
   *
   * Field numbers (opentelemetry-proto metrics/v1; the decoder in vigil-ingest lists the same):
   * ExportMetricsServiceRequest { resource_metrics = 1 }
   * ResourceMetrics { resource = 1 { attributes = 1 }; scope_metrics = 2 }
   * ScopeMetrics { scope = 1 { name = 1; version = 2 }; metrics = 2 }
   * Metric { name = 1; gauge = 5; sum = 7; histogram = 9 }
   * Gauge { data_points = 1 }  Sum { data_points = 1; aggregation_temporality = 2; is_monotonic = 3 }
   * Histogram { data_points = 1; aggregation_temporality = 2 }
   * NumberDataPoint { time_unix_nano = 3 (fixed64); as_double = 4; attributes = 7 }
   * HistogramDataPoint { time_unix_nano = 3; count = 4 (fixed64); sum = 5 (double);
   *                      bucket_counts = 6 (packed fixed64); explicit_bounds = 7 (packed double);
   *                      attributes = 9 }
   * KeyValue { key = 1; value = 2 { string_value = 1 } }
   */

  static final int CUMULATIVE = 2;

  static final String SCOPE = "dev.vigil.push";

  private OtlpEncoder() {}

  /** The request body for {@code families}. */
  static byte[] encode(List<Family> families, Map<String, String> external, String serviceName) {
    // resource key -> family -> points of that resource
    Map<List<String>, Map<Integer, List<Object>>> byResource = new TreeMap<>(OtlpEncoder::compare);
    for (int i = 0; i < families.size(); i++) {
      Family f = families.get(i);
      for (NumberPoint p : f.numbers()) {
        add(byResource, resourceKey(p.attributes(), serviceName), i, p);
      }
      for (HistogramPoint p : f.histograms()) {
        add(byResource, resourceKey(p.attributes(), serviceName), i, p);
      }
    }
    ProtoWriter w = new ProtoWriter();
    for (var r : byResource.entrySet()) {
      List<String> key = r.getKey();
      w.message(
          1,
          rm -> {
            rm.message(
                1,
                res -> {
                  keyValue(res, 1, "service.name", key.get(0));
                  if (!key.get(1).isEmpty()) {
                    keyValue(res, 1, "service.instance.id", key.get(1));
                  }
                  external.forEach(
                      (k, v) -> {
                        if (!k.equals("job") && !k.equals("instance")) {
                          keyValue(res, 1, k, v);
                        }
                      });
                });
            rm.message(
                2,
                sm -> {
                  sm.message(1, scope -> scope.string(1, SCOPE));
                  for (var fe : r.getValue().entrySet()) {
                    sm.message(2, m -> metric(m, families.get(fe.getKey()), fe.getValue()));
                  }
                });
          });
    }
    return w.toByteArray();
  }

  private static void metric(ProtoWriter m, Family f, List<Object> points) {
    m.string(1, f.name());
    switch (f.type()) {
      case GAUGE ->
          m.message(
              5,
              g -> {
                for (Object p : points) {
                  g.message(1, dp -> number(dp, (NumberPoint) p));
                }
              });
      case COUNTER ->
          m.message(
              7,
              s -> {
                for (Object p : points) {
                  s.message(1, dp -> number(dp, (NumberPoint) p));
                }
                s.varint(2, CUMULATIVE);
                s.bool(3, true);
              });
      case HISTOGRAM ->
          m.message(
              9,
              h -> {
                for (Object p : points) {
                  h.message(1, dp -> histogram(dp, (HistogramPoint) p));
                }
                h.varint(2, CUMULATIVE);
              });
    }
  }

  private static void number(ProtoWriter dp, NumberPoint p) {
    dp.fixed64(3, p.t() * 1_000_000L);
    dp.doubleField(4, p.v());
    attributes(dp, 7, p.attributes());
  }

  private static void histogram(ProtoWriter dp, HistogramPoint p) {
    dp.fixed64(3, p.t() * 1_000_000L);
    dp.fixed64(4, p.count());
    if (!Double.isNaN(p.sum())) {
      dp.doubleField(5, p.sum());
    }
    dp.packedFixed64(6, p.counts());
    if (p.bounds().length > 0) {
      dp.packedDoubles(7, p.bounds());
    }
    attributes(dp, 9, p.attributes());
  }

  private static void attributes(ProtoWriter w, int field, Labels l) {
    for (int i = 0; i < l.size(); i++) {
      String n = l.name(i);
      if (!n.equals("job") && !n.equals("instance")) {
        keyValue(w, field, n, l.value(i));
      }
    }
  }

  private static void keyValue(ProtoWriter w, int field, String k, String v) {
    w.message(field, kv -> kv.string(1, k).message(2, av -> av.string(1, v)));
  }

  private static List<String> resourceKey(Labels attrs, String serviceName) {
    String job = attrs.get("job");
    String instance = attrs.get("instance");
    return List.of(
        job == null || job.isEmpty() ? serviceName : job, instance == null ? "" : instance);
  }

  private static void add(
      Map<List<String>, Map<Integer, List<Object>>> m, List<String> key, int family, Object p) {
    m.computeIfAbsent(key, k -> new LinkedHashMap<>())
        .computeIfAbsent(family, k -> new ArrayList<>())
        .add(p);
  }

  private static int compare(List<String> a, List<String> b) {
    int c = a.get(0).compareTo(b.get(0));
    return c != 0 ? c : a.get(1).compareTo(b.get(1));
  }
}
