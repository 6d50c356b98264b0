package dev.vigil.collectors.health;

import static dev.vigil.collectors.Snapshots.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collectors.MonitoredCollector;
import dev.vigil.collectors.ServiceStatus;
import dev.vigil.metrics.model.MetricSnapshot;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HealthAndStatusTest {

  @Test
  void healthCollector_exportsScoreAndEachInputsPenalty() {
    HealthCollector h =
        new HealthCollector(
            HealthScore.builder().build(),
            () -> new HealthScore.Inputs(0.825, 0.5, Double.NaN, 10, 0));
    List<MetricSnapshot> s = h.collect();
    assertThat(value(s, "vigil_health_score")).isEqualTo(100 - 12.5 - 20);
    assertThat(value(s, "vigil_health_score_penalty", "input", "cpu")).isEqualTo(12.5);
    assertThat(value(s, "vigil_health_score_penalty", "input", "errors")).isEqualTo(20);
    assertThat(value(s, "vigil_health_score_penalty", "input", "disk")).isZero();
    assertThat(value(s, "vigil_health_input", "input", "cpu")).isEqualTo(0.825);
    assertThat(value(s, "vigil_health_input", "input", "disk")).isNaN(); // unknown: no series
    assertThat(h.last().worst().input()).isEqualTo("errors");
  }

  @Test
  void monitoredCollector_containsFailures_andServiceStatusReportsThem() {
    AtomicBoolean fail = new AtomicBoolean();
    MonitoredCollector flaky =
        new MonitoredCollector(
            "flaky",
            () -> {
              if (fail.get()) {
                throw new IllegalStateException("disk vanished");
              }
              return new HealthCollector(
                      HealthScore.builder().build(), () -> new HealthScore.Inputs(0, 0, 0, 0, 0))
                  .collect();
            },
            () -> 5_000);
    ServiceStatus status = new ServiceStatus(List.of(flaky));
    assertThat(status.collect()).isEmpty(); // nothing collected yet
    assertThat(flaky.collect()).isNotEmpty();
    assertThat(status.healthy()).isTrue();
    fail.set(true);
    assertThat(flaky.collect()).isEmpty();
    assertThat(status.healthy()).isFalse();
    ServiceStatus.CollectorStatus st = status.collectors().get(0);
    assertThat(st.collections()).isEqualTo(2);
    assertThat(st.errors()).isEqualTo(1);
    assertThat(st.lastError()).isEqualTo("IllegalStateException: disk vanished");
    assertThat(st.lastCollectionMillis()).isEqualTo(5_000);
    List<MetricSnapshot> s = status.collect();
    assertThat(value(s, "vigil_collector_success", "collector", "flaky")).isZero();
    assertThat(value(s, "vigil_collector_errors", "collector", "flaky")).isEqualTo(1);
    assertThat(value(s, "vigil_collector_last_collection_timestamp_seconds", "collector", "flaky"))
        .isEqualTo(5);
  }
}
