package dev.vigil.server;

import dev.vigil.metrics.Collector;
import dev.vigil.metrics.model.CounterDataPoint;
import dev.vigil.metrics.model.GaugeDataPoint;
import dev.vigil.metrics.model.Labels;
import dev.vigil.metrics.model.MetricMetadata;
import dev.vigil.metrics.model.MetricSnapshot;
import dev.vigil.metrics.model.MetricType;
import dev.vigil.tsdb.TsdbMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Exposes the store's self-metrics ({@code vigil_tsdb_*}) through the registry: {@code _total}
 * names as counters, the rest as gauges (the fsync {@code _count}/{@code _sum} pair is left out;
 * the registry reserves those suffixes for histograms and summaries), and {@code
 * vigil_tsdb_write_failures_total{reason}}.
 */
final class TsdbCollector implements Collector {
  private final TsdbMetrics metrics;

  TsdbCollector(TsdbMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public List<MetricSnapshot> collect() {
    List<MetricSnapshot> out = new ArrayList<>();
    for (Map.Entry<String, Double> e : metrics.snapshot().entrySet()) {
      String name = e.getKey();
      if (name.endsWith("_count") || name.endsWith("_sum")) {
        continue;
      }
      if (name.endsWith("_total")) {
        String base = name.substring(0, name.length() - "_total".length());
        out.add(
            new MetricSnapshot(
                new MetricMetadata(base, TsdbMetrics.help(name), ""),
                MetricType.COUNTER,
                List.of(CounterDataPoint.of(Labels.EMPTY, e.getValue()))));
      } else {
        out.add(
            new MetricSnapshot(
                new MetricMetadata(name, TsdbMetrics.help(name), ""),
                MetricType.GAUGE,
                List.of(new GaugeDataPoint(Labels.EMPTY, e.getValue()))));
      }
    }
    List<CounterDataPoint> failures = new ArrayList<>();
    metrics
        .writeFailures()
        .forEach((reason, n) -> failures.add(CounterDataPoint.of(Labels.of("reason", reason), n)));
    out.add(
        new MetricSnapshot(
            new MetricMetadata(
                "vigil_tsdb_write_failures",
                "Storage writes that failed, by reason (no_space, fsync, io_error).",
                ""),
            MetricType.COUNTER,
            failures));
    return out;
  }
}
