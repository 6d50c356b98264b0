package dev.vigil.server;

import dev.vigil.metrics.Collector;
import dev.vigil.metrics.model.CounterDataPoint;
import dev.vigil.metrics.model.GaugeDataPoint;
import dev.vigil.metrics.model.Labels;
import dev.vigil.metrics.model.MetricMetadata;
import dev.vigil.metrics.model.MetricSnapshot;
import dev.vigil.metrics.model.MetricType;
import dev.vigil.notify.builtin.BuiltinNotifier;
import dev.vigil.notify.builtin.NotifyMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The built-in notifier's self-metrics ({@code vigil_notify_*}, a prefix apart from the
 * Alertmanager client's): notifications attempted and failed and the seconds they took, per
 * integration; alerts held, by state.
 */
final class NotifyCollector implements Collector {
  private final Supplier<BuiltinNotifier> current;

  /** {@code current} answers null while there is no notifier (no metrics then). */
  NotifyCollector(Supplier<BuiltinNotifier> current) {
    this.current = current;
  }

  @Override
  public List<MetricSnapshot> collect() {
    BuiltinNotifier notifier = current.get();
    if (notifier == null) {
      return List.of();
    }
    NotifyMetrics m = notifier.metrics();
    return List.of(
        counter(
            "vigil_notify_notifications",
            "Notifications the built-in notifier attempted, by integration (retries included).",
            m.notificationsByIntegration()),
        counter(
            "vigil_notify_notifications_failed",
            "Notification attempts that failed, by integration.",
            m.failedByIntegration()),
        counter(
            "vigil_notify_notification_latency_seconds",
            "Seconds spent sending notifications, by integration (divide by"
                + " vigil_notify_notifications_total for the mean).",
            m.latencySecondsByIntegration()),
        gauge(
            "vigil_notify_alerts",
            "Alerts the built-in notifier holds that are not resolved, by state.",
            notifier.alertsByState()));
  }

  private static MetricSnapshot counter(String name, String help, Map<String, ? extends Number> m) {
    List<CounterDataPoint> points = new ArrayList<>();
    m.forEach(
        (k, v) -> points.add(CounterDataPoint.of(Labels.of("integration", k), v.doubleValue())));
    return new MetricSnapshot(new MetricMetadata(name, help, ""), MetricType.COUNTER, points);
  }

  private static MetricSnapshot gauge(String name, String help, Map<String, Long> m) {
    List<GaugeDataPoint> points = new ArrayList<>();
    m.forEach((k, v) -> points.add(new GaugeDataPoint(Labels.of("state", k), v)));
    return new MetricSnapshot(new MetricMetadata(name, help, ""), MetricType.GAUGE, points);
  }
}
