package dev.vigil.metrics;

import dev.vigil.metrics.model.MetricSnapshot;
import java.util.List;

/**
 * Produces metric snapshots when the registry is scraped. Every metric type is a collector; an
 * application registers its own collectors for values it reads on demand (queue sizes, pool
 * statistics, files on disk):
 *
 * <pre>{@code
 * registry.register(() -> List.of(new MetricSnapshot(MetricMetadata.of("queue_length"),
 *     MetricType.GAUGE, List.of(new GaugeDataPoint(Labels.EMPTY, queue.size())))));
 * }</pre>
 *
 * <p>{@link #collect()} may be called from any thread, concurrently with updates; it must not block
 * for long. A collector that knows its names up front returns them from {@link #metricNames()} so
 * that duplicates are caught at registration rather than at scrape time.
 */
@FunctionalInterface
public interface Collector {
  /** The current snapshots. */
  List<MetricSnapshot> collect();

  /** Family names this collector produces, when known in advance; empty when not. */
  default List<String> metricNames() {
    return List.of();
  }

  /**
   * True when a family of this collector whose name another collector also produces is left out of
   * the scrape, instead of failing it. For bridges whose names come from code they do not control
   * (a Micrometer registry, whose JVM meters share names with the JVM collector's); false by
   * default, so that a clash between ordinary collectors stays an error.
   */
  default boolean yieldsDuplicateNames() {
    return false;
  }
}
