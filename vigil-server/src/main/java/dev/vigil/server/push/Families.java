package dev.vigil.server.push;

import dev.vigil.model.Labels;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Groups the newest samples of stored series into the metric families an OTLP receiver expects:
 * classic histograms ({@code _bucket{le}}, {@code _sum}, {@code _count}) become one histogram,
 * {@code _total} series monotonic cumulative sums, everything else gauges.
 */
final class Families {
  /*
   * The store keeps no metric types, so types are read from the names, as Prometheus' own naming
   * conventions define them: a family with at least one _bucket{le} series is a histogram (its
   * _sum and _count join it), a name ending in _total is a counter. A gauge named like a counter
   * is therefore pushed as a counter; metadata-driven typing would need the scrape metadata,
   * which is per target and not kept for pushed or recorded series.
   */

  /** One sample: the newest of a series, at {@code t} (ms). */
  record Sample(Labels labels, long t, double v) {}

  enum Type {
    GAUGE,
    COUNTER,
    HISTOGRAM
  }

  /** A number point: attributes are the series' labels without {@code __name__}. */
  record NumberPoint(Labels attributes, long t, double v) {}

  /**
   * A histogram point with per-bucket (not cumulative) counts: {@code counts.length ==
   * bounds.length + 1}, the last the {@code +Inf} bucket; {@code sum} NaN when no {@code _sum}.
   */
  record HistogramPoint(
      Labels attributes, long t, double[] bounds, long[] counts, long count, double sum) {}

  record Family(
      String name, Type type, List<NumberPoint> numbers, List<HistogramPoint> histograms) {}

  private Families() {}

  /** The families of {@code samples}, by name. */
  static List<Family> group(List<Sample> samples) {
    Set<String> histograms = new HashSet<>();
    for (Sample s : samples) {
      String n = s.labels().metricName();
      if (n != null && n.endsWith("_bucket") && s.labels().get("le") != null) {
        histograms.add(n.substring(0, n.length() - "_bucket".length()));
      }
    }
    Map<String, List<NumberPoint>> numbers = new TreeMap<>();
    // base name -> series labels without le -> parts
    Map<String, Map<Labels, Parts>> hist = new TreeMap<>();
    for (Sample s : samples) {
      String n = s.labels().metricName();
      if (n == null) {
        continue;
      }
      String base = histogramBase(n, histograms);
      if (base != null) {
        Labels attrs = attributes(s.labels(), true);
        Parts p = hist.computeIfAbsent(base, k -> new LinkedHashMap<>()).get(attrs);
        if (p == null) {
          p = new Parts();
          hist.get(base).put(attrs, p);
        }
        p.t = Math.max(p.t, s.t());
        if (n.endsWith("_bucket")) {
          double le = parseLe(s.labels().get("le"));
          if (!Double.isNaN(le)) {
            p.buckets.put(le, s.v());
          }
        } else if (n.endsWith("_sum")) {
          p.sum = s.v();
        } else {
          p.count = s.v();
        }
        continue;
      }
      numbers
          .computeIfAbsent(n, k -> new ArrayList<>())
          .add(new NumberPoint(attributes(s.labels(), false), s.t(), s.v()));
    }
    List<Family> out = new ArrayList<>();
    for (var e : numbers.entrySet()) {
      Type type = e.getKey().endsWith("_total") ? Type.COUNTER : Type.GAUGE;
      out.add(new Family(e.getKey(), type, e.getValue(), List.of()));
    }
    for (var e : hist.entrySet()) {
      List<HistogramPoint> ps = new ArrayList<>();
      for (var pe : e.getValue().entrySet()) {
        ps.add(pe.getValue().toPoint(pe.getKey()));
      }
      out.add(new Family(e.getKey(), Type.HISTOGRAM, List.of(), ps));
    }
    return out;
  }

  private static String histogramBase(String name, Set<String> histograms) {
    for (String suffix : new String[] {"_bucket", "_sum", "_count"}) {
      if (name.endsWith(suffix)) {
        String base = name.substring(0, name.length() - suffix.length());
        if (histograms.contains(base)) {
          return base;
        }
      }
    }
    return null;
  }

  private static Labels attributes(Labels l, boolean dropLe) {
    Labels.Builder b = Labels.builder();
    for (int i = 0; i < l.size(); i++) {
      String n = l.name(i);
      if (!n.equals(Labels.METRIC_NAME) && !(dropLe && n.equals("le"))) {
        b.set(n, l.value(i));
      }
    }
    return b.build();
  }

  private static double parseLe(String le) {
    if (le.equals("+Inf") || le.equals("Inf") || le.equals("inf")) {
      return Double.POSITIVE_INFINITY;
    }
    try {
      return Double.parseDouble(le);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** The series of one histogram read so far. */
  private static final class Parts {
    final TreeMap<Double, Double> buckets = new TreeMap<>();
    double sum = Double.NaN;
    double count = Double.NaN;
    long t = Long.MIN_VALUE;

    HistogramPoint toPoint(Labels attrs) {
      List<Double> bounds = new ArrayList<>();
      List<Long> counts = new ArrayList<>();
      double prev = 0;
      for (var b : buckets.entrySet()) {
        if (b.getKey() == Double.POSITIVE_INFINITY) {
          break;
        }
        bounds.add(b.getKey());
        // Cumulative to per-bucket; series read a few ms apart may disagree: never negative.
        counts.add((long) Math.max(0, b.getValue() - prev));
        prev = Math.max(prev, b.getValue());
      }
      Double inf = buckets.get(Double.POSITIVE_INFINITY);
      double total = inf != null ? inf : Double.isNaN(count) ? prev : count;
      counts.add((long) Math.max(0, total - prev));
      long n = (long) (Double.isNaN(count) ? total : count);
      double[] bs = bounds.stream().mapToDouble(Double::doubleValue).toArray();
      long[] cs = counts.stream().mapToLong(Long::longValue).toArray();
      return new HistogramPoint(attrs, t, bs, cs, n, sum);
    }
  }
}
