package dev.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void durations_parseAndFormatLikePrometheus() {
    assertThat(Durations.parseDuration("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parseDuration("0")).isEqualTo(Duration.ZERO);
    assertThat(Durations.formatDuration(Duration.ofDays(15))).isEqualTo("2w1d");
    assertThat(Durations.formatDuration(Duration.ZERO)).isEqualTo("0s");
    assertThatThrownBy(() -> Durations.parseDuration("30m1h"))
        .hasMessageContaining("largest to smallest");
    assertThatThrownBy(() -> Durations.parseDuration("1.5h")).hasMessageContaining("1.5h");
  }
}
