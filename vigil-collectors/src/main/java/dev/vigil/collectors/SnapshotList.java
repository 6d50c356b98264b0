package dev.vigil.collectors;

import dev.vigil.metrics.model.CounterDataPoint;
import dev.vigil.metrics.model.DataPoint;
import dev.vigil.metrics.model.GaugeDataPoint;
import dev.vigil.metrics.model.Labels;
import dev.vigil.metrics.model.MetricMetadata;
import dev.vigil.metrics.model.MetricSnapshot;
import dev.vigil.metrics.model.MetricType;
import java.util.ArrayList;
import java.util.List;

/**
 * Accumulates the snapshots one collection produces: whole families at once, or data points added
 * family by family while a kernel file is walked.
 *
 * {@snippet :
 * SnapshotList out = new SnapshotList();
 * out.gauge("node_load1", "1m load average.", 0.42);
 * SnapshotList.Family rx = out.counterFamily("node_network_receive_bytes", "Bytes received.");
 * rx.add(Labels.of("device", "eth0"), 1234);
 * List<MetricSnapshot> snapshots = out.build();
 * }
 *
 * <p>Not thread-safe: one collection fills one list. Counter names are given without {@code
 * _total}; the exposition writers add it.
 */
public final class SnapshotList {

  private final List<Object> entries = new ArrayList<>(); // Family or MetricSnapshot, in order

  /** A family being filled. */
  public static final class Family {
    private final MetricMetadata metadata;
    private final MetricType type;
    private final List<DataPoint> points = new ArrayList<>();

    private Family(String name, String help, MetricType type) {
      this.metadata = new MetricMetadata(name, help, "");
      this.type = type;
    }

    /** Adds a point; NaN values are skipped for counters (a counter cannot be NaN). */
    public Family add(Labels labels, double value) {
      if (type == MetricType.COUNTER) {
        if (!Double.isNaN(value)) {
          points.add(CounterDataPoint.of(labels, Math.max(0, value)));
        }
      } else {
        points.add(new GaugeDataPoint(labels, value));
      }
      return this;
    }

    /** Adds a point with one label. */
    public Family add(String label, String labelValue, double value) {
      return add(Labels.of(label, labelValue), value);
    }

    /** Returns how many points were added. */
    public int size() {
      return points.size();
    }
  }

  /** Starts a gauge family. */
  public Family gaugeFamily(String name, String help) {
    Family f = new Family(name, help, MetricType.GAUGE);
    entries.add(f);
    return f;
  }

  /** Starts a counter family; {@code name} without {@code _total}. */
  public Family counterFamily(String name, String help) {
    Family f = new Family(name, help, MetricType.COUNTER);
    entries.add(f);
    return f;
  }

  /** Adds an unlabelled gauge. */
  public void gauge(String name, String help, double value) {
    gaugeFamily(name, help).add(Labels.EMPTY, value);
  }

  /** Adds an unlabelled counter; {@code name} without {@code _total}. */
  public void counter(String name, String help, double value) {
    counterFamily(name, help).add(Labels.EMPTY, value);
  }

  /** Adds a ready snapshot. */
  public void add(MetricSnapshot snapshot) {
    entries.add(snapshot);
  }

  /** Returns the snapshots, skipping families that got no points. */
  public List<MetricSnapshot> build() {
    List<MetricSnapshot> out = new ArrayList<>(entries.size());
    for (Object e : entries) {
      if (e instanceof MetricSnapshot s) {
        out.add(s);
      } else if (e instanceof Family f && !f.points.isEmpty()) {
        out.add(new MetricSnapshot(f.metadata, f.type, f.points));
      }
    }
    return out;
  }
}
