package dev.vigil.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.metrics.model.CounterDataPoint;
import dev.vigil.metrics.model.Labels;
import dev.vigil.metrics.model.MetricSnapshot;
import dev.vigil.metrics.model.MetricType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class CounterTest {
  private final MetricRegistry registry = new MetricRegistry();

  @Test
  void inc_unlabelled_addsUpWholeAndFractionalAmounts() {
    Counter c = Counter.builder().name("jobs_total").help("Jobs.").register(registry);
    c.inc();
    c.inc(2);
    c.inc(0.5);
    assertThat(c.get()).isEqualTo(3.5);
    assertThat(c.name()).isEqualTo("jobs");
    MetricSnapshot s = c.snapshot();
    assertThat(s.type()).isEqualTo(MetricType.COUNTER);
    assertThat(((CounterDataPoint) s.dataPoints().get(0)).value()).isEqualTo(3.5);
  }

  @Test
  void inc_negativeOrNaN_isRejectedAndValueKept() {
    Counter c = Counter.builder().name("x").register(registry);
    c.inc(5);
    assertThatThrownBy(() -> c.inc(-1)).hasMessageContaining("-1.0");
    assertThatThrownBy(() -> c.inc(Double.NaN)).hasMessageContaining("NaN");
    assertThatThrownBy(() -> c.inc(-0.5)).isInstanceOf(IllegalArgumentException.class);
    assertThat(c.get()).isEqualTo(5);
  }

  @Test
  void labelValues_returnsCachedChildPerLabelSet() {
    Counter c = Counter.builder().name("req").labelNames("method", "code").register(registry);
    Counter.Child a = c.labelValues("GET", "200");
    assertThat(c.labelValues("GET", "200")).isSameAs(a);
    assertThat(c.labelValues(new String("GET"), new String("200"))).isSameAs(a);
    assertThat(c.labelValues("GET", "500")).isNotSameAs(a);
    a.inc();
    c.labelValues("GET", "500").inc(3);
    MetricSnapshot s = c.snapshot();
    assertThat(s.dataPoints()).hasSize(2);
    assertThat(((CounterDataPoint) s.dataPoint(Labels.of("method", "GET", "code", "500"))).value())
        .isEqualTo(3);
  }

  @Test
  void labelValues_wrongCountOrNull_isClearError() {
    Counter c = Counter.builder().name("req").labelNames("method", "code").register(registry);
    assertThatThrownBy(() -> c.labelValues("GET"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("req")
        .hasMessageContaining("2 label names");
    assertThatThrownBy(() -> c.labelValues("GET", null)).hasMessageContaining("code");
    assertThatThrownBy(c::inc).hasMessageContaining("labelValues");
  }

  @Test
  void remove_and_clear_dropChildren() {
    Counter c = Counter.builder().name("req").labelNames("m").register(registry);
    for (int i = 0; i < 100; i++) {
      c.labelValues("v" + i).inc(i);
    }
    assertThat(c.childCount()).isEqualTo(100);
    c.remove("v7");
    assertThat(c.childCount()).isEqualTo(99);
    assertThat(c.snapshot().dataPoint(Labels.of("m", "v7"))).isNull();
    assertThat(c.labelValues("v7").get()).isZero();
    assertThat(c.labelValues("v8").get()).isEqualTo(8);
    c.clear();
    assertThat(c.snapshot().dataPoints()).isEmpty();
  }

  @Test
  void concurrentIncrements_snapshotSumIsExact() throws Exception {
    Counter c = Counter.builder().name("hits").labelNames("k").register(registry);
    int threads = 8;
    int perThread = 50_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> ts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread th =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < perThread; i++) {
                  c.labelValues("k" + (i % 4)).inc();
                  if (i % 2 == id % 2) {
                    c.labelValues("shared").inc(0.5);
                  }
                }
              });
      th.start();
      ts.add(th);
    }
    start.countDown();
    for (Thread th : ts) {
      th.join();
    }
    double total = 0;
    for (var p : c.snapshot().dataPoints()) {
      if (!p.labels().get("k").equals("shared")) {
        total += ((CounterDataPoint) p).value();
      }
    }
    assertThat(total).isEqualTo((double) threads * perThread);
    assertThat(c.labelValues("shared").get()).isEqualTo(threads * perThread / 2 * 0.5);
  }

  @Test
  void incWithExemplar_attachesTraceAndSpanWithTimestamp() {
    TestClock clock = new TestClock(1_700_000_000_123L);
    Counter c = Counter.builder().name("err").clock(clock).register(registry);
    c.incWithExemplar(2, "abc123", "def456");
    CounterDataPoint p = (CounterDataPoint) c.snapshot().dataPoints().get(0);
    assertThat(p.exemplar().traceId()).isEqualTo("abc123");
    assertThat(p.exemplar().spanId()).isEqualTo("def456");
    assertThat(p.exemplar().value()).isEqualTo(2);
    assertThat(p.exemplar().timestampMillis()).isEqualTo(1_700_000_000_123L);
    assertThat(p.createdMillis()).isEqualTo(1_700_000_000_000L); // whole seconds
  }

  @Test
  void fixedArityAndVarargsLookups_findTheSameChildren() {
    Counter one = Counter.builder().name("one").labelNames("a").build();
    Counter three = Counter.builder().name("three").labelNames("a", "b", "c").build();
    Counter four = Counter.builder().name("four").labelNames("a", "b", "c", "d").build();
    assertThat(one.labelValues("x")).isSameAs(one.labelValues(new String[] {"x"}));
    assertThat(three.labelValues("x", "y", "z"))
        .isSameAs(three.labelValues(new String[] {"x", "y", "z"}));
    assertThat(four.labelValues("w", "x", "y", "z")).isSameAs(four.labelValues("w", "x", "y", "z"));
    assertThatThrownBy(() -> one.labelValues("x", "y")).hasMessageContaining("1 label names");
    assertThatThrownBy(() -> three.labelValues("x", null, "z")).hasMessageContaining("b");
  }

  @Test
  void snapshot_isSortedByLabelNameOrder_andFollowsAddsAndRemovesBetweenScrapes() {
    Counter c = Counter.builder().name("s").labelNames("zone", "app").build();
    c.labelValues("b", "x").inc();
    c.labelValues("a", "y").inc();
    c.labelValues("a", "x").inc();
    // Sorted by label name: app first, then zone.
    assertThat(c.snapshot().dataPoints())
        .extracting(p -> p.labels().get("app") + p.labels().get("zone"))
        .containsExactly("xa", "xb", "ya");
    c.labelValues("c", "a").inc();
    c.remove("b", "x");
    assertThat(c.snapshot().dataPoints())
        .extracting(p -> p.labels().get("app") + p.labels().get("zone"))
        .containsExactly("ac", "xa", "ya");
    c.clear();
    assertThat(c.snapshot().dataPoints()).isEmpty();
  }
}
