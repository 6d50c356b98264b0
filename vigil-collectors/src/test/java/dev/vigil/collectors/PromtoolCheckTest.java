package dev.vigil.collectors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collectors.recorders.Recorders;
import dev.vigil.collectors.recorders.Span;
import dev.vigil.metrics.MetricRegistry;
import dev.vigil.metrics.exposition.PrometheusTextWriter;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** A full collection passes {@code promtool check metrics} (Debian's prometheus package). */
class PromtoolCheckTest {

  private static String promtool() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File f = new File(dir, "promtool");
      if (f.canExecute()) {
        return f.getPath();
      }
    }
    return null;
  }

  @Test
  void fullCollection_hasNoParseErrorAndOnlyNodeExportersOwnLintWarnings() throws Exception {
    String promtool = promtool();
    Assumptions.assumeTrue(promtool != null, "promtool not installed (scripts/install-test-deps)");
    Recorders rec = Recorders.builder().namespace("dinoair").build();
    rec.recordApiRequest("comfyui", "/generate", "POST", 200, 1.23);
    rec.recordApiRequest("comfyui", "/generate", "POST", 503, 0.2);
    rec.recordModelGeneration("llama2-7b", 15.4, true, 256, 512);
    rec.recordError("connection_timeout", "Failed to connect", "comfyui", "error");
    rec.startUserSession("s1", "Mozilla/5.0 Firefox/120.0");
    rec.recordWorkflowExecution("image_generation", 45.2, true, 5, 5);
    rec.recordFileOperation("write", "/tmp/a.json", 1024, 0.01, true, null);
    rec.recordCacheOperation("prompts", "get", true, 0.0001);
    rec.recordGrpcCall("cart", "/shop.Cart/List", "server_streaming", "OK", 1, 12);
    rec.recordAgentHeartbeat("linter");
    rec.setAgentStatus("linter", "running");
    rec.recordAgentRun("linter", "success", 0.245);
    rec.recordEventProcessed("file_change", 0.05);
    rec.setQueueSize("events", 42);
    rec.recordThinking("planner", 5, 0.8);
    rec.recordRevisions("coder", 2);
    rec.recordViolation("coder", "missing_test", "no test");
    rec.recordFinding("linter", "high", "unused import");
    rec.recordFindingAutofixed("linter");
    rec.recordFalsePositive("linter");
    rec.setOpenFindings("linter", "high", 3);
    rec.recordIssuesPrevented("linter", 1);
    rec.recordCiFailurePrevented("test-runner");
    rec.recordTimeSaved("test-runner", "build", 60);
    rec.recordPush(true);
    rec.recordIncidentStart("service", "comfyui");
    rec.recordRecovered("service", "comfyui");
    rec.recordIncidentStart("agent", "linter");
    try (Span s = rec.measureDuration("code_generation", Map.of("provider", "openai"))) {
      s.attribute("lines_generated", 100);
    }
    MetricRegistry registry = new MetricRegistry();
    HostCollectors host = HostCollectors.builder().recorders(rec).build();
    host.registerAll(registry);
    host.threadGroups().wrap("linter", (Runnable) () -> {}).run();
    registry.scrape(); // first pass fills the status and health inputs
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    PrometheusTextWriter.INSTANCE.write(text, registry.scrape());

    Process p = new ProcessBuilder(promtool, "check", "metrics").redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(text.toByteArray());
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    List<String> problems = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      // node_exporter's own meminfo names (MemTotal, Active_anon...) are camelCase by design.
      boolean nodeExporterName =
          line.startsWith("node_memory_") && line.contains("'snake_case' not 'camelCase'");
      if (!nodeExporterName) {
        problems.add(line);
      }
    }
    assertThat(problems).as("promtool output:%n%s", out).isEmpty();
    String exposition = text.toString(StandardCharsets.UTF_8);
    assertThat(exposition)
        .contains("node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"}")
        .contains("dinoair_api_requests_total{")
        .contains("jvm_memory_used_bytes{area=\"heap\"}")
        .contains("process_cpu_seconds_total ")
        .contains("vigil_health_score ")
        .contains("vigil_collector_success{collector=\"system\"} 1");
    rec.close();
  }
}
