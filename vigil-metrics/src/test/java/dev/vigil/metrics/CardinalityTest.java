package dev.vigil.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.metrics.model.CounterDataPoint;
import dev.vigil.metrics.model.Labels;
import dev.vigil.metrics.model.MetricSnapshots;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CardinalityTest {
  @Test
  void pastTheLimit_newLabelSetsFoldIntoOverflowSeriesAndAreCounted() {
    MetricRegistry registry = new MetricRegistry();
    Counter c =
        Counter.builder().name("req").labelNames("user").cardinalityLimit(3).register(registry);
    for (int i = 0; i < 10; i++) {
      c.labelValues("u" + i).inc();
    }
    c.labelValues("u0").inc(); // existing label sets keep working
    assertThat(c.childCount()).isEqualTo(3);
    MetricSnapshots scrape = registry.scrape();
    var req = scrape.get("req");
    assertThat(req.dataPoints()).hasSize(4);
    CounterDataPoint overflow =
        (CounterDataPoint) req.dataPoint(Labels.of("user", LabelledMetric.OVERFLOW_VALUE));
    assertThat(overflow.value()).isEqualTo(7);
    assertThat(((CounterDataPoint) req.dataPoint(Labels.of("user", "u0"))).value()).isEqualTo(2);
    var guard = scrape.get(MetricRegistry.OVERFLOW_METRIC);
    assertThat(((CounterDataPoint) guard.dataPoint(Labels.of("metric", "req"))).value())
        .isEqualTo(7);
  }

  @Test
  void cardinalityLimit_raisedAtRunTime_letsNewLabelSetsIn_andLoweredKeepsTheExistingOnes() {
    MetricRegistry registry = new MetricRegistry();
    Counter c =
        Counter.builder().name("req").labelNames("user").cardinalityLimit(2).register(registry);
    c.labelValues("u0").inc();
    c.labelValues("u1").inc();
    c.labelValues("u2").inc();
    assertThat(c.overflowCount()).isEqualTo(1);

    c.cardinalityLimit(4);
    c.labelValues("u2").inc();
    c.labelValues("u3").inc();
    assertThat(c.childCount()).isEqualTo(4);
    assertThat(c.overflowCount()).isEqualTo(1);

    c.cardinalityLimit(1);
    c.labelValues("u0").inc(); // existing label sets keep their series
    c.labelValues("u4").inc();
    assertThat(c.childCount()).isEqualTo(4);
    assertThat(c.overflowCount()).isEqualTo(2);
    assertThat(
            ((CounterDataPoint) registry.scrape().get("req").dataPoint(Labels.of("user", "u0")))
                .value())
        .isEqualTo(2);

    // Set at run time, it is the metric's own: a registry default does not override it.
    Gauge g = Gauge.builder().name("g").labelNames("a").register(registry);
    g.cardinalityLimit(7);
    registry.defaultCardinalityLimit(2);
    assertThat(g.cardinalityLimit()).isEqualTo(7);
  }

  @Test
  void registryDefaultLimit_appliesToMetricsWithoutTheirOwn() {
    MetricRegistry registry = new MetricRegistry().defaultCardinalityLimit(2);
    Gauge g = Gauge.builder().name("g").labelNames("a").register(registry);
    Gauge own = Gauge.builder().name("h").labelNames("a").cardinalityLimit(5).register(registry);
    assertThat(g.cardinalityLimit()).isEqualTo(2);
    assertThat(own.cardinalityLimit()).isEqualTo(5);
    for (int i = 0; i < 5; i++) {
      g.labelValues("" + i).set(i);
      own.labelValues("" + i).set(i);
    }
    assertThat(g.childCount()).isEqualTo(2);
    assertThat(own.childCount()).isEqualTo(5);
    assertThat(g.overflowCount()).isEqualTo(3);
  }

  @Test
  void idleChildren_expireAtScrape_activeOnesStay() {
    TestClock clock = new TestClock(1_000_000);
    MetricRegistry registry = new MetricRegistry();
    Counter c =
        Counter.builder()
            .name("sessions")
            .labelNames("id")
            .expireAfterIdle(Duration.ofMinutes(5))
            .clock(clock)
            .register(registry);
    c.labelValues("old").inc();
    c.labelValues("busy").inc();
    clock.advance(Duration.ofMinutes(4).toMillis());
    c.labelValues("busy").inc();
    clock.advance(Duration.ofMinutes(2).toMillis());
    var points = registry.scrape().get("sessions").dataPoints();
    assertThat(points).extracting(p -> p.labels().get("id")).containsExactly("busy");
    assertThat(c.childCount()).isEqualTo(1);
  }

  @Test
  void manyChildren_growTheTableAndAllStayReachable() {
    Counter c =
        Counter.builder().name("many").labelNames("a", "b").cardinalityLimit(50_000).build();
    for (int i = 0; i < 20_000; i++) {
      c.labelValues("a" + (i % 100), "b" + i).inc(i);
    }
    for (int i = 0; i < 20_000; i += 7) {
      c.remove("a" + (i % 100), "b" + i);
    }
    int expected = 0;
    for (int i = 0; i < 20_000; i++) {
      if (i % 7 != 0) {
        expected++;
        assertThat(c.labelValues("a" + (i % 100), "b" + i).get()).isEqualTo(i);
      }
    }
    assertThat(c.childCount()).isEqualTo(expected);
  }
}
