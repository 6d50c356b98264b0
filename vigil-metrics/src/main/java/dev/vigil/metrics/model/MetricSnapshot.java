package dev.vigil.metrics.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * An immutable view of one metric family at one instant: metadata, type and its data points.
 *
 * <p>The constructor copies the data points, sorts them by labels and validates them: every point
 * matches the type, and no two points share the same labels.
 *
 * <pre>{@code
 * MetricSnapshot s = new MetricSnapshot(new MetricMetadata("requests", "Requests.", ""),
 *     MetricType.COUNTER, List.of(CounterDataPoint.of(Labels.of("path", "/"), 3)));
 * }</pre>
 */
public final class MetricSnapshot {
  private final MetricMetadata metadata;
  private final MetricType type;
  private final List<DataPoint> dataPoints;

  /** Copies, sorts and validates. */
  public MetricSnapshot(
      MetricMetadata metadata, MetricType type, List<? extends DataPoint> dataPoints) {
    this.metadata = Objects.requireNonNull(metadata, "metadata");
    this.type = Objects.requireNonNull(type, "type");
    List<DataPoint> copy = new ArrayList<>(dataPoints);
    copy.sort(Comparator.comparing(DataPoint::labels));
    for (int i = 0; i < copy.size(); i++) {
      DataPoint p = copy.get(i);
      if (!accepts(type, p)) {
        throw new IllegalArgumentException(
            "metric "
                + metadata.name()
                + " of type "
                + type.openMetricsName()
                + " cannot hold a "
                + p.getClass().getSimpleName());
      }
      if (i > 0 && copy.get(i - 1).labels().equals(p.labels())) {
        throw new IllegalArgumentException(
            "metric " + metadata.name() + " has two data points with labels " + p.labels());
      }
    }
    this.dataPoints = List.copyOf(copy);
  }

  private static boolean accepts(MetricType type, DataPoint p) {
    return switch (type) {
      case COUNTER -> p instanceof CounterDataPoint;
      case GAUGE, UNKNOWN -> p instanceof GaugeDataPoint;
      case HISTOGRAM, GAUGE_HISTOGRAM -> p instanceof HistogramDataPoint;
      case SUMMARY -> p instanceof SummaryDataPoint;
      case INFO -> p instanceof InfoDataPoint;
      case STATESET -> p instanceof StateSetDataPoint;
    };
  }

  /** Name, help and unit. */
  public MetricMetadata metadata() {
    return metadata;
  }

  /** The family name (shortcut for {@code metadata().name()}). */
  public String name() {
    return metadata.name();
  }

  /** The metric type. */
  public MetricType type() {
    return type;
  }

  /** Data points sorted by labels; unmodifiable. */
  public List<DataPoint> dataPoints() {
    return dataPoints;
  }

  /** The data point with exactly these labels, or null. */
  public DataPoint dataPoint(Labels labels) {
    for (DataPoint p : dataPoints) {
      if (p.labels().equals(labels)) {
        return p;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return type.openMetricsName() + " " + metadata.name() + dataPoints;
  }
}
