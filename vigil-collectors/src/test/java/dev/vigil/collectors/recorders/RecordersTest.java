package dev.vigil.collectors.recorders;

import static dev.vigil.collectors.Snapshots.family;
import static dev.vigil.collectors.Snapshots.histogram;
import static dev.vigil.collectors.Snapshots.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.metrics.model.HistogramDataPoint;
import dev.vigil.metrics.model.Labels;
import dev.vigil.metrics.model.MetricSnapshot;
import dev.vigil.metrics.model.StateSetDataPoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordersTest {
  private final AtomicLong millis = new AtomicLong(1_795_600_000_000L);
  private final AtomicLong nanos = new AtomicLong();
  private final Recorders rec =
      Recorders.builder()
          .namespace("dinoair")
          .clock(millis::get)
          .nanoClock(nanos::get)
          .modelPrice("gpt-4o", new ModelPrice(2.5, 10, "USD"))
          .sessionIdleTimeout(Duration.ofMinutes(30))
          .errorLogCapacity(3)
          .build();

  private List<MetricSnapshot> scrape() {
    return rec.collect();
  }

  @Test
  void namespace_prefixesEveryName_andDefaultsToApp() {
    assertThat(rec.namespace()).isEqualTo("dinoair_");
    assertThat(scrape()).allSatisfy(s -> assertThat(s.name()).startsWith("dinoair_"));
    assertThat(Recorders.builder().build().namespace()).isEqualTo("app_");
    assertThat(Recorders.builder().namespace("").build().namespace()).isEmpty();
    assertThatThrownBy(() -> Recorders.builder().namespace("my-app").build())
        .hasMessageContaining("namespace 'my-app'");
  }

  @Test
  void recordApiRequest_countsRequestsErrorsAndDuration() {
    rec.recordApiRequest("comfyui", "/generate", "POST", 200, 1.23);
    rec.recordApiRequest("comfyui", "/generate", "post", 503, 0.5);
    rec.recordApiRequest("comfyui", "/generate", "BREW", 200, 0.1);
    List<MetricSnapshot> s = scrape();
    assertThat(
            value(
                s,
                "dinoair_api_requests",
                "service",
                "comfyui",
                "endpoint",
                "/generate",
                "method",
                "POST",
                "status",
                "200"))
        .isEqualTo(1);
    assertThat(
            value(
                s,
                "dinoair_api_errors",
                "service",
                "comfyui",
                "endpoint",
                "/generate",
                "method",
                "POST",
                "status",
                "503"))
        .isEqualTo(1);
    assertThat(
            value(
                s,
                "dinoair_api_requests",
                "service",
                "comfyui",
                "endpoint",
                "/generate",
                "method",
                "OTHER",
                "status",
                "200"))
        .isEqualTo(1);
    HistogramDataPoint h =
        histogram(
            s,
            "dinoair_api_request_duration_seconds",
            "service",
            "comfyui",
            "endpoint",
            "/generate",
            "method",
            "POST");
    assertThat(h.count()).isEqualTo(2);
    assertThat(h.sum()).isCloseTo(1.73, within(1e-9));
  }

  @Test
  void recordApiRequest_badInput_isRefusedBeforeAnythingIsRecorded() {
    assertThatThrownBy(() -> rec.recordApiRequest(null, "/x", "GET", 200, 1))
        .hasMessage("recordApiRequest: service is null or empty");
    assertThatThrownBy(() -> rec.recordApiRequest("s", "", "GET", 200, 1))
        .hasMessage("recordApiRequest: endpoint is null or empty");
    assertThatThrownBy(() -> rec.recordApiRequest("s", "/x", "GET", 99, 1))
        .hasMessageContaining("status code must be 100-599, got 99");
    assertThatThrownBy(() -> rec.recordApiRequest("s", "/x", "GET", 200, -0.1))
        .hasMessageContaining("seconds must be a finite duration >= 0");
    assertThatThrownBy(() -> rec.recordApiRequest("s", "/x", "GET", 200, Double.NaN))
        .hasMessageContaining("got NaN");
    assertThatThrownBy(() -> rec.recordApiRequest("s", "/x".repeat(100), "GET", 200, 1))
        .hasMessageContaining("longer than 128");
    assertThat(family(scrape(), "dinoair_api_requests").dataPoints()).isEmpty();
  }

  @Test
  void startApiRequest_countsInFlightUntilClosed() {
    ApiRequestScope r = rec.startApiRequest("svc", "/a", "GET");
    assertThat(
            value(scrape(), "dinoair_api_requests_in_flight", "service", "svc", "endpoint", "/a"))
        .isEqualTo(1);
    r.status(404).close();
    r.close();
    List<MetricSnapshot> s = scrape();
    assertThat(value(s, "dinoair_api_requests_in_flight", "service", "svc", "endpoint", "/a"))
        .isZero();
    assertThat(
            value(
                s,
                "dinoair_api_errors",
                "service",
                "svc",
                "endpoint",
                "/a",
                "method",
                "GET",
                "status",
                "404"))
        .isEqualTo(1);
    try (ApiRequestScope unanswered = rec.startApiRequest("svc", "/a", "GET")) {
      assertThat(unanswered).isNotNull();
    }
    assertThat(
            value(
                scrape(),
                "dinoair_api_requests",
                "service",
                "svc",
                "endpoint",
                "/a",
                "method",
                "GET",
                "status",
                "500"))
        .isEqualTo(1);
  }

  @Test
  void recordModelGeneration_countsTokensCostAndQueue() {
    rec.recordModelGeneration("llama2-7b", 15.4, true, 256, 512);
    rec.recordModelGeneration("gpt-4o", "openai", 2.0, false, 1000, 2000);
    rec.setModelQueueSize("llama2-7b", 3);
    List<MetricSnapshot> s = scrape();
    assertThat(
            value(
                s,
                "dinoair_model_generations",
                "model",
                "llama2-7b",
                "provider",
                "unknown",
                "status",
                "success"))
        .isEqualTo(1);
    assertThat(
            value(
                s,
                "dinoair_model_generations",
                "model",
                "gpt-4o",
                "provider",
                "openai",
                "status",
                "failure"))
        .isEqualTo(1);
    assertThat(
            value(
                s,
                "dinoair_model_tokens",
                "model",
                "llama2-7b",
                "provider",
                "unknown",
                "type",
                "output"))
        .isEqualTo(512);
    assertThat(
            value(
                s,
                "dinoair_model_cost",
                "model",
                "gpt-4o",
                "provider",
                "openai",
                "currency",
                "USD"))
        .isCloseTo(2.5 + 20, within(1e-9));
    assertThat(family(s, "dinoair_model_cost").dataPoints()).hasSize(1); // llama has no price
    assertThat(value(s, "dinoair_model_queue_size", "model", "llama2-7b")).isEqualTo(3);
    assertThatThrownBy(() -> rec.recordModelGeneration("m", 1, true, -1, 0))
        .hasMessageContaining("promptTokens must be >= 0");
    assertThatThrownBy(() -> rec.setModelQueueSize("m", -2))
        .hasMessageContaining("size must be >= 0");
    assertThatThrownBy(() -> new ModelPrice(-1, 0, "USD")).hasMessageContaining(">= 0");
  }

  @Test
  void recordError_countsBySeverity_keepsRecentLog_andRatePerMinute() {
    rec.recordError("connection_timeout", "Failed to connect to ComfyUI", "comfyui", "error");
    rec.recordError("slow", "slow answer", "comfyui", "WARN");
    rec.recordError("disk", "disk full", "storage", "Critical");
    rec.recordError("note", null, "storage", "info");
    List<MetricSnapshot> s = scrape();
    assertThat(
            value(
                s,
                "dinoair_errors",
                "type",
                "connection_timeout",
                "service",
                "comfyui",
                "severity",
                "error"))
        .isEqualTo(1);
    assertThat(
            value(s, "dinoair_errors", "type", "slow", "service", "comfyui", "severity", "warning"))
        .isEqualTo(1);
    assertThat(value(s, "dinoair_warnings", "service", "comfyui")).isEqualTo(1);
    assertThat(value(s, "dinoair_error_rate_per_minute")).isEqualTo(2);
    assertThat(rec.recentErrors())
        .extracting(ErrorLog.Entry::type)
        .containsExactly("slow", "disk", "note");
    assertThat(rec.recentErrors().get(0).timestampMillis()).isEqualTo(millis.get());
    millis.addAndGet(61_000);
    assertThat(rec.errorsLastMinute()).isZero();
    assertThatThrownBy(() -> rec.recordError("t", "m", "s", "fatalish"))
        .hasMessageContaining("unknown severity 'fatalish'")
        .hasMessageContaining("critical");
    assertThatThrownBy(() -> rec.recordError("t", "m", "s", null))
        .hasMessageContaining("severity is null");
    assertThatThrownBy(() -> rec.recordError("", "m", "s", "error"))
        .hasMessageContaining("type is null or empty");
  }

  @Test
  void userSessions_activeDurationAndIdleExpiry() {
    rec.startUserSession("session_123", "Mozilla/5.0 (X11) Chrome/120.0 Safari/537.36");
    rec.startUserSession("session_456", null);
    assertThat(rec.activeSessions()).isEqualTo(2);
    nanos.addAndGet(Duration.ofSeconds(90).toNanos());
    assertThat(rec.endUserSession("session_123")).isTrue();
    assertThat(rec.endUserSession("session_123")).isFalse();
    nanos.addAndGet(Duration.ofMinutes(31).toNanos());
    List<MetricSnapshot> s = scrape(); // expires session_456
    assertThat(value(s, "dinoair_active_sessions")).isZero();
    assertThat(value(s, "dinoair_sessions_started", "agent_family", "chrome")).isEqualTo(1);
    assertThat(value(s, "dinoair_sessions_started", "agent_family", "unknown")).isEqualTo(1);
    assertThat(value(s, "dinoair_sessions_ended", "reason", "expired")).isEqualTo(1);
    HistogramDataPoint d = histogram(s, "dinoair_session_duration_seconds");
    assertThat(d.count()).isEqualTo(2);
    assertThat(d.sum()).isCloseTo(90.0, within(1e-9));
    assertThatThrownBy(() -> rec.startUserSession("", "x"))
        .hasMessageContaining("id is null or empty");
  }

  @Test
  void sessionLimit_refusesAndCounts() {
    Recorders small = Recorders.builder().maxSessions(1).build();
    small.startUserSession("a", null);
    small.startUserSession("b", null);
    assertThat(small.activeSessions()).isEqualTo(1);
    assertThat(value(small.collect(), "app_sessions_rejected")).isEqualTo(1);
  }

  @Test
  void recordWorkflowExecution_countsStepsAndStatus() {
    rec.recordWorkflowExecution("image_generation", 45.2, true, 5, 5);
    rec.recordWorkflowExecution("image_generation", 3, false, 2, 5);
    List<MetricSnapshot> s = scrape();
    assertThat(
            value(
                s,
                "dinoair_workflow_executions",
                "workflow",
                "image_generation",
                "status",
                "failure"))
        .isEqualTo(1);
    assertThat(value(s, "dinoair_workflow_steps_completed", "workflow", "image_generation"))
        .isEqualTo(7);
    assertThat(value(s, "dinoair_workflow_steps_planned", "workflow", "image_generation"))
        .isEqualTo(10);
    assertThatThrownBy(() -> rec.recordWorkflowExecution("w", 1, true, 6, 5))
        .hasMessageContaining("stepsCompleted (6) exceeds totalSteps (5)");
    assertThatThrownBy(() -> rec.recordWorkflowExecution("w", 1, true, -1, 5))
        .hasMessageContaining("stepsCompleted must be >= 0");
  }

  @Test
  void recordFileOperation_countsAndWritesSeedEvents(@TempDir Path dir) throws Exception {
    Path events = dir.resolve("file-events.jsonl");
    Recorders r =
        Recorders.builder().namespace("dreamos").fileEventsLog(events).clock(() -> 0).build();
    r.recordFileOperation("write", "data\\out.json", 2048, 0.01, true, null);
    r.recordFileOperation("read", "/etc/missing", 0, 0.001, false, "No such file");
    r.recordFileOperation("create", "/tmp/new-dir", -1, 0.002, true, null);
    r.recordFileOperation("upload", 1_024_000, 2.1, true);
    r.setFileOperationQueueLength(4);
    List<MetricSnapshot> s = r.collect();
    assertThat(value(s, "dreamos_file_operations", "operation", "write", "status", "success"))
        .isEqualTo(1);
    assertThat(value(s, "dreamos_file_operations", "operation", "read", "status", "failure"))
        .isEqualTo(1);
    assertThat(value(s, "dreamos_file_operations", "operation", "upload", "status", "success"))
        .isEqualTo(1);
    assertThat(histogram(s, "dreamos_file_size_bytes", "operation", "write").sum()).isEqualTo(2048);
    assertThat(histogram(s, "dreamos_file_size_bytes", "operation", "create")).isNull();
    assertThat(value(s, "dreamos_file_operation_queue_length")).isEqualTo(4);
    r.close();
    List<String> lines = Files.readAllLines(events);
    String cwd = Path.of("").toAbsolutePath().toString();
    assertThat(lines)
        .containsExactly(
            "{\"event\":\"file_write\",\"path\":\""
                + cwd
                + "/data/out.json\",\"size\":2048,"
                + "\"timestamp\":\"1970-01-01T00:00:00.000Z\",\"status\":\"success\"}",
            "{\"event\":\"file_read\",\"path\":\"/etc/missing\",\"size\":0,"
                + "\"timestamp\":\"1970-01-01T00:00:00.000Z\",\"status\":\"failure\",\"error\":\"No such file\"}",
            "{\"event\":\"dir_operation\",\"path\":\"/tmp/new-dir\",\"operation\":\"create\","
                + "\"timestamp\":\"1970-01-01T00:00:00.000Z\",\"status\":\"success\"}");
    assertThatThrownBy(() -> r.recordFileOperation("Write!", "/x", 1, 0.1, true, null))
        .hasMessageContaining("must match");
    assertThatThrownBy(() -> r.recordFileOperation("read", "", 1, 0.1, true, null))
        .hasMessageContaining("file path is null or empty");
    assertThatThrownBy(() -> r.recordFileOperation("read", "/x", -5, 0.1, true, null))
        .hasMessageContaining("bytes must be >= 0");
  }

  @Test
  void recordGrpcCall_countsCallsByCodeAndMessagesEachWay_refusesUnknownTypesAndCodes() {
    rec.recordGrpcCall("cart", "/shop.Cart/List", "server_streaming", "OK", 1, 12);
    rec.recordGrpcCall("cart", "/shop.Cart/List", "server_streaming", "CANCELLED", 1, 3);
    List<MetricSnapshot> s = scrape();
    assertThat(
            value(
                s,
                "dinoair_grpc_calls",
                "code",
                "CANCELLED",
                "endpoint",
                "/shop.Cart/List",
                "service",
                "cart",
                "type",
                "server_streaming"))
        .isEqualTo(1);
    assertThat(
            value(
                s,
                "dinoair_grpc_messages_sent",
                "endpoint",
                "/shop.Cart/List",
                "service",
                "cart",
                "type",
                "server_streaming"))
        .isEqualTo(15);
    assertThatThrownBy(() -> rec.recordGrpcCall("cart", "/a/B", "streaming", "OK", 0, 0))
        .hasMessageContaining("recordGrpcCall: type must be one of");
    assertThatThrownBy(() -> rec.recordGrpcCall("cart", "/a/B", "unary", "404", 0, 0))
        .hasMessageContaining("recordGrpcCall: code must be a gRPC status code name");
    assertThatThrownBy(() -> rec.recordGrpcCall("cart", "/a/B", "unary", "OK", -1, 0))
        .hasMessageContaining("messagesReceived must be >= 0");
  }

  @Test
  void recordCacheOperation_hitsMissesAndRatio() {
    rec.recordCacheOperation("prompts", "get", true, 0.0001);
    rec.recordCacheOperation("prompts", "get", true, 0.0001);
    rec.recordCacheOperation("prompts", "get", false, 0.002);
    rec.recordCacheOperation("prompts", "get", true, 0.0001);
    List<MetricSnapshot> s = scrape();
    assertThat(
            value(
                s,
                "dinoair_cache_requests",
                "cache",
                "prompts",
                "operation",
                "get",
                "result",
                "hit"))
        .isEqualTo(3);
    assertThat(
            value(
                s,
                "dinoair_cache_requests",
                "cache",
                "prompts",
                "operation",
                "get",
                "result",
                "miss"))
        .isEqualTo(1);
    assertThat(value(s, "dinoair_cache_hit_ratio", "cache", "prompts")).isEqualTo(0.75);
    assertThatThrownBy(() -> rec.recordCacheOperation("c", null, true, 0))
        .hasMessageContaining("operation is null");
  }

  @Test
  void agents_heartbeatStatusRunsQueueMessagesErrorsRecoveries() {
    rec.recordAgentHeartbeat("linter");
    rec.setAgentStatus("linter", "running");
    rec.setAgentStatus("linter", "idle");
    rec.recordAgentRun("linter", "success", 0.245);
    rec.recordAgentRun("linter", "failure", 1.5);
    rec.setAgentQueueDepth("linter", 3);
    rec.recordAgentMessage("linter", 0.004);
    rec.recordAgentError("linter");
    rec.recordAgentWarning("linter");
    rec.recordAgentRecovery("linter", 12);
    List<MetricSnapshot> s = scrape();
    assertThat(value(s, "dinoair_agent_last_heartbeat_timestamp_seconds", "agent", "linter"))
        .isEqualTo(millis.get() / 1000.0);
    assertThat(value(s, "dinoair_agent_runs", "agent", "linter", "status", "failure")).isEqualTo(1);
    assertThat(value(s, "dinoair_agent_last_run_seconds", "agent", "linter")).isEqualTo(1.5);
    assertThat(value(s, "dinoair_agent_queue_depth", "agent", "linter")).isEqualTo(3);
    assertThat(value(s, "dinoair_agent_messages_processed", "agent", "linter")).isEqualTo(1);
    assertThat(value(s, "dinoair_agent_errors", "agent", "linter")).isEqualTo(1);
    assertThat(value(s, "dinoair_agent_warnings", "agent", "linter")).isEqualTo(1);
    assertThat(value(s, "dinoair_agent_recoveries", "agent", "linter")).isEqualTo(1);
    StateSetDataPoint st =
        (StateSetDataPoint)
            family(s, "dinoair_agent_status").dataPoint(Labels.of("agent", "linter"));
    for (int i = 0; i < st.size(); i++) {
      assertThat(st.enabled(i)).as(st.state(i)).isEqualTo(st.state(i).equals("idle"));
    }
    assertThatThrownBy(() -> rec.setAgentStatus("linter", "sleepy"))
        .hasMessageContaining("unknown status 'sleepy'");
    assertThatThrownBy(() -> rec.recordAgentRecovery("linter", -1)).hasMessageContaining(">= 0");
  }

  @Test
  void eventsAndQueues() {
    rec.recordEventProcessed("file_change", 0.05);
    rec.setQueueSize("events", 42);
    List<MetricSnapshot> s = scrape();
    assertThat(value(s, "dinoair_events_processed", "type", "file_change")).isEqualTo(1);
    assertThat(histogram(s, "dinoair_event_latency_seconds", "type", "file_change").sum())
        .isEqualTo(0.05);
    assertThat(value(s, "dinoair_queue_size", "queue", "events")).isEqualTo(42);
    assertThatThrownBy(() -> rec.setQueueSize("events", -1))
        .hasMessageContaining("size must be >= 0");
  }

  @Test
  void measureDuration_recordsHistogramWithExemplarAndKeepsSpans() {
    Span span = rec.measureDuration("code_generation", Map.of("phase", "implementation"));
    span.attribute("lines_generated", 100);
    span.close();
    try (Span failed = rec.measureDuration("code_generation", null)) {
      failed.error();
    }
    List<MetricSnapshot> s = scrape();
    HistogramDataPoint ok =
        histogram(
            s,
            "dinoair_operation_duration_seconds",
            "operation",
            "code_generation",
            "status",
            "ok");
    assertThat(ok.count()).isEqualTo(1);
    assertThat(ok.hasExemplars()).isTrue();
    assertThat(
            histogram(
                    s,
                    "dinoair_operation_duration_seconds",
                    "operation",
                    "code_generation",
                    "status",
                    "error")
                .count())
        .isEqualTo(1);
    assertThat(rec.recentSpans()).hasSize(2);
    assertThat(rec.recentSpans().get(0).attributes())
        .containsEntry("phase", "implementation")
        .containsEntry("lines_generated", 100);
    assertThatThrownBy(() -> rec.measureDuration(null, null))
        .hasMessageContaining("name is null or empty");
  }

  @Test
  void concurrentRecording_countsExactly() throws Exception {
    int threads = 4;
    int each = 20_000;
    Thread[] ts = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      ts[t] =
          new Thread(
              () -> {
                for (int i = 0; i < each; i++) {
                  rec.recordApiRequest("svc", "/x", "GET", 200, 0.001);
                  rec.recordCacheOperation("c", "get", (i & 1) == 0, 0.0001);
                }
              });
      ts[t].start();
    }
    for (Thread t : ts) {
      t.join();
    }
    List<MetricSnapshot> s = scrape();
    assertThat(
            value(
                s,
                "dinoair_api_requests",
                "service",
                "svc",
                "endpoint",
                "/x",
                "method",
                "GET",
                "status",
                "200"))
        .isEqualTo(threads * each);
    assertThat(value(s, "dinoair_cache_hit_ratio", "cache", "c")).isEqualTo(0.5);
  }
}
