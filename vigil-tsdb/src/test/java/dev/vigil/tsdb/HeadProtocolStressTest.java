package dev.vigil.tsdb;

import static dev.vigil.tsdb.TestUtil.flat;
import static dev.vigil.tsdb.TestUtil.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.model.OutOfOrderException;
import dev.vigil.tsdb.block.Block;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Appenders racing on shared series and creating new ones while head cuts run, for a bounded time:
 * every committed sample of a new series is readable unless a cut refused it, and the store answers
 * the same after a restart.
 */
class HeadProtocolStressTest {
  private static final long NOW = 1000 * 3600_000L;
  private static final Duration RUN = Duration.ofSeconds(2);

  @TempDir Path dir;

  private Tsdb open() throws Exception {
    return Tsdb.builder(dir)
        .backgroundInterval(Duration.ZERO)
        .rollups(false)
        .clock(() -> NOW)
        .log(m -> {})
        .open();
  }

  private record Fresh(Labels labels, long t) {}

  @Test
  void racingAppendersAndCuts_loseNoCommittedNewSeries_andReplayAnswersTheSame() throws Exception {
    AtomicLong clock = new AtomicLong();
    Queue<Fresh> fresh = new ConcurrentLinkedQueue<>();
    Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong ids = new AtomicLong();
    Map<Labels, List<Long>> live;
    try (Tsdb db = open()) {
      List<Thread> threads = new ArrayList<>();
      int writers = 4;
      CountDownLatch started = new CountDownLatch(writers + 1);
      CountDownLatch failed = new CountDownLatch(1);
      for (int w = 0; w < writers; w++) {
        SplittableRandom r = new SplittableRandom(w);
        threads.add(
            new Thread(
                () -> {
                  started.countDown();
                  try {
                    while (!stop.get()) {
                      Appender app = db.appender();
                      Fresh f = null;
                      for (int k = 0; k < 5; k++) {
                        long t = clock.addAndGet(r.nextInt(20_000)) - r.nextInt(3) * 10_000L;
                        Labels l = Labels.of("__name__", "m", "s", "" + r.nextInt(3));
                        try {
                          app.append(0, l, t, r.nextInt(3));
                        } catch (OutOfOrderException refused) {
                          // refused early
                        }
                      }
                      if (r.nextInt(4) == 0) {
                        long t = clock.get();
                        Labels l = Labels.of("__name__", "m", "fresh", "" + ids.incrementAndGet());
                        try {
                          app.append(0, l, t, 1);
                          f = new Fresh(l, t);
                        } catch (OutOfOrderException refused) {
                          // a cut got past t already
                        }
                      }
                      app.commit();
                      if (f != null) {
                        fresh.add(f);
                      }
                    }
                  } catch (Throwable t) {
                    errors.add(t);
                    failed.countDown();
                  }
                }));
      }
      threads.add(
          new Thread(
              () -> {
                started.countDown();
                try {
                  while (!stop.get()) {
                    db.maintain();
                  }
                } catch (Throwable t) {
                  errors.add(t);
                  failed.countDown();
                }
              }));
      threads.forEach(Thread::start);
      started.await();
      failed.await(RUN.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      stop.set(true);
      for (Thread t : threads) {
        t.join();
      }
      assertThat(errors).isEmpty();
      assertThat(db.blocks()).as("head cuts ran").isNotEmpty();
      long blocksEnd = Long.MIN_VALUE;
      for (Block b : db.blocks()) {
        blocksEnd = Math.max(blocksEnd, b.meta().maxTime());
      }
      Map<Labels, List<long[]>> all = read(db, Long.MIN_VALUE, Long.MAX_VALUE, TestUtil.name("m"));
      for (Fresh f : fresh) {
        if (f.t() > blocksEnd) { // else a cut may have refused it at commit
          assertThat(all.get(f.labels())).as("%s at %d", f.labels(), f.t()).isNotNull();
          assertThat(all.get(f.labels()).get(0)[0]).isEqualTo(f.t());
        }
      }
      live = flat(all);
      assertThat(fresh).isNotEmpty();
    }
    try (Tsdb db = open()) {
      assertThat(flat(read(db, Long.MIN_VALUE, Long.MAX_VALUE, TestUtil.name("m"))))
          .isEqualTo(live);
    }
  }
}
