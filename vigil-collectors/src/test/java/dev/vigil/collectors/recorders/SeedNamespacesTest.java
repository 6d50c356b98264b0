package dev.vigil.collectors.recorders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.metrics.exposition.ExpositionFormat;
import dev.vigil.metrics.model.MetricSnapshots;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With a seed's prefix as namespace, the recorders expose the names the seed documents, outside
 * demo mode (docs/metrics.md, "The seeds' names and where they went").
 */
class SeedNamespacesTest {
  private static String metrics(Recorders rec) {
    return ExpositionFormat.PROMETHEUS.writer().toString(new MetricSnapshots(rec.collect()));
  }

  @Test
  void dinoairCustom_givesDinoAirsApplicationMetricNames() {
    Recorders rec = Recorders.builder().namespace("dinoair_custom").build();
    rec.recordApiRequest("comfyui", "/generate", "POST", 500, 1.2);
    rec.recordModelGeneration("llama2-7b", 15.4, true, 256, 512);
    rec.recordError("connection_timeout", "Failed to connect to ComfyUI", "comfyui", "error");
    rec.startUserSession("session_123", "Mozilla/5.0");
    rec.recordWorkflowExecution("image_generation", 20, true, 3, 3);
    String text = metrics(rec);
    for (String name :
        new String[] {
          "dinoair_custom_api_requests_total{",
          "dinoair_custom_api_errors_total{",
          "dinoair_custom_active_sessions 1",
          "dinoair_custom_model_generations_total{",
          "dinoair_custom_error_rate_per_minute 1",
          "dinoair_custom_workflow_executions_total",
        }) {
      assertThat(text).as(name).contains("\n" + name);
    }
  }

  @Test
  void devloop_givesDevLoopsAgentEventAndFileNames() {
    Recorders rec = Recorders.builder().namespace("devloop").build();
    rec.recordAgentRun("linter", "success", 0.245);
    rec.setAgentQueueDepth("linter", 3);
    rec.recordEventProcessed("file_changed", 0.04);
    rec.setFilesWatched(9842);
    rec.recordFilesChanged(1);
    String text = metrics(rec);
    for (String name :
        new String[] {
          "devloop_agent_runs_total{agent=\"linter\",status=\"success\"} 1",
          "devloop_agent_queue_depth{agent=\"linter\"} 3",
          "devloop_events_processed_total{",
          "devloop_files_watched 9842",
          "devloop_files_changed_total 1",
        }) {
      assertThat(text).as(name).contains("\n" + name);
    }
  }

  @Test
  void vibezen_givesItsOperationDurations_andSystemMetrics() {
    Recorders rec = Recorders.builder().namespace("vibezen").build();
    try (Span s = rec.measureDuration("code_generation", Map.of())) {
      s.attribute("lines_generated", 100);
    }
    rec.recordSystemMetric("cache_hit_rate", 0.7, Map.of("provider", "openai"));
    assertThat(metrics(rec))
        .contains("\nvibezen_operation_duration_seconds_count{operation=\"code_generation\"")
        .contains("\nvibezen_system_metric_gauge{type=\"cache_hit_rate\"} 0.7");
  }
}
