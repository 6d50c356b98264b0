package dev.vigil.collectors.jvm;

import dev.vigil.collectors.SnapshotList;
import dev.vigil.metrics.Collector;
import dev.vigil.metrics.model.MetricSnapshot;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * CPU time, allocated bytes and thread count of named groups of threads: the seeds' "agent resource
 * usage" (Dream.OS, DevLoop's {@code devloop_agent_cpu_percent}) for an application that runs each
 * agent on its own pool, names its threads after its agents, or hands its tasks to shared pools.
 *
 * {@snippet :
 * ThreadGroupCollector groups = vigil.threadGroups(); // or new ThreadGroupCollector(); register it
 * ExecutorService linter = Executors.newFixedThreadPool(2, groups.threadFactory("linter"));
 * groups.track("indexer", Thread.currentThread());    // an existing thread
 * Executor planner = groups.track("planner", sharedPool); // each task's CPU and allocation
 * groups.matchThreadNames(Map.of("query", Pattern.compile("vigil-query-.*"))); // by thread name
 * }
 *
 * <p>Exports {@code vigil_thread_group_cpu_seconds_total{group}}, {@code
 * vigil_thread_group_allocated_bytes_total{group}} and {@code vigil_thread_group_threads{group}}.
 * At most {@code maxGroups} groups are kept (the group is a label); a group past that is counted as
 * {@value #OTHER}. Thread-safe.
 */
/*
 * Three sources per group, added together at each collection:
 *  - threads tracked by reference (track(group, thread), threadFactory): the JDK reports CPU time
 *    and allocation only for live threads, so each collection remembers the last reading of every
 *    thread and keeps it in the group's total when the thread ends;
 *  - threads whose name matches a group's pattern: found by id at each collection (a scan of the
 *    JVM's platform threads, ~0.1 ms for 100 threads), retired the same way once gone; a thread
 *    tracked by reference is not matched by name, so it never counts twice;
 *  - tasks run through track(group, executor) or wrap(group, task): the task's thread's CPU and
 *    allocation before and after, added to two adders (for pools shared by several agents; a task
 *    on a thread that is also in a group counts in both).
 * So the counters never go down; a thread's work after its last collection is the only part lost.
 */
public final class ThreadGroupCollector implements Collector {

  /** Groups kept by default. */
  public static final int DEFAULT_MAX_GROUPS = 100;

  /** The group that counts threads and tasks of groups past the limit. */
  public static final String OTHER = "other";

  private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
  private final com.sun.management.ThreadMXBean sun =
      mx instanceof com.sun.management.ThreadMXBean s && s.isThreadAllocatedMemorySupported()
          ? s
          : null;
  private final int maxGroups;
  private final Map<String, Group> groups = new LinkedHashMap<>(); // guarded by this
  private Map<String, Pattern> patterns = Map.of(); // guarded by this
  private final Map<Long, String[]> nameCache = new HashMap<>(); // id -> {name, group or ""}

  private static final class Group {
    final Map<Thread, long[]> threads = new LinkedHashMap<>(); // thread -> {cpuNanos, allocBytes}
    final Map<Long, long[]> named = new HashMap<>(); // thread id -> {cpuNanos, allocBytes}
    final LongAdder taskCpuNanos = new LongAdder();
    final LongAdder taskAllocBytes = new LongAdder();
    long retiredCpuNanos;
    long retiredAllocBytes;
  }

  /** A collector of at most {@value #DEFAULT_MAX_GROUPS} groups. */
  public ThreadGroupCollector() {
    this(DEFAULT_MAX_GROUPS);
  }

  /**
   * A collector of at most {@code maxGroups} groups (plus {@value #OTHER}); enables thread CPU time
   * measurement when the JVM supports it.
   *
   * @throws IllegalArgumentException when {@code maxGroups} is below 1
   */
  public ThreadGroupCollector(int maxGroups) {
    if (maxGroups < 1) {
      throw new IllegalArgumentException("maxGroups must be at least 1, got " + maxGroups);
    }
    this.maxGroups = maxGroups;
    if (mx.isThreadCpuTimeSupported() && !mx.isThreadCpuTimeEnabled()) {
      mx.setThreadCpuTimeEnabled(true);
    }
  }

  /** Returns the most groups kept (besides {@value #OTHER}). */
  public int maxGroups() {
    return maxGroups;
  }

  /**
   * Adds a thread to a group (creating the group; past the limit, to {@value #OTHER}).
   *
   * @throws IllegalArgumentException when the name is null, blank or over 128 characters
   */
  public synchronized void track(String group, Thread thread) {
    Objects.requireNonNull(thread, "thread");
    groupFor(group).threads.putIfAbsent(thread, new long[2]);
  }

  private Group groupFor(String name) {
    checkName(name);
    Group g = groups.get(name);
    if (g == null) {
      boolean full = groups.size() - (groups.containsKey(OTHER) ? 1 : 0) >= maxGroups;
      if (full && !name.equals(OTHER)) {
        return groupFor(OTHER);
      }
      g = new Group();
      groups.put(name, g);
    }
    return g;
  }

  private static void checkName(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("thread group name is null or blank");
    }
    if (name.length() > 128) {
      throw new IllegalArgumentException("thread group name is longer than 128 characters");
    }
  }

  /**
   * Returns a thread factory whose threads belong to {@code group}, named {@code group-N}.
   *
   * @throws IllegalArgumentException when the name is null, blank or over 128 characters
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

  /**
   * Returns an executor that runs each task on {@code executor} and adds the CPU time and heap
   * bytes the task used to {@code group}: for an agent whose work runs on a pool it shares.
   *
   * @throws IllegalArgumentException when the name is null, blank or over 128 characters
   */
  public Executor track(String group, Executor executor) {
    Objects.requireNonNull(executor, "executor");
    Group g;
    synchronized (this) {
      g = groupFor(group);
    }
    return task -> executor.execute(measured(g, Objects.requireNonNull(task, "task")));
  }

  /** Returns {@code task} measured into {@code group} (see {@link #track(String, Executor)}). */
  public Runnable wrap(String group, Runnable task) {
    Objects.requireNonNull(task, "task");
    Group g;
    synchronized (this) {
      g = groupFor(group);
    }
    return measured(g, task);
  }

  /** Returns {@code task} measured into {@code group} (see {@link #track(String, Executor)}). */
  public <T> Callable<T> wrap(String group, Callable<T> task) {
    Objects.requireNonNull(task, "task");
    Group g;
    synchronized (this) {
      g = groupFor(group);
    }
    return () -> {
      long c0 = mx.getCurrentThreadCpuTime();
      long a0 = sun != null ? sun.getCurrentThreadAllocatedBytes() : -1;
      try {
        return task.call();
      } finally {
        addTask(g, c0, a0);
      }
    };
  }

  private Runnable measured(Group g, Runnable task) {
    return () -> {
      long c0 = mx.getCurrentThreadCpuTime();
      long a0 = sun != null ? sun.getCurrentThreadAllocatedBytes() : -1;
      try {
        task.run();
      } finally {
        addTask(g, c0, a0);
      }
    };
  }

  private void addTask(Group g, long c0, long a0) {
    // -1 where unsupported (a virtual thread, or CPU time measurement off): nothing is added.
    if (c0 >= 0) {
      long c1 = mx.getCurrentThreadCpuTime();
      if (c1 >= c0) {
        g.taskCpuNanos.add(c1 - c0);
      }
    }
    if (a0 >= 0) {
      long a1 = sun.getCurrentThreadAllocatedBytes();
      if (a1 >= a0) {
        g.taskAllocBytes.add(a1 - a0);
      }
    }
  }

  /**
   * Groups the JVM's platform threads by name from now on: a thread whose whole name matches a
   * group's pattern belongs to it (the first matching group in the map's order). Replaces the
   * previous patterns; groups keep what they counted.
   *
   * @throws IllegalArgumentException for a bad group name
   */
  public synchronized void matchThreadNames(Map<String, Pattern> patternsByGroup) {
    Map<String, Pattern> copy = new LinkedHashMap<>();
    for (Map.Entry<String, Pattern> e : patternsByGroup.entrySet()) {
      checkName(e.getKey());
      copy.put(e.getKey(), Objects.requireNonNull(e.getValue(), "pattern"));
    }
    for (String g : copy.keySet()) {
      groupFor(g);
    }
    patterns = copy;
    nameCache.clear();
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
    synchronized (this) {
      Map<Group, Integer> live = new HashMap<>();
      Set<Long> tracked = new HashSet<>();
      for (Group g : groups.values()) {
        live.put(g, readTracked(g, tracked));
      }
      if (!patterns.isEmpty()) {
        readNamed(live, tracked);
      }
      for (Map.Entry<String, Group> e : groups.entrySet()) {
        Group g = e.getValue();
        long cpuNanos = g.retiredCpuNanos + g.taskCpuNanos.sum();
        long allocBytes = g.retiredAllocBytes + g.taskAllocBytes.sum();
        for (long[] last : g.threads.values()) {
          cpuNanos += last[0];
          allocBytes += last[1];
        }
        for (long[] last : g.named.values()) {
          cpuNanos += last[0];
          allocBytes += last[1];
        }
        cpu.add("group", e.getKey(), cpuNanos / 1e9);
        if (sun != null) {
          alloc.add("group", e.getKey(), allocBytes);
        }
        count.add("group", e.getKey(), live.getOrDefault(g, 0));
      }
    }
    return out.build();
  }

  /** Reads a group's tracked threads, retires ended ones; returns how many are live. */
  private int readTracked(Group g, Set<Long> trackedIds) {
    int live = 0;
    for (Iterator<Map.Entry<Thread, long[]>> it = g.threads.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Thread, long[]> te = it.next();
      Thread t = te.getKey();
      long[] last = te.getValue();
      Thread.State state = t.getState();
      if (state == Thread.State.TERMINATED) {
        g.retiredCpuNanos += last[0];
        g.retiredAllocBytes += last[1];
        it.remove();
        continue;
      }
      if (state != Thread.State.NEW) {
        live++;
        trackedIds.add(t.threadId());
        read(t.threadId(), last);
      }
    }
    return live;
  }

  private void read(long id, long[] last) {
    long c = mx.isThreadCpuTimeSupported() ? mx.getThreadCpuTime(id) : -1;
    long a = sun != null ? sun.getThreadAllocatedBytes(id) : -1;
    if (c >= 0) {
      last[0] = Math.max(last[0], c);
    }
    if (a >= 0) {
      last[1] = Math.max(last[1], a);
    }
  }

  /** Matches the JVM's threads against the name patterns, reads them, retires ended ones. */
  private void readNamed(Map<Group, Integer> live, Set<Long> trackedIds) {
    long[] ids = mx.getAllThreadIds();
    ThreadInfo[] infos = mx.getThreadInfo(ids, 0);
    Set<Long> seen = new HashSet<>();
    for (ThreadInfo info : infos) {
      if (info == null || trackedIds.contains(info.getThreadId())) {
        continue; // ended since getAllThreadIds, or tracked by reference
      }
      long id = info.getThreadId();
      String name = info.getThreadName();
      String[] cached = nameCache.get(id);
      if (cached == null || !cached[0].equals(name)) {
        cached = new String[] {name, groupOfName(name)};
        nameCache.put(id, cached);
      }
      if (cached[1].isEmpty()) {
        continue;
      }
      Group g = groups.get(cached[1]);
      if (g == null) {
        g = groupFor(cached[1]); // past the limit (other), or made again after remove()
      }
      seen.add(id);
      read(id, g.named.computeIfAbsent(id, k -> new long[2]));
      live.merge(g, 1, Integer::sum);
    }
    Set<Long> exist = new HashSet<>(ids.length * 2);
    for (long id : ids) {
      exist.add(id);
    }
    nameCache.keySet().retainAll(exist);
    for (Group g : groups.values()) {
      for (Iterator<Map.Entry<Long, long[]>> it = g.named.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<Long, long[]> e = it.next();
        if (!seen.contains(e.getKey())) {
          g.retiredCpuNanos += e.getValue()[0];
          g.retiredAllocBytes += e.getValue()[1];
          it.remove();
        }
      }
    }
  }

  /** The group whose pattern matches the whole name first, or "" for none. */
  private String groupOfName(String name) {
    for (Map.Entry<String, Pattern> p : patterns.entrySet()) {
      if (p.getValue().matcher(name).matches()) {
        return p.getKey();
      }
    }
    return "";
  }
}
