package dev.vigil.collectors.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class HealthScoreTest {
  private final HealthScore health = HealthScore.builder().build();

  @Test
  void score_isAlways100MinusThePenaltiesItLists() {
    // The dashboard shows the score and, beside it, the points each input took away: they must
    // add up, whatever the inputs (the weights sum to 100 and no penalty exceeds its weight, so
    // the clamp to 0-100 never changes the sum).
    double[] xs = {
      Double.NaN, -1, 0, 0.5, 0.72, 0.8, 0.9, 0.95, 1, 3, 12, 50, Double.POSITIVE_INFINITY
    };
    java.util.Random rnd = new java.util.Random(7);
    for (int i = 0; i < 10_000; i++) {
      HealthScore.Inputs in =
          new HealthScore.Inputs(
              xs[rnd.nextInt(xs.length)],
              xs[rnd.nextInt(xs.length)],
              xs[rnd.nextInt(xs.length)],
              xs[rnd.nextInt(xs.length)],
              xs[rnd.nextInt(xs.length)]);
      HealthScore.Result r = health.compute(in);
      double penalties =
          r.contributions().stream().mapToDouble(HealthScore.Contribution::penalty).sum();
      assertThat(r.score())
          .as("%s", in)
          .isCloseTo(100 - penalties, within(1e-9))
          .isBetween(0.0, 100.0);
    }
  }

  @Test
  void idleHealthyMachine_scores100() {
    HealthScore.Result r = health.compute(new HealthScore.Inputs(0.10, 0.30, 0.40, 0, 0));
    assertThat(r.score()).isEqualTo(100);
    assertThat(r.worst()).isNull();
  }

  @Test
  void pressureBetweenWarnAndCritical_takesProportionalPoints() {
    // cpu halfway between 0.70 and 0.95 -> 12.5 of 25; memory at critical -> 25 of 25.
    HealthScore.Result r = health.compute(new HealthScore.Inputs(0.825, 0.95, 0.10, 0, 0));
    assertThat(r.score()).isCloseTo(62.5, within(1e-9));
    assertThat(r.contributions().get(0).penalty()).isCloseTo(12.5, within(1e-9));
    assertThat(r.worst().input()).isEqualTo("memory");
  }

  @Test
  void everythingCritical_scoresZero_andUnknownInputsTakeNothing() {
    assertThat(health.compute(new HealthScore.Inputs(1, 1, 1, 100, 50)).score()).isZero();
    HealthScore.Result r =
        health.compute(new HealthScore.Inputs(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0));
    assertThat(r.score()).isEqualTo(100);
  }

  @Test
  void errorsAndAlerts_countTowardsTheScore() {
    HealthScore.Result r = health.compute(new HealthScore.Inputs(0, 0, 0, 10, 5));
    assertThat(r.score()).isCloseTo(70, within(1e-9));
  }

  @Test
  void builder_rejectsBadConfiguration() {
    assertThatThrownBy(() -> HealthScore.builder().input("gpu", 0, 1, 10))
        .hasMessageContaining("unknown health input 'gpu'");
    assertThatThrownBy(() -> HealthScore.builder().input("cpu", 0.9, 0.5, 25))
        .hasMessageContaining("must exceed warn");
    assertThatThrownBy(() -> HealthScore.builder().input("cpu", 0.5, 0.9, 30).build())
        .hasMessageContaining("sum to 100");
  }
}
