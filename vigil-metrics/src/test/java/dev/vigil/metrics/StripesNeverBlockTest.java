package dev.vigil.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.metrics.model.HistogramDataPoint;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Increments from threads that own no stripe (every new virtual thread once the table is full) must
 * not wait on a lock: the Javadoc of {@code inc} and {@code observe} says they never block.
 */
class StripesNeverBlockTest {

  /**
   * Runs {@code body} on a new platform thread and reports whether that thread was ever seen
   * blocked on {@code lock} before it finished. While the caller holds {@code lock}, the body can
   * only finish by not needing it. (Blocked on another monitor, say a JDK-internal one while the
   * thread exits, does not count.)
   */
  private static boolean blocksOn(Object lock, Runnable body) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Thread t = new Thread(body);
    t.start();
    while (true) {
      Thread.State s = t.getState();
      if (s == Thread.State.TERMINATED) {
        return false;
      }
      if (s == Thread.State.BLOCKED) {
        ThreadInfo info = mx.getThreadInfo(t.threadId());
        LockInfo l = info == null ? null : info.getLockInfo();
        if (l != null && l.getIdentityHashCode() == System.identityHashCode(lock)) {
          return true;
        }
      }
      Thread.yield();
    }
  }

  @Test
  void add_fromThreadsWithoutAStripe_neverWaitsForTheTableLock() throws Exception {
    ThreadStripes stripes = new ThreadStripes(2);
    int threads = 3 * ThreadStripes.MAX_STRIPES; // more threads than the largest table has stripes
    int blocked = -1;
    synchronized (stripes) { // whatever lock the table might take, held for the whole test
      for (int i = 0; i < threads && blocked < 0; i++) {
        int n = i;
        Runnable body =
            switch (n % 3) {
              case 0 -> () -> stripes.add(0, 1);
              case 1 -> () -> stripes.addDouble(1, 0.5);
              default -> () -> stripes.observe(0, 1, 0.5);
            };
        if (blocksOn(stripes, body)) {
          blocked = n;
        }
      }
    }
    assertThat(blocked)
        .as("index of the first thread that blocked on the table lock")
        .isEqualTo(-1);
    long ones = 0;
    double halves = 0;
    for (int n = 0; n < threads; n++) {
      ones += n % 3 == 1 ? 0 : 1; // add and observe count 1 in slot 0
      halves += n % 3 == 0 ? 0 : 0.5; // addDouble and observe add 0.5 to slot 1
    }
    assertThat(stripes.sum(0)).isEqualTo(ones);
    assertThat(stripes.sumDouble(1)).isEqualTo(halves);
  }

  @Test
  void manyShortLivedVirtualThreads_counterAndHistogramCountExactly() throws Exception {
    Counter c = Counter.builder().name("vt").build();
    Histogram h = Histogram.builder().name("vh").buckets(1, 2).build();
    int tasks = 20_000;
    int perTask = 10;
    CountDownLatch done = new CountDownLatch(tasks);
    try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < tasks; i++) {
        ex.submit(
            () -> {
              for (int j = 0; j < perTask; j++) {
                c.inc();
                h.observe(j % 3 + 0.5);
              }
              done.countDown();
            });
      }
      done.await();
    }
    assertThat(c.get()).isEqualTo((double) tasks * perTask);
    HistogramDataPoint p = (HistogramDataPoint) h.snapshot().dataPoints().get(0);
    assertThat(p.count()).isEqualTo((long) tasks * perTask);
    List<Long> buckets = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      buckets.add(p.count(i));
    }
    // per task: j = 0..9 gives 4 × 0.5, 3 × 1.5, 3 × 2.5
    assertThat(buckets).containsExactly(4L * tasks, 3L * tasks, 3L * tasks);
    assertThat(p.sum()).isEqualTo(tasks * (4 * 0.5 + 3 * 1.5 + 3 * 2.5));
  }
}
