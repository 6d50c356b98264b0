package dev.vigil.collectors.jvm;

import dev.vigil.collectors.SnapshotList;
import dev.vigil.metrics.Collector;
import dev.vigil.metrics.model.MetricSnapshot;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * CPU time, allocated bytes and thread count of named groups of threads: the seeds' "agent resource
 * usage" for an application that runs each agent on its own pool.
 *
 * {@snippet :
 * ThreadGroupCollector groups = new ThreadGroupCollector();
 * registry.register(groups);
 * ExecutorService linter = Executors.newFixedThreadPool(2, groups.threadFactory("linter"));
 * groups.track("indexer", Thread.currentThread()); // or add any existing thread
 * }
 *
 * <p>Exports {@code vigil_thread_group_cpu_seconds_total{group}}, {@code
 * vigil_thread_group_allocated_bytes_total{group}} and {@code vigil_thread_group_threads{group}}.
 * The JDK reports CPU time and allocation only for live threads, so each collection remembers the
 * last reading of every thread and keeps it in the group's total when the thread ends: the counters
 * never go down, and a thread's work after its last collection is the only part lost. Thread-safe.
 */
public final class ThreadGroupCollector implements Collector {

  /** Groups beyond this many are refused: the group name is a label. */
  public static final int MAX_GROUPS = 1000;

  private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
  private final Map<String, Group> groups = new LinkedHashMap<>(); // guarded by this

  private static final class Group {
    final Map<Thread, long[]> threads = new LinkedHashMap<>(); // thread -> {cpuNanos, allocBytes}
    long retiredCpuNanos;
    long retiredAllocBytes;
  }

  /** Creates a collector; enables thread CPU time measurement when the JVM supports it. */
  public ThreadGroupCollector() {
    if (mx.isThreadCpuTimeSupported() && !mx.isThreadCpuTimeEnabled()) {
      mx.setThreadCpuTimeEnabled(true);
    }
  }

  /**
   * Adds a thread to a group (creating the group).
   *
   * @throws IllegalArgumentException when the name is empty or {@link #MAX_GROUPS} is reached
   */
  public synchronized void track(String group, Thread thread) {
    Objects.requireNonNull(thread, "thread");
    groupFor(group).threads.putIfAbsent(thread, new long[2]);
  }

  private Group groupFor(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("thread group name is null or blank");
    }
    Group g = groups.get(name);
    if (g == null) {
      if (groups.size() >= MAX_GROUPS) {
        throw new IllegalArgumentException(
            "too many thread groups (" + MAX_GROUPS + "); cannot add '" + name + "'");
      }
      g = new Group();
      groups.put(name, g);
    }
    return g;
  }

  /**
   * Returns a thread factory whose threads belong to {@code group}, named {@code group-N}.
   *
   * @throws IllegalArgumentException when the name is empty or {@link #MAX_GROUPS} is reached
   */
  public ThreadFactory threadFactory(String group) {
    synchronized (this) {
      groupFor(group);
    }
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, group + "-" + n.incrementAndGet());
      track(group, t);
      return t;
    };
  }

  /** Stops reporting a group; returns false when unknown. */
  public synchronized boolean remove(String group) {
    return groups.remove(group) != null;
  }

  @Override
  public List<MetricSnapshot> collect() {
    SnapshotList out = new SnapshotList();
    SnapshotList.Family cpu =
        out.counterFamily(
            "vigil_thread_group_cpu_seconds", "CPU time used by the threads of a group.");
    SnapshotList.Family alloc =
        out.counterFamily(
            "vigil_thread_group_allocated_bytes",
            "Heap bytes allocated by the threads of a group.");
    SnapshotList.Family count =
        out.gaugeFamily("vigil_thread_group_threads", "Live threads in a group.");
    com.sun.management.ThreadMXBean sun =
        mx instanceof com.sun.management.ThreadMXBean s && s.isThreadAllocatedMemorySupported()
            ? s
            : null;
    synchronized (this) {
      for (Map.Entry<String, Group> e : groups.entrySet()) {
        Group g = e.getValue();
        long cpuNanos = g.retiredCpuNanos;
        long allocBytes = g.retiredAllocBytes;
        int live = 0;
        for (Iterator<Map.Entry<Thread, long[]>> it = g.threads.entrySet().iterator();
            it.hasNext(); ) {
          Map.Entry<Thread, long[]> te = it.next();
          Thread t = te.getKey();
          long[] last = te.getValue();
          Thread.State state = t.getState();
          if (state == Thread.State.TERMINATED) {
            g.retiredCpuNanos += last[0];
            g.retiredAllocBytes += last[1];
            cpuNanos += last[0];
            allocBytes += last[1];
            it.remove();
            continue;
          }
          if (state != Thread.State.NEW) {
            live++;
            long id = t.threadId();
            long c = mx.isThreadCpuTimeSupported() ? mx.getThreadCpuTime(id) : -1;
            long a = sun != null ? sun.getThreadAllocatedBytes(id) : -1;
            if (c >= 0) {
              last[0] = Math.max(last[0], c);
            }
            if (a >= 0) {
              last[1] = Math.max(last[1], a);
            }
          }
          cpuNanos += last[0];
          allocBytes += last[1];
        }
        cpu.add("group", e.getKey(), cpuNanos / 1e9);
        if (sun != null) {
          alloc.add("group", e.getKey(), allocBytes);
        }
        count.add("group", e.getKey(), live);
      }
    }
    return out.build();
  }
}
