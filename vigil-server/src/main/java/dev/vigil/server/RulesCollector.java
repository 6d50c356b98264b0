package dev.vigil.server;

import dev.vigil.metrics.Collector;
import dev.vigil.metrics.model.CounterDataPoint;
import dev.vigil.metrics.model.DataPoint;
import dev.vigil.metrics.model.GaugeDataPoint;
import dev.vigil.metrics.model.Labels;
import dev.vigil.metrics.model.MetricMetadata;
import dev.vigil.metrics.model.MetricSnapshot;
import dev.vigil.metrics.model.MetricType;
import dev.vigil.metrics.model.SummaryDataPoint;
import dev.vigil.rules.RuleMetrics;
import java.util.ArrayList;
import java.util.List;

/** Exposes rule evaluation's self-metrics ({@code vigil_rule_*}) through the registry. */
final class RulesCollector implements Collector {
  private final java.util.function.Supplier<List<RuleMetrics.Family>> metrics;

  RulesCollector(RuleMetrics metrics) {
    this(metrics::collect);
  }

  /** Families in RuleMetrics' shape from elsewhere (the Alertmanager sender's). */
  RulesCollector(java.util.function.Supplier<List<RuleMetrics.Family>> families) {
    this.metrics = families;
  }

  @Override
  public List<MetricSnapshot> collect() {
    List<MetricSnapshot> out = new ArrayList<>();
    for (RuleMetrics.Family f : metrics.get()) {
      List<DataPoint> points = new ArrayList<>();
      for (RuleMetrics.Point p : f.points()) {
        Labels l = Labels.of(p.labels());
        points.add(
            switch (f.type()) {
              case COUNTER -> CounterDataPoint.of(l, p.value());
              case GAUGE -> new GaugeDataPoint(l, p.value());
              case SUMMARY -> summary(l, p);
            });
      }
      MetricType type =
          switch (f.type()) {
            case COUNTER -> MetricType.COUNTER;
            case GAUGE -> MetricType.GAUGE;
            case SUMMARY -> MetricType.SUMMARY;
          };
      out.add(new MetricSnapshot(new MetricMetadata(f.name(), f.help(), ""), type, points));
    }
    return out;
  }

  private static SummaryDataPoint summary(Labels l, RuleMetrics.Point p) {
    return new SummaryDataPoint(
        l, p.count(), p.sum(), new double[0], new double[0], DataPoint.NO_CREATED);
  }
}
