package dev.vigil.collectors.jvm;

import static dev.vigil.collectors.Snapshots.family;
import static dev.vigil.collectors.Snapshots.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.collectors.linux.ProcFs;
import dev.vigil.metrics.model.MetricSnapshot;
import dev.vigil.metrics.model.SummaryDataPoint;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class JvmProcessCollectorsTest {

  @Test
  void jvmCollector_reportsMemoryThreadsClassesGcAndRuntime() {
    List<MetricSnapshot> s = new JvmCollector().collect();
    assertThat(value(s, "jvm_memory_used_bytes", "area", "heap")).isPositive();
    assertThat(value(s, "jvm_memory_committed_bytes", "area", "nonheap")).isPositive();
    assertThat(family(s, "jvm_memory_pool_used_bytes").dataPoints()).isNotEmpty();
    assertThat(value(s, "jvm_classes_currently_loaded")).isGreaterThan(100);
    assertThat(value(s, "jvm_threads_current"))
        .isEqualTo(ManagementFactory.getThreadMXBean().getThreadCount(), within(5.0));
    assertThat(family(s, "jvm_threads_state").dataPoints()).hasSize(Thread.State.values().length);
    assertThat(family(s, "jvm_gc_collection_seconds").dataPoints())
        .allSatisfy(p -> assertThat(((SummaryDataPoint) p).count()).isNotNegative());
    assertThat(family(s, "jvm_runtime").dataPoints()).hasSize(1);
    assertThat(family(s, "jvm_buffer_pool_used_bytes").dataPoints()).isNotEmpty();
  }

  @Test
  void gcPauses_areObservedIntoTheHistogram() throws Exception {
    JvmCollector c = new JvmCollector();
    System.gc();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    MetricSnapshot pauses;
    do {
      Thread.sleep(20); // notifications arrive on a JDK thread
      pauses = family(c.collect(), "jvm_gc_pause_seconds");
    } while ((pauses == null || pauses.dataPoints().isEmpty()) && System.nanoTime() < deadline);
    assertThat(pauses).isNotNull();
    assertThat(pauses.dataPoints()).isNotEmpty();
  }

  @Test
  void processCollector_liveValuesMatchTheJvmsView() {
    Assumptions.assumeTrue(ProcFs.system().available(), "needs Linux /proc");
    List<MetricSnapshot> s = new ProcessCollector().collect();
    double start = ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0;
    assertThat(value(s, "process_start_time_seconds")).isCloseTo(start, within(2.0));
    assertThat(value(s, "process_resident_memory_bytes")).isPositive();
    assertThat(value(s, "process_virtual_memory_bytes"))
        .isGreaterThan(value(s, "process_resident_memory_bytes"));
    assertThat(value(s, "process_open_fds")).isPositive().isLessThan(value(s, "process_max_fds"));
    double cpu =
        ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime()
            / 1e9;
    assertThat(value(s, "process_cpu_seconds")).isCloseTo(cpu, within(1.0));
  }

  @Test
  void threadStartedByTest_isCounted() throws Exception {
    Assumptions.assumeTrue(ProcFs.system().available(), "needs Linux /proc");
    ProcessCollector pc = new ProcessCollector();
    double before = value(pc.collect(), "process_threads");
    CountDownLatch release = new CountDownLatch(1);
    List<Thread> started = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Thread t =
          new Thread(
              () -> {
                try {
                  release.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      t.start();
      started.add(t);
    }
    try {
      // JIT compiler threads may come and go meanwhile; 10 parked threads dominate.
      assertThat(value(pc.collect(), "process_threads") - before).isGreaterThanOrEqualTo(8);
    } finally {
      release.countDown();
      for (Thread t : started) {
        t.join();
      }
    }
  }

  @Test
  void threadGroups_reportCpuAllocationAndThreads_andKeepEndedThreadsWork() throws Exception {
    ThreadGroupCollector groups = new ThreadGroupCollector();
    java.util.concurrent.ThreadFactory linter = groups.threadFactory("linter");
    List<Thread> made = new java.util.concurrent.CopyOnWriteArrayList<>();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = linter.newThread(r);
              made.add(t);
              return t;
            });
    CountDownLatch done = new CountDownLatch(2);
    for (int i = 0; i < 2; i++) {
      pool.execute(
          () -> {
            // Busy until this thread has used 80 ms of CPU, however busy the machine is.
            var mx = ManagementFactory.getThreadMXBean();
            long end = mx.getCurrentThreadCpuTime() + 80_000_000L;
            List<byte[]> keep = new ArrayList<>();
            while (mx.getCurrentThreadCpuTime() < end) {
              keep.add(new byte[1024]);
              if (keep.size() > 1000) {
                keep.clear();
              }
            }
            done.countDown();
          });
    }
    done.await();
    List<MetricSnapshot> s = groups.collect();
    assertThat(value(s, "vigil_thread_group_threads", "group", "linter")).isEqualTo(2);
    double cpu = value(s, "vigil_thread_group_cpu_seconds", "group", "linter");
    double alloc = value(s, "vigil_thread_group_allocated_bytes", "group", "linter");
    assertThat(cpu).isGreaterThanOrEqualTo(0.16);
    assertThat(alloc).isGreaterThan(1_000_000);
    pool.shutdown();
    assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    for (Thread t : made) {
      t.join(); // the pool has terminated once its workers are done, not yet once they are gone
    }
    List<MetricSnapshot> after = groups.collect();
    assertThat(value(after, "vigil_thread_group_threads", "group", "linter")).isZero();
    assertThat(value(after, "vigil_thread_group_cpu_seconds", "group", "linter"))
        .isGreaterThanOrEqualTo(cpu);
    assertThat(value(after, "vigil_thread_group_allocated_bytes", "group", "linter"))
        .isGreaterThanOrEqualTo(alloc);
    assertThatThrownBy(() -> groups.threadFactory(" ")).hasMessageContaining("null or blank");
  }
}
