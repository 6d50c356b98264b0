package dev.vigil.metrics.exposition;

import dev.vigil.metrics.model.CounterDataPoint;
import dev.vigil.metrics.model.DataPoint;
import dev.vigil.metrics.model.Exemplar;
import dev.vigil.metrics.model.GaugeDataPoint;
import dev.vigil.metrics.model.HistogramDataPoint;
import dev.vigil.metrics.model.InfoDataPoint;
import dev.vigil.metrics.model.Labels;
import dev.vigil.metrics.model.MetricFamily;
import dev.vigil.metrics.model.MetricMetadata;
import dev.vigil.metrics.model.MetricSnapshot;
import dev.vigil.metrics.model.MetricSnapshots;
import dev.vigil.metrics.model.MetricType;
import dev.vigil.metrics.model.Sample;
import dev.vigil.metrics.model.StateSetDataPoint;
import dev.vigil.metrics.model.SummaryDataPoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns parsed families back into the snapshots the writers take, so a fuzz target can re-emit what
 * was parsed. Returns empty when the families hold something a snapshot cannot (sample timestamps,
 * a counter without {@code _total}, a histogram whose counts are not whole numbers, two samples of
 * one series...): those inputs are only checked to parse or fail cleanly.
 */
final class FamilySnapshots {
  private FamilySnapshots() {}

  static Optional<MetricSnapshots> of(List<MetricFamily> families) {
    List<MetricSnapshot> out = new ArrayList<>();
    try {
      for (MetricFamily f : families) {
        if (f.samples().isEmpty()) {
          continue; // the Prometheus writer leaves out families without data points
        }
        for (Sample s : f.samples()) {
          if (s.hasTimestamp()) {
            return Optional.empty();
          }
        }
        MetricSnapshot s = snapshot(f);
        if (s == null) {
          return Optional.empty();
        }
        out.add(s);
      }
      return Optional.of(new MetricSnapshots(out));
    } catch (IllegalArgumentException notRepresentable) {
      return Optional.empty();
    }
  }

  private static MetricSnapshot snapshot(MetricFamily f) {
    String name = f.name();
    MetricType type = f.type();
    String unit = f.metadata().unit();
    List<DataPoint> points = new ArrayList<>();
    switch (type) {
      case GAUGE, UNKNOWN -> {
        for (Sample s : f.samples()) {
          if (!s.name().equals(name)) {
            return null;
          }
          points.add(new GaugeDataPoint(s.labels(), s.value()));
        }
      }
      case COUNTER -> {
        // OpenMetrics: family x, samples x_total and x_created. Prometheus: family x_total.
        String base = name;
        if (f.samples().stream().allMatch(s -> s.name().equals(name))) {
          if (!name.endsWith("_total")) {
            return null;
          }
          base = name.substring(0, name.length() - "_total".length());
        }
        Map<Labels, double[]> created = new LinkedHashMap<>();
        Map<Labels, Sample> totals = new LinkedHashMap<>();
        for (Sample s : f.samples()) {
          if (s.name().equals(base + "_total")) {
            if (totals.put(s.labels(), s) != null) {
              return null;
            }
          } else if (s.name().equals(base + "_created")) {
            created.put(s.labels(), new double[] {s.value()});
          } else {
            return null;
          }
        }
        for (Sample s : totals.values()) {
          double[] c = created.remove(s.labels());
          points.add(new CounterDataPoint(s.labels(), s.value(), s.exemplar(), millis(c)));
        }
        if (!created.isEmpty()) {
          return null;
        }
        return new MetricSnapshot(new MetricMetadata(base, help(f), unit), type, points);
      }
      case HISTOGRAM, GAUGE_HISTOGRAM -> {
        if (!histograms(f, points)) {
          return null;
        }
      }
      case SUMMARY -> {
        if (!summaries(f, points)) {
          return null;
        }
      }
      case INFO -> {
        for (Sample s : f.samples()) {
          if (!s.name().equals(name + "_info")) {
            return null;
          }
          points.add(new InfoDataPoint(s.labels()));
        }
      }
      case STATESET -> {
        Map<Labels, List<Sample>> groups = group(f.samples(), name);
        for (Map.Entry<Labels, List<Sample>> g : groups.entrySet()) {
          List<Sample> ss = g.getValue();
          String[] states = new String[ss.size()];
          boolean[] enabled = new boolean[ss.size()];
          for (int i = 0; i < ss.size(); i++) {
            states[i] = ss.get(i).labels().get(name);
            enabled[i] = ss.get(i).value() == 1;
          }
          points.add(new StateSetDataPoint(g.getKey(), states, enabled));
        }
      }
    }
    return new MetricSnapshot(new MetricMetadata(name, help(f), unit), type, points);
  }

  private static String help(MetricFamily f) {
    return f.metadata().help();
  }

  private static long millis(double[] seconds) {
    if (seconds == null) {
      return DataPoint.NO_CREATED;
    }
    if (!Double.isFinite(seconds[0]) || Math.abs(seconds[0]) > 9e12) {
      throw new IllegalArgumentException("created time not representable");
    }
    return Math.round(seconds[0] * 1000);
  }

  private static boolean histograms(MetricFamily f, List<DataPoint> points) {
    boolean gauge = f.type() == MetricType.GAUGE_HISTOGRAM;
    String n = f.name();
    Map<Labels, List<Sample>> buckets = new LinkedHashMap<>();
    Map<Labels, Double> sums = new LinkedHashMap<>();
    Map<Labels, Double> created = new LinkedHashMap<>();
    for (Sample s : f.samples()) {
      String suffix = s.name().substring(Math.min(n.length(), s.name().length()));
      if (!s.name().startsWith(n)) {
        return false;
      }
      Labels l = without(s.labels(), "le");
      switch (suffix) {
        case "_bucket" -> buckets.computeIfAbsent(l, k -> new ArrayList<>()).add(s);
        case "_sum", "_gsum" -> sums.put(l, s.value());
        case "_created" -> created.put(l, s.value());
        case "_count", "_gcount" -> {} // derived from the buckets
        default -> {
          return false;
        }
      }
    }
    for (Map.Entry<Labels, List<Sample>> e : buckets.entrySet()) {
      List<Sample> bs = e.getValue();
      double[] bounds = new double[bs.size()];
      long[] counts = new long[bs.size()];
      Exemplar[] exemplars = new Exemplar[bs.size()];
      long previous = 0;
      for (int i = 0; i < bs.size(); i++) {
        Sample b = bs.get(i);
        bounds[i] = bound(b.labels().get("le"));
        double v = b.value();
        if (!(v >= 0 && v < 1e15 && v == Math.rint(v))) {
          return false;
        }
        counts[i] = (long) v - previous;
        previous = (long) v;
        exemplars[i] = b.exemplar();
      }
      Double sum = sums.remove(e.getKey());
      Double c = created.remove(e.getKey());
      points.add(
          new HistogramDataPoint(
              e.getKey(),
              bounds,
              counts,
              sum == null ? Double.NaN : sum,
              exemplars,
              gauge ? DataPoint.NO_CREATED : millis(c == null ? null : new double[] {c})));
    }
    return sums.isEmpty() && created.isEmpty();
  }

  private static boolean summaries(MetricFamily f, List<DataPoint> points) {
    String n = f.name();
    Map<Labels, List<Sample>> quantiles = new LinkedHashMap<>();
    Map<Labels, double[]> countSumCreated = new LinkedHashMap<>();
    for (Sample s : f.samples()) {
      if (s.name().equals(n)) {
        quantiles.computeIfAbsent(without(s.labels(), "quantile"), k -> new ArrayList<>()).add(s);
        continue;
      }
      double[] csc =
          countSumCreated.computeIfAbsent(
              s.labels(), k -> new double[] {Double.NaN, Double.NaN, Double.NaN});
      if (s.name().equals(n + "_count")) {
        csc[0] = s.value();
      } else if (s.name().equals(n + "_sum")) {
        csc[1] = s.value();
      } else if (s.name().equals(n + "_created")) {
        csc[2] = s.value();
      } else {
        return false;
      }
    }
    for (Labels l : quantiles.keySet()) {
      countSumCreated.computeIfAbsent(l, k -> new double[] {Double.NaN, Double.NaN, Double.NaN});
    }
    for (Map.Entry<Labels, double[]> e : countSumCreated.entrySet()) {
      double[] csc = e.getValue();
      if (!(csc[0] >= 0 && csc[0] < 1e15 && csc[0] == Math.rint(csc[0])) || Double.isNaN(csc[1])) {
        return false; // the writers always write _count and _sum
      }
      List<Sample> qs = quantiles.getOrDefault(e.getKey(), List.of());
      double[] q = new double[qs.size()];
      double[] v = new double[qs.size()];
      for (int i = 0; i < qs.size(); i++) {
        q[i] = bound(qs.get(i).labels().get("quantile"));
        v[i] = qs.get(i).value();
      }
      points.add(
          new SummaryDataPoint(
              e.getKey(),
              (long) csc[0],
              csc[1],
              q,
              v,
              millis(Double.isNaN(csc[2]) ? null : new double[] {csc[2]})));
    }
    return true;
  }

  private static double bound(String text) {
    return switch (text) {
      case "+Inf", "Inf", "+inf", "inf" -> Double.POSITIVE_INFINITY;
      case "-Inf", "-inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(text);
    };
  }

  private static Map<Labels, List<Sample>> group(List<Sample> samples, String drop) {
    Map<Labels, List<Sample>> groups = new LinkedHashMap<>();
    for (Sample s : samples) {
      groups.computeIfAbsent(without(s.labels(), drop), k -> new ArrayList<>()).add(s);
    }
    return groups;
  }

  private static Labels without(Labels l, String name) {
    if (!l.contains(name)) {
      return l;
    }
    List<String> pairs = new ArrayList<>();
    for (int i = 0; i < l.size(); i++) {
      if (!l.name(i).equals(name)) {
        pairs.add(l.name(i));
        pairs.add(l.value(i));
      }
    }
    return Labels.of(pairs.toArray(new String[0]));
  }
}
