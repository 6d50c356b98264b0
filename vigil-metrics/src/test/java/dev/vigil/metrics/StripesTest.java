package dev.vigil.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.metrics.model.HistogramDataPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

/** More threads than stripes: owned stripes, shared slots and the owner's fields all add up. */
class StripesTest {
  private static void runThreads(int threads, Runnable body) throws Exception {
    CyclicBarrier start = new CyclicBarrier(threads);
    List<Thread> ts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread th =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
                body.run();
              });
      th.start();
      ts.add(th);
    }
    for (Thread th : ts) {
      th.join();
    }
  }

  @Test
  void counter_fortyThreads_wholeAndFractionalIncrementsSumExactly() throws Exception {
    Counter c = Counter.builder().name("c").build();
    c.inc(5); // this thread owns the cell first
    runThreads(
        40,
        () -> {
          for (int i = 0; i < 20_000; i++) {
            c.inc();
            c.inc(0.25);
          }
        });
    assertThat(c.get()).isEqualTo(5 + 40 * 20_000 * 1.25);
  }

  @Test
  void histogram_fortyThreads_bucketCountsAndSumExact() throws Exception {
    Histogram h = Histogram.builder().name("h").buckets(1, 2).build();
    runThreads(
        40,
        () -> {
          for (int i = 0; i < 10_000; i++) {
            h.observe(i % 3 + 0.5); // 0.5, 1.5, 2.5
          }
        });
    HistogramDataPoint p = (HistogramDataPoint) h.snapshot().dataPoints().get(0);
    long per = 40L * 10_000 / 3;
    assertThat(p.count()).isEqualTo(400_000);
    assertThat(p.count(0)).isBetween(per, per + 40);
    assertThat(p.count(0) + p.count(1) + p.count(2)).isEqualTo(400_000);
    assertThat(p.sum()).isEqualTo(p.count(0) * 0.5 + p.count(1) * 1.5 + p.count(2) * 2.5);
  }

  @Test
  void scrapeDuringIncrements_neverGoesBackwards() throws Exception {
    Counter c = Counter.builder().name("mono").build();
    double[] last = {0};
    boolean[] backwards = {false};
    Thread reader =
        new Thread(
            () -> {
              for (int i = 0; i < 20_000; i++) {
                double v = c.get();
                if (v < last[0]) {
                  backwards[0] = true;
                }
                last[0] = v;
              }
            });
    reader.start();
    runThreads(
        4,
        () -> {
          for (int i = 0; i < 50_000; i++) {
            c.inc();
          }
        });
    reader.join();
    assertThat(backwards[0]).isFalse();
    assertThat(c.get()).isEqualTo(200_000);
  }
}
