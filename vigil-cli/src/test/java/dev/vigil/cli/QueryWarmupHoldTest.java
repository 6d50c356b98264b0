package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class QueryWarmupHoldTest {
  @Test
  void vigilQueryWarmup_backgroundByDefault_offOrSecondsOfHold() {
    assertThat(ServeCommand.warmupHold(null)).isEqualTo(Duration.ZERO);
    assertThat(ServeCommand.warmupHold(" ")).isEqualTo(Duration.ZERO);
    assertThat(ServeCommand.warmupHold("background")).isEqualTo(Duration.ZERO);
    assertThat(ServeCommand.warmupHold("off")).isNull();
    assertThat(ServeCommand.warmupHold("0")).isNull();
    assertThat(ServeCommand.warmupHold("2.5")).isEqualTo(Duration.ofMillis(2500));
  }

  @Test
  void vigilQueryWarmup_badValues_areRefusedNamingTheVariable() {
    for (String bad : new String[] {"-1", "601", "soon", "NaN"}) {
      assertThatThrownBy(() -> ServeCommand.warmupHold(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("VIGIL_QUERY_WARMUP")
          .hasMessageContaining(bad);
    }
  }
}
