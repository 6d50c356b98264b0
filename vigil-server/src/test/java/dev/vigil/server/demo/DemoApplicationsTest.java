package dev.vigil.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collectors.recorders.ModelPrice;
import dev.vigil.collectors.recorders.Recorders;
import dev.vigil.metrics.MetricRegistry;
import dev.vigil.promql.Engine;
import dev.vigil.server.seeds.DashboardData;
import dev.vigil.server.testing.TestStorage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoApplicationsTest {
  private static Recorders recorders() {
    Recorders.Builder b = Recorders.builder().namespace("app");
    for (Object[] p : DemoApplications.PRICES) {
      b.modelPrice((String) p[0], new ModelPrice((double) p[1], (double) p[2], "USD"));
    }
    return b.build();
  }

  @Test
  void ticks_feedEveryRecorderAndTheSeedsOwnNames() throws Exception {
    MetricRegistry registry = new MetricRegistry();
    Recorders rec = recorders();
    registry.register(rec);
    DemoApplications demo = new DemoApplications(rec, registry, 7, () -> 1_700_000_000_000L);
    for (int i = 0; i < 120; i++) {
      demo.tick();
    }
    String text = new String(demo.exposition(registry), StandardCharsets.UTF_8);
    for (String name :
        List.of(
            "app_api_requests_total",
            "app_model_cost_total",
            "app_active_sessions",
            "app_agent_last_heartbeat_timestamp_seconds",
            "app_file_operations_total",
            "app_cache_requests_total",
            "app_workflow_executions_total",
            "dinoair_cpu_usage_percent",
            "dinoair_custom_api_requests_total",
            "dinoair_active_services_total",
            "kernel_syscall_permission_denied",
            "devloop_agent_runs_total",
            "devloop_agent_execution_duration_ms_bucket",
            "devloop_event_latency_ms_bucket",
            "backend_http_requests_total",
            "ai_llm_calls_total",
            "kernel_uptime_seconds",
            "file_write_success_total",
            "file_operation_queue_length",
            "vibezen_response_time_ms_bucket",
            "vibezen_cost_usd_total")) {
      assertThat(text).as(name).contains("\n" + name);
    }
  }

  @Test
  void backfill_givesEveryWidgetDataAndTheSeedsQueriesAnswers() throws Exception {
    MetricRegistry registry = new MetricRegistry();
    Recorders rec = recorders();
    registry.register(rec);
    long now = 1_700_000_000_000L;
    DemoApplications demo = new DemoApplications(rec, registry, 7, () -> now);
    TestStorage store = new TestStorage();
    long written = demo.backfill(store, registry, 0.5, "vigil", "127.0.0.1:9470");
    assertThat(written).isGreaterThan(10_000);
    Engine engine = Engine.builder(store).build();
    // The history ends with stale markers just before now; look at it a minute earlier.
    long at = now - 60_000;
    DashboardData d = new DashboardData(engine, rec.namespace(), rec::recentErrors, () -> at);
    Map<String, Object> overview = d.widget("overview", 1);
    assertThat(overview.get("status")).isIn("healthy", "degraded", "critical");
    assertThat((Long) overview.get("total_requests")).isGreaterThan(100);
    assertThat(((Map<?, ?>) overview.get("resources")).get("cpu")).isNotNull();
    Map<String, Object> models = d.widget("models", 0.5);
    assertThat((Double) models.get("total_cost")).isGreaterThan(0);
    assertThat((List<?>) d.widget("agents", 0.5).get("agents")).hasSize(4);
    assertThat((List<?>) d.widget("files", 0.5).get("operations")).hasSize(4);
    assertThat((List<?>) d.widget("api", 0.5).get("services")).hasSize(5);
    // At now the history has ended: stale markers, so no double counting with the live series.
    assertThat(engine.instantQuery("app_active_sessions", now).vector()).isEmpty();
    // The seeds' own queries (DevLoop's success rate, AgentOS' latency) find data.
    assertThat(
            engine
                .instantQuery(
                    "sum(rate(devloop_agent_runs_total{status=\"success\"}[5m])) / sum(rate(devloop_agent_runs_total[5m]))",
                    at)
                .vector())
        .singleElement()
        .satisfies(s -> assertThat(s.value()).isBetween(0.8, 1.0));
    assertThat(
            engine
                .instantQuery(
                    "histogram_quantile(0.95, sum by (le) (rate(backend_http_request_duration_seconds_bucket[5m])))",
                    at)
                .vector())
        .singleElement()
        .satisfies(s -> assertThat(s.value()).isBetween(0.01, 1.0));
  }
}
