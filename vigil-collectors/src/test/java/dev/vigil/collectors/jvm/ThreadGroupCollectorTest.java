package dev.vigil.collectors.jvm;

import static dev.vigil.collectors.Snapshots.family;
import static dev.vigil.collectors.Snapshots.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.metrics.model.DataPoint;
import dev.vigil.metrics.model.MetricSnapshot;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Per-agent resources: groups by thread name, tasks on shared pools, bounded group count. */
class ThreadGroupCollectorTest {

  /** Busy until the calling thread has used {@code nanos} of CPU, allocating as it goes. */
  private static void burn(long nanos) {
    var mx = ManagementFactory.getThreadMXBean();
    long end = mx.getCurrentThreadCpuTime() + nanos;
    List<byte[]> keep = new ArrayList<>();
    while (mx.getCurrentThreadCpuTime() < end) {
      keep.add(new byte[1024]);
      if (keep.size() > 1000) {
        keep.clear();
      }
    }
  }

  @Test
  void matchThreadNames_groupsThreadsByWholeName_andKeepsEndedThreadsWork() throws Exception {
    ThreadGroupCollector groups = new ThreadGroupCollector();
    Map<String, Pattern> patterns = new LinkedHashMap<>();
    patterns.put("planner", Pattern.compile("planner-worker-\\d+"));
    groups.matchThreadNames(patterns);
    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread planner =
        new Thread(
            () -> {
              burn(50_000_000L);
              busy.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "planner-worker-1");
    // "x-planner-worker-2" does not match the whole pattern: not counted.
    Thread other = new Thread(() -> burn(10_000_000L), "x-planner-worker-2");
    planner.start();
    other.start();
    busy.await();
    other.join();
    List<MetricSnapshot> s = groups.collect();
    assertThat(value(s, "vigil_thread_group_threads", "group", "planner")).isEqualTo(1);
    double cpu = value(s, "vigil_thread_group_cpu_seconds", "group", "planner");
    assertThat(cpu).isGreaterThanOrEqualTo(0.05);
    assertThat(value(s, "vigil_thread_group_allocated_bytes", "group", "planner"))
        .isGreaterThan(100_000);
    release.countDown();
    planner.join();
    List<MetricSnapshot> after = groups.collect();
    assertThat(value(after, "vigil_thread_group_threads", "group", "planner")).isZero();
    assertThat(value(after, "vigil_thread_group_cpu_seconds", "group", "planner"))
        .isGreaterThanOrEqualTo(cpu);
  }

  @Test
  void trackExecutor_addsEachTasksCpuAndAllocation_toItsAgent_onASharedPool() throws Exception {
    ThreadGroupCollector groups = new ThreadGroupCollector();
    ExecutorService shared = Executors.newFixedThreadPool(1);
    try {
      var planner = groups.track("planner", shared);
      CountDownLatch done = new CountDownLatch(2);
      planner.execute(
          () -> {
            burn(60_000_000L);
            done.countDown();
          });
      // Another agent's task on the same thread is not the planner's.
      shared.execute(groups.wrap("coder", (Runnable) () -> burn(10_000_000L)));
      Callable<Integer> call = groups.wrap("coder", () -> 42);
      assertThat(shared.submit(call).get()).isEqualTo(42);
      shared.execute(done::countDown);
      done.await();
    } finally {
      shared.shutdown();
      assertThat(shared.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
    List<MetricSnapshot> s = groups.collect();
    double planner = value(s, "vigil_thread_group_cpu_seconds", "group", "planner");
    double coder = value(s, "vigil_thread_group_cpu_seconds", "group", "coder");
    assertThat(planner).isGreaterThanOrEqualTo(0.06).isLessThan(1.0);
    assertThat(coder).isGreaterThanOrEqualTo(0.01).isLessThan(planner);
    assertThat(value(s, "vigil_thread_group_allocated_bytes", "group", "planner"))
        .isGreaterThan(100_000);
    // Tasks are not threads: the group has none of its own.
    assertThat(value(s, "vigil_thread_group_threads", "group", "planner")).isZero();
  }

  @Test
  void groupsPastTheLimit_collapseIntoOther() {
    ThreadGroupCollector groups = new ThreadGroupCollector(2);
    groups.track("a", new Thread(() -> {}));
    groups.track("b", new Thread(() -> {}));
    groups.track("c", new Thread(() -> {}));
    groups.wrap("d", (Runnable) () -> {}).run();
    List<MetricSnapshot> s = groups.collect();
    List<String> names = new ArrayList<>();
    for (DataPoint p : family(s, "vigil_thread_group_threads").dataPoints()) {
      names.add(p.labels().get("group"));
    }
    assertThat(names).containsExactlyInAnyOrder("a", "b", ThreadGroupCollector.OTHER);
    assertThatThrownBy(() -> new ThreadGroupCollector(0)).hasMessageContaining("at least 1");
    assertThatThrownBy(() -> groups.track("x".repeat(129), Thread.currentThread()))
        .hasMessageContaining("longer than 128");
  }
}
