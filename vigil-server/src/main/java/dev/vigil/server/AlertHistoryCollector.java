package dev.vigil.server;

import dev.vigil.metrics.Collector;
import dev.vigil.metrics.model.CounterDataPoint;
import dev.vigil.metrics.model.DataPoint;
import dev.vigil.metrics.model.GaugeDataPoint;
import dev.vigil.metrics.model.Labels;
import dev.vigil.metrics.model.MetricMetadata;
import dev.vigil.metrics.model.MetricSnapshot;
import dev.vigil.metrics.model.MetricType;
import dev.vigil.rules.AlertState;
import dev.vigil.rules.history.AlertHistory;
import java.util.ArrayList;
import java.util.List;

/**
 * The alert history as series: {@code vigil_alert_state_changes_total{alertname,to}} (changes since
 * start, {@code to} one of {@code pending}, {@code firing}, {@code inactive}), the log's size and
 * its write failures.
 */
final class AlertHistoryCollector implements Collector {
  private final AlertHistory history;

  AlertHistoryCollector(AlertHistory history) {
    this.history = history;
  }

  @Override
  public List<MetricSnapshot> collect() {
    List<DataPoint> changes = new ArrayList<>();
    history
        .changesByAlertname()
        .forEach(
            (name, counts) -> {
              for (AlertState s : AlertState.values()) {
                changes.add(
                    CounterDataPoint.of(
                        Labels.of("alertname", name, "to", s.apiName()), counts[s.ordinal()]));
              }
            });
    return List.of(
        new MetricSnapshot(
            new MetricMetadata(
                "vigil_alert_state_changes",
                "Alert state changes recorded in the alert history since start, by the state"
                    + " changed to.",
                ""),
            MetricType.COUNTER,
            changes),
        new MetricSnapshot(
            new MetricMetadata(
                "vigil_alert_history_size_bytes", "Size of the alert history's log on disk.", ""),
            MetricType.GAUGE,
            List.of(new GaugeDataPoint(Labels.EMPTY, history.bytes()))),
        new MetricSnapshot(
            new MetricMetadata(
                "vigil_alert_history_write_failures",
                "Alert state changes that could not be written to the alert history's log.",
                ""),
            MetricType.COUNTER,
            List.of(CounterDataPoint.of(Labels.EMPTY, history.writeFailures()))));
  }
}
