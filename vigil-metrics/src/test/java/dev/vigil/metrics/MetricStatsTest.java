package dev.vigil.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link MetricRegistry#stats}: AgentOS' getStats(name) over histograms, timers and summaries. */
class MetricStatsTest {
  private final MetricRegistry registry = new MetricRegistry();

  @Test
  void histogram_countSumMeanExact_quantilesAsHistogramQuantile_minMaxAsBucketBounds() {
    Histogram h = Histogram.builder().name("job_seconds").buckets(1, 2, 4).register(registry);
    for (double v : new double[] {0.5, 1.5, 1.5, 3, 10}) {
      h.observe(v);
    }
    MetricStats s = registry.stats("job_seconds");
    assertThat(s.count()).isEqualTo(5);
    assertThat(s.sum()).isEqualTo(16.5);
    assertThat(s.mean()).isEqualTo(3.3);
    // Rank 2.5 falls in (1, 2] holding 2 of 5, after 1: 1 + (2.5 - 1) / 2.
    assertThat(s.quantile(0.5)).isEqualTo(1.75);
    assertThat(s.quantiles()).containsEntry(0.5, 1.75);
    // Rank 4.75 falls in +Inf: the highest finite bound, as histogram_quantile answers.
    assertThat(s.quantile(0.95)).isEqualTo(4);
    assertThat(s.quantile(0.25)).isEqualTo(1.125); // rank 1.25: 1 + 0.25 / 2
    assertThat(s.min()).isEqualTo(0);
    assertThat(s.max()).isEqualTo(4);
  }

  @Test
  void labelPairs_selectSeries_andWithoutPairsAllSeriesAddUp() {
    Histogram h =
        Histogram.builder()
            .name("agent_execution_duration_seconds")
            .labelNames("agent")
            .buckets(0.1, 1, 10)
            .register(registry);
    h.labelValues("linter").observe(0.5);
    h.labelValues("linter").observe(0.7);
    h.labelValues("security").observe(5);
    MetricStats linter = registry.stats("agent_execution_duration_seconds", "agent", "linter");
    assertThat(linter.count()).isEqualTo(2);
    assertThat(linter.sum()).isCloseTo(1.2, within(1e-12));
    assertThat(linter.min()).isEqualTo(0.1);
    assertThat(linter.max()).isEqualTo(1);
    MetricStats all = registry.stats("agent_execution_duration_seconds");
    assertThat(all.count()).isEqualTo(3);
    assertThat(all.max()).isEqualTo(10);
    MetricStats none = registry.stats("agent_execution_duration_seconds", "agent", "nobody");
    assertThat(none.count()).isZero();
    assertThat(none.mean()).isNaN();
    assertThat(none.quantile(0.5)).isNaN();
  }

  @Test
  void timer_isFoundByItsNameWithoutSeconds() {
    Timer t = Timer.builder().name("tool_execution").register(registry);
    t.observe(0.2);
    t.observe(0.4);
    MetricStats s = registry.stats("tool_execution");
    assertThat(s.name()).isEqualTo("tool_execution_seconds");
    assertThat(s.count()).isEqualTo(2);
    assertThat(s.mean()).isCloseTo(0.3, within(1e-12));
  }

  @Test
  void summary_givesItsOwnQuantiles_andMinMaxFromRanks0And1() {
    Summary s = Summary.builder().name("lat").quantiles(0, 0.5, 1).register(registry);
    for (double v : new double[] {1, 2, 3, 4, 100}) {
      s.observe(v);
    }
    MetricStats st = registry.stats("lat");
    assertThat(st.count()).isEqualTo(5);
    assertThat(st.sum()).isEqualTo(110);
    assertThat(st.quantile(0.5)).isCloseTo(3, within(0.03));
    assertThat(st.min()).isCloseTo(1, within(0.01));
    assertThat(st.max()).isCloseTo(100, within(1.0));
    assertThat(st.quantile(0.9)).isNaN(); // a rank the summary does not have
  }

  @Test
  void accuracy_quantileErrorStaysWithinTheBucketWidth() {
    Histogram h =
        Histogram.builder()
            .name("uniform")
            .buckets(Buckets.linear(0.1, 0.1, 10))
            .register(registry);
    Random r = new Random(7);
    double[] values = new double[10_000];
    for (int i = 0; i < values.length; i++) {
      values[i] = r.nextDouble();
      h.observe(values[i]);
    }
    Arrays.sort(values);
    MetricStats s = registry.stats("uniform");
    for (double q : new double[] {0.5, 0.9, 0.95, 0.99}) {
      double exact = values[(int) (q * (values.length - 1))];
      assertThat(s.quantile(q)).as("p%s", q).isCloseTo(exact, within(0.1));
    }
  }

  @Test
  void notAHistogram_orUnknown_isRefusedWithTheName() {
    Counter.builder().name("requests").register(registry);
    assertThatThrownBy(() -> registry.stats("requests"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("requests is a counter");
    assertThatThrownBy(() -> registry.stats("nothing"))
        .hasMessageContaining("no metric named nothing");
    Histogram.builder().name("h").register(registry);
    assertThatThrownBy(() -> registry.stats("h", "odd")).hasMessageContaining("label pairs");
  }
}
