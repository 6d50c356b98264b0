package dev.vigil.collectors.recorders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.metrics.exposition.ExpositionFormat;
import dev.vigil.metrics.model.MetricSnapshots;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * DevLoop's files watched and changed and its per-agent last run, through the recorders with the
 * namespace {@code devloop}: the exposition has DevLoop's own names.
 */
class DevLoopRecordersTest {
  private final AtomicLong millis = new AtomicLong(1_795_600_000_000L);
  private final Recorders rec = Recorders.builder().namespace("devloop").clock(millis::get).build();

  private String metrics() {
    return ExpositionFormat.PROMETHEUS.writer().toString(new MetricSnapshots(rec.collect()));
  }

  @Test
  void filesWatchedAndChanged_areAGaugeAndACounter_withDevLoopsNames() {
    rec.setFilesWatched(9842);
    rec.recordFilesChanged(3);
    rec.recordFilesChanged(1);
    rec.setFilesWatched(9840);
    String text = metrics();
    assertThat(text)
        .contains("# TYPE devloop_files_watched gauge\ndevloop_files_watched 9840\n")
        .contains("# TYPE devloop_files_changed_total counter\ndevloop_files_changed_total 4\n");
  }

  @Test
  void agentRun_setsLastRunDurationAndTimePerAgent() {
    rec.recordAgentRun("linter", "success", 0.245);
    millis.addAndGet(60_000);
    rec.recordAgentRun("formatter", "success", 1.5);
    String text = metrics();
    assertThat(text)
        .contains("devloop_agent_last_run_seconds{agent=\"linter\"} 0.245\n")
        .contains("devloop_agent_last_run_timestamp_seconds{agent=\"linter\"} 1795600000\n")
        .contains("devloop_agent_last_run_timestamp_seconds{agent=\"formatter\"} 1795600060\n");
  }

  @Test
  void negativeCounts_areRefusedWithTheMethodNamed() {
    assertThatThrownBy(() -> rec.setFilesWatched(-1)).hasMessageContaining("setFilesWatched");
    assertThatThrownBy(() -> rec.recordFilesChanged(-2)).hasMessageContaining("recordFilesChanged");
  }
}
