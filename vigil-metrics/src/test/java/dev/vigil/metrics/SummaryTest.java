package dev.vigil.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.metrics.model.SummaryDataPoint;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SummaryTest {
  @Test
  void quantiles_stayWithinTheDocumentedRelativeError() {
    Summary s = Summary.builder().name("lat").quantiles(0.5, 0.9, 0.99).build();
    Random r = new Random(42);
    double[] values = new double[100_000];
    for (int i = 0; i < values.length; i++) {
      values[i] = Math.exp(r.nextGaussian() * 2); // log-normal, wide range
      s.observe(values[i]);
    }
    Arrays.sort(values);
    SummaryDataPoint p = (SummaryDataPoint) s.snapshot().dataPoints().get(0);
    assertThat(p.count()).isEqualTo(values.length);
    for (int i = 0; i < p.quantileCount(); i++) {
      double exact = values[(int) Math.floor(p.quantile(i) * (values.length - 1))];
      assertThat(p.value(i)).isCloseTo(exact, within(exact * 0.01));
    }
  }

  @Test
  void negativeAndZeroValues_areOrderedCorrectly() {
    Summary s = Summary.builder().name("d").quantiles(0, 0.5, 1).build();
    for (double v : new double[] {-10, -1, 0, 0, 0, 2, 30}) {
      s.observe(v);
    }
    SummaryDataPoint p = (SummaryDataPoint) s.snapshot().dataPoints().get(0);
    assertThat(p.value(0)).isCloseTo(-10, within(0.1));
    assertThat(p.value(1)).isZero();
    assertThat(p.value(2)).isCloseTo(30, within(0.3));
  }

  @Test
  void window_forgetsObservationsOlderThanMaxAge() {
    TestClock clock = new TestClock(0);
    Summary s =
        Summary.builder()
            .name("w")
            .quantiles(0.5)
            .maxAge(Duration.ofSeconds(50))
            .ageBuckets(5)
            .clock(clock)
            .build();
    for (int i = 0; i < 100; i++) {
      s.observe(1000);
    }
    clock.advance(30_000);
    for (int i = 0; i < 50; i++) {
      s.observe(1);
    }
    assertThat(s.labelValues().quantile(0.5)).isCloseTo(1000, within(10.0));
    clock.advance(30_000); // the 1000s are now 60 s old, past maxAge + one step
    assertThat(s.labelValues().quantile(0.5)).isCloseTo(1, within(0.01));
    clock.advance(100_000);
    assertThat(s.labelValues().quantile(0.5)).isNaN();
    SummaryDataPoint p = (SummaryDataPoint) s.snapshot().dataPoints().get(0);
    assertThat(p.count()).isEqualTo(150);
    assertThat(p.sum()).isEqualTo(100_050);
  }
}
