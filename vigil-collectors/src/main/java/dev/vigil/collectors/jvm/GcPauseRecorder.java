package dev.vigil.collectors.jvm;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.vigil.metrics.Histogram;
import dev.vigil.metrics.model.MetricSnapshot;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Observes every GC pause into {@code jvm_gc_pause_seconds{gc, action}}, a histogram fed by the
 * JDK's GC notifications (the same source Micrometer uses).
 *
 * <p>One process-wide instance: GC notifications are process-wide, so several collectors share it
 * rather than each adding listeners.
 */
final class GcPauseRecorder {

  private static GcPauseRecorder instance; // guarded by GcPauseRecorder.class

  private final Histogram pauses =
      Histogram.builder()
          .name("jvm_gc_pause_seconds")
          .help("GC pause durations.")
          .labelNames("gc", "action")
          .buckets(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
          .build();
  private boolean listening;

  private GcPauseRecorder() {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(
            (n, handback) -> {
              if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                  n.getType())) {
                return;
              }
              GarbageCollectionNotificationInfo info =
                  GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
              pauses
                  .labelValues(info.getGcName(), info.getGcAction())
                  .observe(info.getGcInfo().getDuration() / 1000.0);
            },
            null,
            null);
        listening = true;
      }
    }
  }

  static synchronized GcPauseRecorder install() {
    if (instance == null) {
      instance = new GcPauseRecorder();
    }
    return instance;
  }

  /** Returns the histogram's snapshot, or null when this JVM sends no GC notifications. */
  MetricSnapshot snapshot() {
    return listening ? pauses.snapshot() : null;
  }
}
