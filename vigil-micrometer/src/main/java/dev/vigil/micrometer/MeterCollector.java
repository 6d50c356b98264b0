package dev.vigil.micrometer;

import dev.vigil.metrics.Collector;
import dev.vigil.metrics.model.CounterDataPoint;
import dev.vigil.metrics.model.DataPoint;
import dev.vigil.metrics.model.GaugeDataPoint;
import dev.vigil.metrics.model.HistogramDataPoint;
import dev.vigil.metrics.model.InfoDataPoint;
import dev.vigil.metrics.model.Labels;
import dev.vigil.metrics.model.MetricMetadata;
import dev.vigil.metrics.model.MetricSnapshot;
import dev.vigil.metrics.model.MetricType;
import dev.vigil.metrics.model.SummaryDataPoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** Turns the meters of a {@link VigilMeterRegistry} into snapshots at every scrape. */
final class MeterCollector implements Collector {
  private final VigilMeterRegistry registry;

  MeterCollector(VigilMeterRegistry registry) {
    this.registry = registry;
  }

  /** Vigil's own collectors win a name both produce (Micrometer's JVM meters, say). */
  @Override
  public boolean yieldsDuplicateNames() {
    return true;
  }

  @Override
  public List<MetricSnapshot> collect() {
    NamingConvention convention = registry.config().namingConvention();
    Map<String, Family> families = new LinkedHashMap<>();
    for (Meter meter : registry.meters()) {
      Meter.Id id = meter.getId();
      String name = id.getConventionName(convention);
      Labels labels = labels(id.getConventionTags(convention));
      String help = id.getDescription() == null ? "" : id.getDescription();
      Emitter out = new Emitter(families, help, new ArrayList<>());
      try {
        convert(meter, id, name, labels, out);
      } catch (IllegalArgumentException e) {
        // A value the snapshot rejects (a function counter gone negative): leave this meter out.
        continue;
      }
      out.flush();
    }
    List<MetricSnapshot> snapshots = new ArrayList<>(families.size());
    for (Map.Entry<String, Family> e : families.entrySet()) {
      Family f = e.getValue();
      snapshots.add(
          new MetricSnapshot(new MetricMetadata(e.getKey(), f.help, ""), f.type, f.points));
    }
    return snapshots;
  }

  private static void convert(Meter meter, Meter.Id id, String name, Labels labels, Emitter out) {
    switch (meter) {
      case Counter c -> out.add(name, MetricType.COUNTER, counter(labels, c.count()));
      case FunctionCounter c -> out.add(name, MetricType.COUNTER, counter(labels, c.count()));
      case Gauge g when id.getName().endsWith(".info") ->
          out.add(name, MetricType.INFO, new InfoDataPoint(labels));
      case Gauge g -> out.add(name, MetricType.GAUGE, new GaugeDataPoint(labels, g.value()));
      case VigilTimer t ->
          distribution(out, name, labels, t.takeSnapshot(), true, t.hasBuckets(), false);
      case VigilDistributionSummary s ->
          distribution(out, name, labels, s.takeSnapshot(), false, s.hasBuckets(), false);
      case LongTaskTimer t -> {
        HistogramSnapshot snapshot = t.takeSnapshot();
        distribution(
            out, name, labels, snapshot, true, snapshot.histogramCounts().length > 0, true);
      }
      case FunctionTimer t ->
          out.add(
              name,
              MetricType.SUMMARY,
              new SummaryDataPoint(
                  labels,
                  (long) t.count(),
                  t.totalTime(TimeUnit.SECONDS),
                  new double[0],
                  new double[0],
                  DataPoint.NO_CREATED));
      default -> custom(out, name, labels, meter.measure());
    }
  }

  private static CounterDataPoint counter(Labels labels, double value) {
    return CounterDataPoint.of(labels, value);
  }

  private static Labels labels(List<Tag> tags) {
    if (tags.isEmpty()) {
      return Labels.EMPTY;
    }
    String[] names = new String[tags.size()];
    String[] values = new String[tags.size()];
    for (int i = 0; i < names.length; i++) {
      names[i] = tags.get(i).getKey();
      values[i] = tags.get(i).getValue();
    }
    return Labels.of(names, values);
  }

  private static void distribution(
      Emitter out,
      String name,
      Labels labels,
      HistogramSnapshot snapshot,
      boolean time,
      boolean buckets,
      boolean longTask) {
    double sum = time ? snapshot.total(TimeUnit.SECONDS) : snapshot.total();
    double max = time ? snapshot.max(TimeUnit.SECONDS) : snapshot.max();
    long count = snapshot.count();
    if (buckets) {
      CountAtBucket[] counts = snapshot.histogramCounts();
      List<Double> bounds = new ArrayList<>(counts.length + 1);
      List<Long> perBucket = new ArrayList<>(counts.length + 1);
      long previous = 0;
      for (CountAtBucket c : counts) {
        double bound = time ? c.bucket(TimeUnit.SECONDS) : c.bucket();
        long cumulative = (long) c.count();
        if (!bounds.isEmpty() && !(bound > bounds.getLast())) {
          continue;
        }
        bounds.add(bound);
        perBucket.add(Math.max(0, cumulative - previous));
        previous = Math.max(previous, cumulative);
      }
      if (bounds.isEmpty() || bounds.getLast() != Double.POSITIVE_INFINITY) {
        bounds.add(Double.POSITIVE_INFINITY);
        perBucket.add(Math.max(0, count - previous));
      }
      out.add(
          name,
          longTask ? MetricType.GAUGE_HISTOGRAM : MetricType.HISTOGRAM,
          new HistogramDataPoint(
              labels,
              bounds.stream().mapToDouble(Double::doubleValue).toArray(),
              perBucket.stream().mapToLong(Long::longValue).toArray(),
              sum,
              null,
              DataPoint.NO_CREATED));
    } else {
      TreeMap<Double, Double> quantiles = new TreeMap<>();
      for (ValueAtPercentile p : snapshot.percentileValues()) {
        if (p.percentile() >= 0 && p.percentile() <= 1) {
          quantiles.put(p.percentile(), time ? p.value(TimeUnit.SECONDS) : p.value());
        }
      }
      out.add(
          name,
          MetricType.SUMMARY,
          new SummaryDataPoint(
              labels,
              count,
              sum,
              quantiles.keySet().stream().mapToDouble(Double::doubleValue).toArray(),
              quantiles.values().stream().mapToDouble(Double::doubleValue).toArray(),
              DataPoint.NO_CREATED));
    }
    out.add(name + "_max", MetricType.GAUGE, new GaugeDataPoint(labels, max));
  }

  /** A custom meter: one family per statistic, as Prometheus' registry writes them. */
  private static void custom(Emitter out, String name, Labels labels, Iterable<Measurement> ms) {
    for (Measurement m : ms) {
      Labels l = labels.with("statistic", m.getStatistic().toString());
      double v = m.getValue();
      switch (m.getStatistic()) {
        case TOTAL, TOTAL_TIME -> out.add(name + "_sum", MetricType.COUNTER, counter(l, v));
        case COUNT -> out.add(name, MetricType.COUNTER, counter(l, v));
        case MAX -> out.add(name + "_max", MetricType.GAUGE, new GaugeDataPoint(l, v));
        case ACTIVE_TASKS ->
            out.add(name + "_active_count", MetricType.GAUGE, new GaugeDataPoint(l, v));
        case DURATION ->
            out.add(name + "_duration_sum", MetricType.GAUGE, new GaugeDataPoint(l, v));
        default -> out.add(name + "_value", MetricType.GAUGE, new GaugeDataPoint(l, v));
      }
    }
  }

  private static final class Family {
    final MetricType type;
    final String help;
    final List<DataPoint> points = new ArrayList<>();
    final Set<Labels> seen = new HashSet<>();

    Family(MetricType type, String help) {
      this.type = type;
      this.help = help;
    }
  }

  private record Pending(String name, MetricType type, DataPoint point) {}

  /**
   * One meter's points, added to the families only once all of them were built ({@link #flush}),
   * leaving out a type conflict or repeated labels.
   */
  private record Emitter(Map<String, Family> families, String help, List<Pending> pending) {
    void add(String name, MetricType type, DataPoint point) {
      pending.add(new Pending(name, type, point));
    }

    void flush() {
      for (Pending p : pending) {
        Family f = families.computeIfAbsent(p.name, n -> new Family(p.type, help));
        if (f.type == p.type && f.seen.add(p.point.labels())) {
          f.points.add(p.point);
        }
      }
    }
  }
}
