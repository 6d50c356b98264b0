package dev.vigil.collectors.jvm;

import dev.vigil.collectors.SnapshotList;
import dev.vigil.metrics.Collector;
import dev.vigil.metrics.model.DataPoint;
import dev.vigil.metrics.model.InfoDataPoint;
import dev.vigil.metrics.model.Labels;
import dev.vigil.metrics.model.MetricMetadata;
import dev.vigil.metrics.model.MetricSnapshot;
import dev.vigil.metrics.model.MetricType;
import dev.vigil.metrics.model.SummaryDataPoint;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * JVM metrics under client_java's {@code jvm_*} names: memory areas and pools, buffer pools,
 * classes, JIT compilation time, GC collections, threads by state, runtime info; plus a GC pause
 * histogram fed by GC notifications ({@link GcPauseRecorder}).
 *
 * {@snippet :
 * registry.register(new JvmCollector());
 * }
 *
 * <p>Safepoint counts are not exported: the JDK exposes them only through the internal {@code
 * sun.management.HotspotRuntimeMBean}, which needs {@code --add-exports} at launch. Thread-safe.
 */
public final class JvmCollector implements Collector {

  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
  private final CompilationMXBean compilation = ManagementFactory.getCompilationMXBean();
  private final GcPauseRecorder gcPauses;
  private final MetricSnapshot runtimeInfo;

  /** Creates the collector and starts listening to GC notifications. */
  public JvmCollector() {
    this.gcPauses = GcPauseRecorder.install();
    var rt = ManagementFactory.getRuntimeMXBean();
    this.runtimeInfo =
        new MetricSnapshot(
            new MetricMetadata("jvm_runtime", "JVM runtime info.", ""),
            MetricType.INFO,
            List.of(
                new InfoDataPoint(
                    Labels.of(
                        "runtime", String.valueOf(System.getProperty("java.runtime.name")),
                        "vendor", String.valueOf(rt.getVmVendor()),
                        "version", String.valueOf(System.getProperty("java.runtime.version"))))));
  }

  @Override
  public List<MetricSnapshot> collect() {
    SnapshotList out = new SnapshotList();
    memory(out);
    buffers(out);
    classes(out);
    if (compilation != null && compilation.isCompilationTimeMonitoringSupported()) {
      out.counterFamily("jvm_compilation_time_seconds", "Time spent in JIT compilation.")
          .add("compiler", compilation.getName(), compilation.getTotalCompilationTime() / 1000.0);
    }
    gc(out);
    threads(out);
    out.add(runtimeInfo);
    return out.build();
  }

  private void memory(SnapshotList out) {
    MemoryUsage heap = memory.getHeapMemoryUsage();
    MemoryUsage nonHeap = memory.getNonHeapMemoryUsage();
    area(
        out.gaugeFamily("jvm_memory_used_bytes", "Used bytes of a memory area."),
        heap.getUsed(),
        nonHeap.getUsed());
    area(
        out.gaugeFamily("jvm_memory_committed_bytes", "Committed bytes of a memory area."),
        heap.getCommitted(),
        nonHeap.getCommitted());
    area(
        out.gaugeFamily("jvm_memory_max_bytes", "Max bytes of a memory area (-1: undefined)."),
        heap.getMax(),
        nonHeap.getMax());
    area(
        out.gaugeFamily("jvm_memory_init_bytes", "Initial bytes of a memory area (-1: undefined)."),
        heap.getInit(),
        nonHeap.getInit());
    out.gauge(
        "jvm_memory_objects_pending_finalization",
        "Objects waiting in the finalizer queue.",
        memory.getObjectPendingFinalizationCount());
    SnapshotList.Family used =
        out.gaugeFamily("jvm_memory_pool_used_bytes", "Used bytes of a memory pool.");
    SnapshotList.Family committed =
        out.gaugeFamily("jvm_memory_pool_committed_bytes", "Committed bytes of a memory pool.");
    SnapshotList.Family max =
        out.gaugeFamily("jvm_memory_pool_max_bytes", "Max bytes of a memory pool.");
    SnapshotList.Family init =
        out.gaugeFamily("jvm_memory_pool_init_bytes", "Initial bytes of a memory pool.");
    SnapshotList.Family afterGc =
        out.gaugeFamily(
            "jvm_memory_pool_collection_used_bytes",
            "Used bytes of a memory pool after the last collection.");
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      MemoryUsage u = pool.getUsage();
      if (u == null) {
        continue;
      }
      Labels l = Labels.of("pool", pool.getName());
      used.add(l, u.getUsed());
      committed.add(l, u.getCommitted());
      max.add(l, u.getMax());
      init.add(l, u.getInit());
      MemoryUsage c = pool.getCollectionUsage();
      if (c != null) {
        afterGc.add(l, c.getUsed());
      }
    }
  }

  private static void area(SnapshotList.Family f, long heap, long nonHeap) {
    f.add("area", "heap", heap);
    f.add("area", "nonheap", nonHeap);
  }

  private void buffers(SnapshotList out) {
    SnapshotList.Family used =
        out.gaugeFamily("jvm_buffer_pool_used_bytes", "Used bytes of a buffer pool.");
    SnapshotList.Family cap =
        out.gaugeFamily("jvm_buffer_pool_capacity_bytes", "Capacity in bytes of a buffer pool.");
    SnapshotList.Family count =
        out.gaugeFamily("jvm_buffer_pool_used_buffers", "Buffers in a buffer pool.");
    for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      Labels l = Labels.of("pool", b.getName());
      used.add(l, b.getMemoryUsed());
      cap.add(l, b.getTotalCapacity());
      count.add(l, b.getCount());
    }
  }

  private void classes(SnapshotList out) {
    out.gauge(
        "jvm_classes_currently_loaded", "Classes currently loaded.", classes.getLoadedClassCount());
    out.counter(
        "jvm_classes_loaded",
        "Classes loaded since the JVM started.",
        classes.getTotalLoadedClassCount());
    out.counter(
        "jvm_classes_unloaded",
        "Classes unloaded since the JVM started.",
        classes.getUnloadedClassCount());
  }

  private void gc(SnapshotList out) {
    List<SummaryDataPoint> points = new ArrayList<>();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      long count = gc.getCollectionCount();
      long timeMs = gc.getCollectionTime();
      if (count < 0) {
        continue;
      }
      points.add(
          new SummaryDataPoint(
              Labels.of("gc", gc.getName()),
              count,
              Math.max(0, timeMs) / 1000.0,
              new double[0],
              new double[0],
              DataPoint.NO_CREATED));
    }
    out.add(
        new MetricSnapshot(
            new MetricMetadata(
                "jvm_gc_collection_seconds", "Time spent in a given JVM garbage collector.", ""),
            MetricType.SUMMARY,
            points));
    MetricSnapshot pauses = gcPauses.snapshot();
    if (pauses != null) {
      out.add(pauses);
    }
  }

  private void threads(SnapshotList out) {
    out.gauge(
        "jvm_threads_current",
        "Current live threads, daemon and non-daemon.",
        threads.getThreadCount());
    out.gauge("jvm_threads_daemon", "Current live daemon threads.", threads.getDaemonThreadCount());
    out.gauge(
        "jvm_threads_peak",
        "Peak live threads since the JVM started.",
        threads.getPeakThreadCount());
    out.counter(
        "jvm_threads_started",
        "Threads started since the JVM started.",
        threads.getTotalStartedThreadCount());
    long[] deadlocked = threads.findDeadlockedThreads();
    long[] monitorDeadlocked = threads.findMonitorDeadlockedThreads();
    out.gauge(
        "jvm_threads_deadlocked",
        "Threads deadlocked waiting for monitors or ownable synchronizers.",
        deadlocked == null ? 0 : deadlocked.length);
    out.gauge(
        "jvm_threads_deadlocked_monitor",
        "Threads deadlocked waiting for monitors.",
        monitorDeadlocked == null ? 0 : monitorDeadlocked.length);
    Map<Thread.State, Integer> byState = new EnumMap<>(Thread.State.class);
    for (Thread.State s : Thread.State.values()) {
      byState.put(s, 0);
    }
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds(), 0)) {
      if (info != null) {
        byState.merge(info.getThreadState(), 1, Integer::sum);
      }
    }
    SnapshotList.Family state = out.gaugeFamily("jvm_threads_state", "Current threads by state.");
    byState.forEach((s, n) -> state.add("state", s.name(), n));
  }
}
