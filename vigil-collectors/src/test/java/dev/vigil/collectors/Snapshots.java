package dev.vigil.collectors;

import dev.vigil.metrics.model.CounterDataPoint;
import dev.vigil.metrics.model.DataPoint;
import dev.vigil.metrics.model.GaugeDataPoint;
import dev.vigil.metrics.model.HistogramDataPoint;
import dev.vigil.metrics.model.Labels;
import dev.vigil.metrics.model.MetricSnapshot;
import java.util.List;

/** Test helper: finds values in collected snapshots. */
public final class Snapshots {
  private Snapshots() {}

  /** The family named {@code name} (counters without {@code _total}), or null. */
  public static MetricSnapshot family(List<MetricSnapshot> all, String name) {
    for (MetricSnapshot s : all) {
      if (s.name().equals(name)) {
        return s;
      }
    }
    return null;
  }

  /** The value of the point with exactly these labels; NaN when missing. */
  public static double value(List<MetricSnapshot> all, String name, String... labels) {
    MetricSnapshot s = family(all, name);
    if (s == null) {
      return Double.NaN;
    }
    DataPoint p = s.dataPoint(Labels.of(labels));
    return switch (p) {
      case null -> Double.NaN;
      case CounterDataPoint c -> c.value();
      case GaugeDataPoint g -> g.value();
      case HistogramDataPoint h -> h.count();
      default -> Double.NaN;
    };
  }

  /** The sum of every point's value in a counter or gauge family (0 when missing). */
  public static double sum(List<MetricSnapshot> all, String name) {
    MetricSnapshot s = family(all, name);
    double sum = 0;
    if (s != null) {
      for (DataPoint p : s.dataPoints()) {
        if (p instanceof CounterDataPoint c) {
          sum += c.value();
        } else if (p instanceof GaugeDataPoint g) {
          sum += g.value();
        }
      }
    }
    return sum;
  }

  /** The histogram point with these labels, or null. */
  public static HistogramDataPoint histogram(
      List<MetricSnapshot> all, String name, String... labels) {
    MetricSnapshot s = family(all, name);
    return s == null ? null : (HistogramDataPoint) s.dataPoint(Labels.of(labels));
  }
}
