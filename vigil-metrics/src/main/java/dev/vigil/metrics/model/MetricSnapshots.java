package dev.vigil.metrics.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * The result of one scrape: metric snapshots sorted by name, with unique names. Immutable.
 *
 * <p>Names must be unique after the writers add suffixes too: a counter {@code a} (written as
 * {@code a_total}) and a gauge {@code a_total} clash, and are rejected here.
 */
public final class MetricSnapshots implements Iterable<MetricSnapshot> {
  private final List<MetricSnapshot> snapshots;

  /** Copies, sorts by name and rejects duplicate names. */
  public MetricSnapshots(List<MetricSnapshot> snapshots) {
    List<MetricSnapshot> copy = new ArrayList<>(snapshots);
    copy.sort(Comparator.comparing(MetricSnapshot::name));
    java.util.Set<String> exposed = new java.util.HashSet<>();
    for (int i = 0; i < copy.size(); i++) {
      if (i > 0 && copy.get(i - 1).name().equals(copy.get(i).name())) {
        throw new IllegalArgumentException(
            "two metrics named " + copy.get(i).name() + " in one scrape");
      }
      for (String series : seriesNames(copy.get(i))) {
        if (!exposed.add(series)) {
          throw new IllegalArgumentException(
              "metric " + copy.get(i).name() + " writes series " + series + " that clashes");
        }
      }
    }
    this.snapshots = List.copyOf(copy);
  }

  /** Snapshots from varargs. */
  public static MetricSnapshots of(MetricSnapshot... snapshots) {
    return new MetricSnapshots(List.of(snapshots));
  }

  private static List<String> seriesNames(MetricSnapshot s) {
    String n = s.name();
    return switch (s.type()) {
      case COUNTER -> List.of(n + "_total", n + "_created");
      case INFO -> List.of(n + "_info");
      case HISTOGRAM -> List.of(n + "_bucket", n + "_count", n + "_sum", n + "_created");
      case GAUGE_HISTOGRAM -> List.of(n + "_bucket", n + "_gcount", n + "_gsum");
      case SUMMARY -> List.of(n, n + "_count", n + "_sum", n + "_created");
      default -> List.of(n);
    };
  }

  /** Number of metrics. */
  public int size() {
    return snapshots.size();
  }

  /** Snapshots sorted by name; unmodifiable. */
  public List<MetricSnapshot> list() {
    return snapshots;
  }

  /** The snapshot with this family name, or null. */
  public MetricSnapshot get(String name) {
    for (MetricSnapshot s : snapshots) {
      if (s.name().equals(name)) {
        return s;
      }
    }
    return null;
  }

  @Override
  public Iterator<MetricSnapshot> iterator() {
    return snapshots.iterator();
  }
}
