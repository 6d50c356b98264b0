package dev.vigil.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.metrics.model.HistogramDataPoint;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistogramTest {
  @Test
  void observe_countsIntoInclusiveUpperBoundBuckets() {
    Histogram h = Histogram.builder().name("size").buckets(1, 2, 5).build();
    for (double v : new double[] {0.5, 1, 1.5, 2, 3, 5, 7, -1}) {
      h.observe(v);
    }
    h.observe(Double.NaN); // ignored
    HistogramDataPoint p = (HistogramDataPoint) h.snapshot().dataPoints().get(0);
    assertThat(p.bucketCount()).isEqualTo(4);
    assertThat(new long[] {p.count(0), p.count(1), p.count(2), p.count(3)})
        .containsExactly(3, 2, 2, 1);
    assertThat(p.cumulativeCount(3)).isEqualTo(8);
    assertThat(p.count()).isEqualTo(8);
    assertThat(p.sum()).isEqualTo(19);
  }

  @Test
  void bucketLayouts_defaultLinearExponential() {
    assertThat(Buckets.DEFAULT.upperBoundsWithInf())
        .containsExactly(
            .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, Double.POSITIVE_INFINITY);
    assertThat(Buckets.linear(100, 50, 3).upperBoundsWithInf())
        .containsExactly(100, 150, 200, Double.POSITIVE_INFINITY);
    assertThat(Buckets.exponential(1, 2, 4).upperBoundsWithInf())
        .containsExactly(1, 2, 4, 8, Double.POSITIVE_INFINITY);
    assertThatThrownBy(() -> Buckets.of(1, 1)).hasMessageContaining("increase");
    assertThatThrownBy(() -> Buckets.exponential(0, 2, 3)).hasMessageContaining("start > 0");
  }

  @Test
  void observeWithExemplar_keepsLatestExemplarPerBucket() {
    Histogram h = Histogram.builder().name("lat").buckets(0.1, 1).build();
    h.observeWithExemplar(0.05, "t1", "s1");
    h.observeWithExemplar(0.5, "t2", "s2");
    h.observeWithExemplar(0.07, "t3", "s3");
    HistogramDataPoint p = (HistogramDataPoint) h.snapshot().dataPoints().get(0);
    assertThat(p.exemplar(0).traceId()).isEqualTo("t3");
    assertThat(p.exemplar(1).traceId()).isEqualTo("t2");
    assertThat(p.exemplar(2)).isNull();
  }

  @Test
  void timer_recordsElapsedSecondsOnce() throws Exception {
    Timer t = Timer.builder().name("work").labelNames("kind").build();
    try (Timer.Scope s = t.labelValues("a").startTimer()) {
      Thread.sleep(5);
      assertThat(s.elapsedSeconds()).isGreaterThan(0.004);
    }
    String r = t.labelValues("b").time(() -> "done");
    t.labelValues("b").time(() -> {});
    assertThat(r).isEqualTo("done");
    assertThat(t.labelValues("a").count()).isEqualTo(1);
    assertThat(t.labelValues("a").sum()).isGreaterThan(0.004);
    assertThat(t.labelValues("b").count()).isEqualTo(2);
    assertThat(t.name()).isEqualTo("work_seconds");
  }

  @Test
  void concurrentObservations_countsAndSumAreExact() throws Exception {
    Histogram h = Histogram.builder().name("c").buckets(10, 100).build();
    List<Thread> ts = new ArrayList<>();
    for (int t = 0; t < 6; t++) {
      Thread th =
          new Thread(
              () -> {
                for (int i = 0; i < 30_000; i++) {
                  h.observe(i % 200);
                }
              });
      ts.add(th);
      th.start();
    }
    for (Thread th : ts) {
      th.join();
    }
    HistogramDataPoint p = (HistogramDataPoint) h.snapshot().dataPoints().get(0);
    assertThat(p.count()).isEqualTo(180_000);
    assertThat(p.count(0)).isEqualTo(6 * 150 * 11);
    assertThat(p.sum()).isEqualTo(6 * 150 * (199 * 200 / 2.0));
  }
}
