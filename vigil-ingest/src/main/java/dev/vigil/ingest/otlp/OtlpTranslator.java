package dev.vigil.ingest.otlp;

import dev.vigil.ingest.MetadataStore;
import dev.vigil.ingest.RejectReason;
import dev.vigil.ingest.SampleBatch;
import dev.vigil.ingest.otlp.OtlpModel.HistogramPoint;
import dev.vigil.ingest.otlp.OtlpModel.Metric;
import dev.vigil.ingest.otlp.OtlpModel.NumberPoint;
import dev.vigil.ingest.otlp.OtlpModel.ResourceMetrics;
import dev.vigil.ingest.otlp.OtlpModel.ScopeMetrics;
import dev.vigil.ingest.otlp.OtlpModel.SummaryPoint;
import dev.vigil.model.Labels;
import dev.vigil.model.MetricMetadata;
import dev.vigil.model.StaleMarker;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Turns OTLP metrics into Prometheus series the way Prometheus' OTLP receiver does: {@code
 * service.name} (prefixed by {@code service.namespace/}) becomes {@code job}, {@code
 * service.instance.id} becomes {@code instance}, the other resource attributes go to a {@code
 * target_info} series; names and units are translated by {@link PrometheusNames}; histograms become
 * {@code _bucket{le}}, {@code _sum}, {@code _count}; summaries {@code {quantile}}, {@code _sum},
 * {@code _count}; a point flagged "no recorded value" becomes a stale marker.
 *
 * <p>Delta sums and delta histograms are accumulated into running totals per series, so they are
 * stored as the cumulative counters PromQL's {@code rate} expects. Totals live in memory (bounded
 * by {@code maxDeltaSeries}); after a restart they start again from 0, which PromQL sees as a
 * counter reset. Exponential histograms cannot be stored as floats and are rejected.
 *
 * <p>Not thread-safe for delta state: {@link OtlpHandler} serialises requests that carry deltas.
 * Totals are staged by {@link #translate} and made permanent by {@link #commitDeltas} only once the
 * batch is stored, so a retried request is not counted twice.
 */
final class OtlpTranslator {
  private static final Set<String> IDENTITY =
      Set.of("service.name", "service.namespace", "service.instance.id");

  private final int maxDeltaSeries;
  private final Map<Labels, Double> deltaTotals = new HashMap<>();
  private final Map<Labels, Double> staged = new HashMap<>();

  public OtlpTranslator(int maxDeltaSeries) {
    this.maxDeltaSeries = maxDeltaSeries;
  }

  /** Whether any metric of the request is a delta sum or delta histogram. */
  public static boolean hasDeltas(Iterable<ResourceMetrics> request) {
    for (ResourceMetrics rm : request) {
      for (ScopeMetrics sm : rm.scopes()) {
        for (Metric m : sm.metrics()) {
          if (m.temporality() == OtlpModel.DELTA) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Adds every point of the request to {@code batch}; rejected points are recorded there too. */
  public void translate(
      Iterable<ResourceMetrics> request, long nowMillis, SampleBatch batch, MetadataStore meta) {
    staged.clear();
    for (ResourceMetrics rm : request) {
      Map<String, String> res = rm.attributes();
      Map<String, String> identity = new LinkedHashMap<>();
      String service = res.get("service.name");
      if (service != null && !service.isEmpty()) {
        String ns = res.get("service.namespace");
        identity.put("job", ns == null || ns.isEmpty() ? service : ns + "/" + service);
      }
      String inst = res.get("service.instance.id");
      if (inst != null && !inst.isEmpty()) {
        identity.put("instance", inst);
      }
      long latest = Long.MIN_VALUE;
      for (ScopeMetrics sm : rm.scopes()) {
        for (Metric m : sm.metrics()) {
          latest = Math.max(latest, metric(m, identity, nowMillis, batch, meta));
        }
      }
      boolean hasInfo = res.keySet().stream().anyMatch(k -> !IDENTITY.contains(k));
      if (hasInfo && latest != Long.MIN_VALUE) {
        Labels.Builder b = Labels.builder();
        res.forEach(
            (k, v) -> {
              if (!IDENTITY.contains(k)) {
                put(b, PrometheusNames.labelName(k), v);
              }
            });
        identity.forEach(b::set);
        b.set(Labels.METRIC_NAME, "target_info");
        batch.add(batch.series(b.build()), latest, 1);
      }
    }
  }

  /** Makes the delta totals staged by the last {@link #translate} permanent. */
  public void commitDeltas() {
    deltaTotals.putAll(staged);
    staged.clear();
  }

  /** Adds one metric; returns the latest timestamp written (ms) or Long.MIN_VALUE. */
  private long metric(
      Metric m, Map<String, String> identity, long now, SampleBatch batch, MetadataStore meta) {
    long latest = Long.MIN_VALUE;
    boolean delta = m.temporality() == OtlpModel.DELTA;
    switch (m.kind()) {
      case GAUGE, SUM -> {
        boolean counter = m.kind() == OtlpModel.Kind.SUM && m.monotonic();
        boolean gauge = !counter;
        if (m.kind() == OtlpModel.Kind.SUM && m.temporality() == 0) {
          batch.reject(
              RejectReason.MALFORMED,
              m.numbers().size(),
              "metric \"" + m.name() + "\": sum with unspecified aggregation temporality");
          return latest;
        }
        String name = PrometheusNames.metricName(m.name(), m.unit(), counter, gauge);
        meta.put(
            new MetricMetadata(name, counter ? "counter" : "gauge", m.description(), m.unit()));
        for (NumberPoint p : m.numbers()) {
          long t = millis(p.timeNanos(), now);
          Labels l = labels(name, identity, p.attributes(), null, null);
          double v = value(p.flags(), p.value());
          if (delta && !StaleMarker.is(v)) {
            Double total = accumulate(l, v);
            if (total == null) {
              batch.reject(RejectReason.CARDINALITY, 1, deltaFull(m.name()));
              continue;
            }
            v = total;
          }
          batch.add(batch.series(l), t, v);
          latest = Math.max(latest, t);
        }
      }
      case HISTOGRAM -> {
        String name = PrometheusNames.metricName(m.name(), m.unit(), false, false);
        meta.put(new MetricMetadata(name, "histogram", m.description(), m.unit()));
        for (HistogramPoint p : m.histograms()) {
          long t = millis(p.timeNanos(), now);
          boolean stale = (p.flags() & OtlpModel.FLAG_NO_RECORDED_VALUE) != 0;
          // Stale points too: their bucket series are named from the bounds.
          if (p.bucketCounts().length > 0 && p.bucketCounts().length != p.bounds().length + 1) {
            batch.reject(
                RejectReason.MALFORMED,
                1,
                "histogram \""
                    + m.name()
                    + "\": "
                    + p.bucketCounts().length
                    + " bucket counts for "
                    + p.bounds().length
                    + " bounds (need bounds + 1)");
            continue;
          }
          if (!histogramPoint(name, identity, p, t, stale, delta, batch)) {
            batch.reject(RejectReason.CARDINALITY, 1, deltaFull(m.name()));
            continue;
          }
          latest = Math.max(latest, t);
        }
      }
      case SUMMARY -> {
        String name = PrometheusNames.metricName(m.name(), m.unit(), false, false);
        meta.put(new MetricMetadata(name, "summary", m.description(), m.unit()));
        for (SummaryPoint p : m.summaries()) {
          long t = millis(p.timeNanos(), now);
          boolean stale = (p.flags() & OtlpModel.FLAG_NO_RECORDED_VALUE) != 0;
          for (int i = 0; i < p.quantiles().length; i++) {
            Labels l =
                labels(
                    name,
                    identity,
                    p.attributes(),
                    "quantile",
                    AttributeValues.formatDouble(p.quantiles()[i]));
            batch.add(batch.series(l), t, stale ? StaleMarker.VALUE : p.values()[i]);
          }
          batch.add(
              batch.series(labels(name + "_sum", identity, p.attributes(), null, null)),
              t,
              stale ? StaleMarker.VALUE : p.sum());
          batch.add(
              batch.series(labels(name + "_count", identity, p.attributes(), null, null)),
              t,
              stale ? StaleMarker.VALUE : p.count());
          latest = Math.max(latest, t);
        }
      }
      case EXPONENTIAL_HISTOGRAM ->
          batch.reject(
              RejectReason.UNSUPPORTED_TYPE,
              m.exponentialPoints(),
              "metric \""
                  + m.name()
                  + "\": exponential histograms are not supported; configure the SDK's"
                  + " explicit-bucket histogram aggregation");
      default -> {}
    }
    return latest;
  }

  private boolean histogramPoint(
      String name,
      Map<String, String> identity,
      HistogramPoint p,
      long t,
      boolean stale,
      boolean delta,
      SampleBatch batch) {
    Map<Labels, Double> out = new LinkedHashMap<>();
    long cumulative = 0;
    long[] counts = p.bucketCounts();
    for (int i = 0; i < counts.length - 1; i++) {
      cumulative += counts[i];
      out.put(
          labels(
              name + "_bucket",
              identity,
              p.attributes(),
              "le",
              AttributeValues.formatDouble(p.bounds()[i])),
          (double) cumulative);
    }
    out.put(labels(name + "_bucket", identity, p.attributes(), "le", "+Inf"), (double) p.count());
    if (!Double.isNaN(p.sum())) {
      out.put(labels(name + "_sum", identity, p.attributes(), null, null), p.sum());
    }
    out.put(labels(name + "_count", identity, p.attributes(), null, null), (double) p.count());
    if (stale) {
      out.replaceAll((k, v) -> StaleMarker.VALUE);
    } else if (delta) {
      Map<Labels, Double> totals = new LinkedHashMap<>();
      for (Map.Entry<Labels, Double> e : out.entrySet()) {
        Double total = accumulate(e.getKey(), e.getValue());
        if (total == null) {
          return false;
        }
        totals.put(e.getKey(), total);
      }
      out = totals;
    }
    out.forEach((l, v) -> batch.add(batch.series(l), t, v));
    return true;
  }

  /** The running total after adding {@code v}, or null when no room is left for a new series. */
  private Double accumulate(Labels l, double v) {
    Double prev = staged.get(l);
    if (prev == null) {
      prev = deltaTotals.get(l);
    }
    if (prev == null && deltaTotals.size() + staged.size() >= maxDeltaSeries) {
      return null;
    }
    double total = (prev == null ? 0 : prev) + v;
    staged.put(l, total);
    return total;
  }

  private String deltaFull(String metric) {
    return "metric \""
        + metric
        + "\": delta accumulation holds "
        + maxDeltaSeries
        + " series already; new delta series refused";
  }

  private static double value(int flags, double v) {
    return (flags & OtlpModel.FLAG_NO_RECORDED_VALUE) != 0 ? StaleMarker.VALUE : v;
  }

  private static long millis(long nanos, long now) {
    return nanos == 0 ? now : Math.floorDiv(nanos, 1_000_000L);
  }

  private static Labels labels(
      String name,
      Map<String, String> identity,
      Map<String, String> attrs,
      String extraName,
      String extraValue) {
    Labels.Builder b = Labels.builder();
    attrs.forEach((k, v) -> put(b, PrometheusNames.labelName(k), v));
    identity.forEach(b::set);
    if (extraName != null) {
      b.set(extraName, extraValue);
    }
    b.set(Labels.METRIC_NAME, name);
    return b.build();
  }

  /** Sets a label; keys that collide after translation join their values with ';'. */
  private static void put(Labels.Builder b, String name, String value) {
    String prev = b.get(name);
    b.set(name, prev == null || prev.isEmpty() ? value : prev + ";" + value);
  }
}
