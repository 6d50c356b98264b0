package dev.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Queries during appends, head cuts and block compaction see every committed sample, no gaps. */
class ConcurrencyTest {
  @TempDir Path dir;

  @Test
  void queriesDuringAppendsAndCompaction_seeConsistentResults() throws Exception {
    int writers = 2;
    int seriesPerWriter = 20;
    long step = 10_000;
    AtomicLongArray committed = new AtomicLongArray(writers); // last committed t per writer
    AtomicBoolean stop = new AtomicBoolean();
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    try (Tsdb db =
        Tsdb.builder(dir)
            .blockRange(Duration.ofMinutes(30))
            .backgroundInterval(Duration.ZERO)
            .log(m -> {})
            .open()) {
      List<Thread> threads = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int wi = w;
        threads.add(
            new Thread(
                () -> {
                  Appender app = db.appender();
                  long[] refs = new long[seriesPerWriter];
                  for (long t = step; !stop.get(); t += step) {
                    if (t % (100 * step) == 0) {
                      sleep(); // bounds the data to a few hundred commits per second
                    }
                    // Writers stay within 10 steps of each other. A starved writer falling over
                    // half a block range behind would see its samples refused as out of bounds
                    // once the head is cut (correctly: they are older than the head accepts),
                    // and the readers' "every committed sample" check would not hold.
                    while (!stop.get() && t - slowest(committed) > 10 * step) {
                      Thread.onSpinWait();
                      Thread.yield();
                    }
                    for (int s = 0; s < seriesPerWriter; s++) {
                      refs[s] =
                          app.append(
                              refs[s],
                              Labels.of("__name__", "cc", "w", "" + wi, "s", "" + s),
                              t,
                              t);
                    }
                    app.commit();
                    committed.set(wi, t);
                  }
                }));
      }
      threads.add(
          new Thread(
              () -> {
                while (!stop.get()) {
                  db.maintain();
                }
              }));
      threads.add(
          new Thread(
              () -> {
                try {
                  while (!stop.get()) {
                    long[] before = {committed.get(0), committed.get(1)};
                    Map<Labels, List<long[]>> r =
                        TestUtil.read(db, 0, Long.MAX_VALUE, TestUtil.name("cc"));
                    for (Map.Entry<Labels, List<long[]>> e : r.entrySet()) {
                      int wi = Integer.parseInt(e.getKey().get("w"));
                      List<long[]> s = e.getValue();
                      long expect = step;
                      for (long[] x : s) {
                        assertThat(x[0]).as("%s", e.getKey()).isEqualTo(expect);
                        assertThat(Double.longBitsToDouble(x[1])).isEqualTo(x[0]);
                        expect += step;
                      }
                      assertThat(expect - step).isGreaterThanOrEqualTo(before[wi]);
                    }
                  }
                } catch (Throwable t) {
                  errors.add(t);
                  stop.set(true);
                }
              }));
      threads.forEach(Thread::start);
      // At least 2 s of concurrent reads, and on until several blocks were cut: a loaded machine
      // commits more slowly, and the assertions below need data past a few block ranges.
      long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      Thread.sleep(2000);
      while (!stop.get()
          && System.nanoTime() < until
          && (committed.get(0) <= 3 * 3600_000L
              || db.metrics().snapshot().getOrDefault("vigil_tsdb_head_truncations_total", 0.0)
                  <= 0)) {
        Thread.sleep(100);
      }
      stop.set(true);
      for (Thread t : threads) {
        t.join();
      }
      assertThat(errors).isEmpty();
      assertThat(committed.get(0)).isGreaterThan(2 * 3600_000L); // several blocks were cut
      assertThat(db.blocks()).isNotEmpty();
      assertThat(db.metrics().snapshot().get("vigil_tsdb_head_truncations_total")).isPositive();
    }
  }

  private static long slowest(AtomicLongArray committed) {
    long m = Long.MAX_VALUE;
    for (int i = 0; i < committed.length(); i++) {
      m = Math.min(m, committed.get(i));
    }
    return m;
  }

  private static void sleep() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
