package dev.vigil.collectors;

import dev.vigil.metrics.Collector;
import dev.vigil.metrics.model.MetricSnapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * The state of the collectors, for the server's health endpoints and the seeds' {@code
 * get_service_status()}: which collectors run, when each last collected, how long it took and its
 * last error. Also a collector of its own self-metrics ({@code vigil_collector_*}).
 *
 * {@snippet :
 * ServiceStatus status = new ServiceStatus(List.of(system, jvm));
 * registry.register(status);
 * status.healthy(); // every collector's last collection succeeded
 * }
 *
 * <p>Thread-safe.
 */
public final class ServiceStatus implements Collector {

  private final List<MonitoredCollector> collectors;

  /**
   * One collector's state.
   *
   * @param name the collector's name
   * @param collections collections so far
   * @param errors collections that failed
   * @param lastDurationSeconds the last collection's duration (NaN before the first)
   * @param lastCollectionMillis when it last collected, epoch ms (0 before the first)
   * @param lastSnapshotCount families the last collection produced
   * @param lastError the last collection's error, or null when it succeeded
   */
  public record CollectorStatus(
      String name,
      long collections,
      long errors,
      double lastDurationSeconds,
      long lastCollectionMillis,
      int lastSnapshotCount,
      String lastError) {}

  /** Reports on the given collectors. */
  public ServiceStatus(List<MonitoredCollector> collectors) {
    this.collectors = List.copyOf(collectors);
  }

  /** Returns each collector's state, in the given order. */
  public List<CollectorStatus> collectors() {
    List<CollectorStatus> out = new ArrayList<>(collectors.size());
    for (MonitoredCollector c : collectors) {
      out.add(c.status());
    }
    return out;
  }

  /** Returns true when no collector's last collection failed. */
  public boolean healthy() {
    for (MonitoredCollector c : collectors) {
      if (c.status().lastError() != null) {
        return false;
      }
    }
    return true;
  }

  @Override
  public List<MetricSnapshot> collect() {
    SnapshotList out = new SnapshotList();
    SnapshotList.Family dur =
        out.gaugeFamily(
            "vigil_collector_duration_seconds", "Duration of the collector's last collection.");
    SnapshotList.Family ok =
        out.gaugeFamily(
            "vigil_collector_success", "1 when the collector's last collection succeeded.");
    SnapshotList.Family last =
        out.gaugeFamily(
            "vigil_collector_last_collection_timestamp_seconds",
            "When the collector last collected.");
    SnapshotList.Family errors =
        out.counterFamily("vigil_collector_errors", "Collections of the collector that failed.");
    for (MonitoredCollector c : collectors) {
      CollectorStatus s = c.status();
      if (s.collections() == 0) {
        continue;
      }
      dur.add("collector", s.name(), s.lastDurationSeconds());
      ok.add("collector", s.name(), s.lastError() == null ? 1 : 0);
      last.add("collector", s.name(), s.lastCollectionMillis() / 1000.0);
      errors.add("collector", s.name(), s.errors());
    }
    return out.build();
  }
}
