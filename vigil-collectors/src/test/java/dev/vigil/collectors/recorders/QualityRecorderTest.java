package dev.vigil.collectors.recorders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.metrics.exposition.ExpositionFormat;
import dev.vigil.metrics.model.MetricSnapshots;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The quality recorder calls, read back from the Prometheus text exposition. */
class QualityRecorderTest {
  private final AtomicLong millis = new AtomicLong(1_795_600_000_000L);

  private static String text(Recorders rec) {
    return ExpositionFormat.PROMETHEUS.writer().toString(new MetricSnapshots(rec.collect()));
  }

  @Test
  void vibezenThinking_stepsConfidenceRevisionsViolations_perAgent() {
    Recorders rec = Recorders.builder().namespace("vibezen").clock(millis::get).build();
    rec.recordThinking("planner", 7, 0.85);
    rec.recordThinking("planner", 3, 0.4);
    rec.recordThinking("coder", 1, 1.0);
    rec.recordRevisions("coder", 2);
    rec.recordRevisions("coder", 1);
    rec.recordViolation("coder", "missing_test", "no test for Parser.parse");
    String t = text(rec);
    assertThat(t)
        .contains("vibezen_quality_thinking_steps_count{agent=\"planner\"} 2")
        .contains("vibezen_quality_thinking_steps_sum{agent=\"planner\"} 10")
        .contains("vibezen_quality_thinking_steps_bucket{agent=\"planner\",le=\"3.0\"} 1")
        .contains("vibezen_quality_confidence_ratio_bucket{agent=\"planner\",le=\"0.4\"} 1")
        .contains("vibezen_quality_confidence_ratio_sum{agent=\"planner\"} 1.25")
        .contains("vibezen_quality_confidence_ratio_count{agent=\"coder\"} 1")
        .contains("vibezen_quality_revisions_total{agent=\"coder\"} 3")
        .contains("vibezen_quality_violations_total{agent=\"coder\",kind=\"missing_test\"} 1");
    // The detail is an event, never a label.
    assertThat(t).doesNotContain("Parser.parse");
    assertThat(rec.recentQualityEvents())
        .containsExactly(
            new QualityEvent(
                1_795_600_000_000L,
                "violation",
                "coder",
                "missing_test",
                "no test for Parser.parse"));
  }

  @Test
  void devloopFindingsAndValue_perAgentAndSeverity() {
    Recorders rec = Recorders.builder().clock(millis::get).build();
    rec.recordFinding("linter", "HIGH", "unused import");
    rec.recordFinding("linter", "critical", null);
    rec.recordFinding("security", "critical", "hard-coded token");
    rec.recordFindingAutofixed("linter");
    rec.recordFalsePositive("security");
    rec.setOpenFindings("linter", "medium", 12);
    rec.recordIssuesPrevented("linter", 4);
    rec.recordCiFailurePrevented("test-runner");
    rec.recordTimeSaved("test-runner", "build", 90);
    rec.recordTimeSaved("test-runner", "developer", 1.5);
    rec.recordPush(true);
    rec.recordPush(true);
    rec.recordPush(false);
    String t = text(rec);
    assertThat(t)
        .contains("app_quality_findings_total{agent=\"linter\",severity=\"high\"} 1")
        .contains("app_quality_findings_total{agent=\"linter\",severity=\"critical\"} 1")
        .contains("app_quality_findings_total{agent=\"security\",severity=\"critical\"} 1")
        .contains("app_quality_findings_autofixed_total{agent=\"linter\"} 1")
        .contains("app_quality_findings_false_positives_total{agent=\"security\"} 1")
        .contains("app_quality_open_findings{agent=\"linter\",severity=\"medium\"} 12")
        .contains("app_quality_issues_prevented_total{agent=\"linter\"} 4")
        .contains("app_quality_ci_failures_prevented_total{agent=\"test-runner\"} 1")
        .contains("app_quality_time_saved_seconds_total{agent=\"test-runner\",kind=\"build\"} 90")
        .contains(
            "app_quality_time_saved_seconds_total{agent=\"test-runner\",kind=\"developer\"} 1.5")
        .contains("app_quality_pushes_total{result=\"success\"} 2")
        .contains("app_quality_pushes_total{result=\"failure\"} 1");
    assertThat(rec.recentQualityEvents())
        .extracting(
            QualityEvent::type, QualityEvent::agent, QualityEvent::kind, QualityEvent::detail)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("finding", "linter", "high", "unused import"),
            org.assertj.core.groups.Tuple.tuple("finding", "linter", "critical", ""),
            org.assertj.core.groups.Tuple.tuple(
                "finding", "security", "critical", "hard-coded token"));
  }

  @Test
  void qualityEvents_areSampled_andTheRingKeepsTheLastOnes() {
    double[] u = {0.3, 0.7};
    int[] i = {0};
    Recorders rec =
        Recorders.builder()
            .sampling("quality", 0.5)
            .samplingRandom(() -> u[i[0]++ % 2])
            .qualityLogCapacity(2)
            .build();
    for (int n = 0; n < 8; n++) {
      rec.recordViolation("coder", "spec", "v" + n);
    }
    assertThat(text(rec)).contains("app_quality_violations_total{agent=\"coder\",kind=\"spec\"} 8");
    assertThat(rec.recentQualityEvents())
        .extracting(QualityEvent::detail)
        .containsExactly("v4", "v6");
  }

  @Test
  void badInput_isRefusedNamingMethodAndArgument_beforeAnythingIsRecorded() {
    Recorders rec = Recorders.builder().build();
    assertThatThrownBy(() -> rec.recordThinking("planner", 3, 1.2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("recordThinking: confidence must be within 0-1, got 1.2");
    assertThatThrownBy(() -> rec.recordThinking("planner", -1, 0.5))
        .hasMessageContaining("recordThinking: steps must be >= 0");
    assertThatThrownBy(() -> rec.recordThinking("planner", 2, Double.NaN))
        .hasMessageContaining("confidence");
    assertThatThrownBy(() -> rec.recordFinding("linter", "urgent", "x"))
        .hasMessage(
            "recordFinding: unknown severity 'urgent'; use one of critical, high, medium, low, info");
    assertThatThrownBy(() -> rec.recordFinding("", "high", "x"))
        .hasMessageContaining("recordFinding: agent is null or empty");
    assertThatThrownBy(() -> rec.recordTimeSaved("ci", "coffee", 1))
        .hasMessageContaining("unknown kind 'coffee'; use one of build, developer");
    assertThatThrownBy(() -> rec.recordTimeSaved("ci", "build", -1))
        .hasMessageContaining("seconds must be a finite duration");
    assertThatThrownBy(() -> rec.setOpenFindings("linter", "high", -2))
        .hasMessageContaining("setOpenFindings: count must be >= 0");
    assertThatThrownBy(() -> rec.recordViolation("coder", null, "x"))
        .hasMessageContaining("recordViolation: kind is null or empty");
    String t = text(rec);
    assertThat(t).doesNotContain("agent=\"planner\"").doesNotContain("agent=\"linter\"");
    assertThat(rec.recentQualityEvents()).isEmpty();
  }
}
