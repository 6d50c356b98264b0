package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueryWarmupHoldTest {
  @Test
  void vigilQueryWarmup_isSecondsOfHold_defaultOne_badValuesFlagged() {
    assertThat(ServeCommand.warmupHold(null)).isEqualTo(1);
    assertThat(ServeCommand.warmupHold(" ")).isEqualTo(1);
    assertThat(ServeCommand.warmupHold("0")).isZero();
    assertThat(ServeCommand.warmupHold("2.5")).isEqualTo(2.5);
    assertThat(ServeCommand.warmupHold("-1")).isEqualTo(-1);
    assertThat(ServeCommand.warmupHold("601")).isEqualTo(-1);
    assertThat(ServeCommand.warmupHold("soon")).isEqualTo(-1);
  }
}
