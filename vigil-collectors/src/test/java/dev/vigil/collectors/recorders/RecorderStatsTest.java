package dev.vigil.collectors.recorders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.metrics.MetricRegistry;
import dev.vigil.metrics.MetricStats;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AgentOS' getStats(name) over the recorders' histograms, namespaced or through a registry. */
class RecorderStatsTest {
  private final Recorders rec = Recorders.builder().namespace("agentos").build();

  @Test
  void stats_ofAnAgentsRuns_countSumMeanAndBucketQuantiles() {
    for (double s : new double[] {0.2, 0.3, 0.4, 2, 40}) {
      rec.recordAgentRun("linter", "success", s);
    }
    rec.recordAgentRun("security", "success", 100);
    MetricStats linter = rec.stats("agent_execution_duration_seconds", "agent", "linter");
    assertThat(linter.name()).isEqualTo("agentos_agent_execution_duration_seconds");
    assertThat(linter.count()).isEqualTo(5);
    assertThat(linter.sum()).isCloseTo(42.9, within(1e-9));
    assertThat(linter.mean()).isCloseTo(8.58, within(1e-9));
    // Buckets ... 0.1, 0.25, 0.5, 1, 2.5 ...: rank 2.5 is in (0.25, 0.5] (2 of 5, 1 below).
    assertThat(linter.quantile(0.5)).isCloseTo(0.25 + 0.25 * 0.75, within(1e-12));
    assertThat(linter.min()).isEqualTo(0.1);
    assertThat(linter.max()).isEqualTo(60);
    assertThat(rec.stats("agent_execution_duration_seconds").count()).isEqualTo(6);
  }

  @Test
  void stats_ofTimedOperations_andThroughTheRegistry() {
    for (int i = 0; i < 3; i++) {
      try (Span s = rec.measureDuration("tool_execution", Map.of())) {
        s.attribute("i", i);
      }
    }
    assertThat(rec.stats("operation_duration_seconds", "operation", "tool_execution").count())
        .isEqualTo(3);
    MetricRegistry registry = new MetricRegistry();
    registry.register(rec);
    rec.recordApiRequest("backend", "/tools", "POST", 200, 0.3);
    MetricStats api = registry.stats("agentos_api_request_duration_seconds");
    assertThat(api.count()).isEqualTo(1);
    assertThat(api.sum()).isEqualTo(0.3);
  }

  @Test
  void unknownName_orACounter_isRefusedWithTheName() {
    assertThatThrownBy(() -> rec.stats("tool_execution"))
        .hasMessageContaining("no metric named agentos_tool_execution");
    assertThatThrownBy(() -> rec.stats("api_requests"))
        .hasMessageContaining("agentos_api_requests is a counter");
  }
}
