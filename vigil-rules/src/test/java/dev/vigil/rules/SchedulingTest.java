package dev.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Labels;
import dev.vigil.promql.Sample;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Groups on their schedule: spread over the interval, never blocked by another group. */
class SchedulingTest extends RulesFixture {

  @Test
  void evalTimestamp_isPhaseSpreadByFileAndName_andStableAcrossStarts() throws Exception {
    RuleManager m =
        manager(
            """
            groups:
            - {name: a, interval: 1m, rules: [{record: x, expr: vector(1)}]}
            - {name: b, interval: 1m, rules: [{record: y, expr: vector(1)}]}
            """);
    RuleGroup a = m.group("rules.yml", "a");
    RuleGroup b = m.group("rules.yml", "b");
    long ta = a.evalTimestamp(T0);
    assertThat(ta).isLessThanOrEqualTo(T0).isGreaterThan(T0 - MIN);
    // The same phase in every interval: Prometheus' hash of {file, name} modulo the interval.
    assertThat(a.evalTimestamp(T0 + 7 * MIN + 123)).isEqualTo(ta + 7 * MIN);
    assertThat(Math.floorMod(b.evalTimestamp(T0), MIN)).isNotEqualTo(Math.floorMod(ta, MIN));
  }

  @Test
  void aGroupStuckInASlowQuery_doesNotHoldBackAnother_andCountsItsMissedIterations()
      throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch slowStarted = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicReference<CountDownLatch> fastRuns =
        new java.util.concurrent.atomic.AtomicReference<>(new CountDownLatch(0));
    CountDownLatch slowTwice = new CountDownLatch(2);
    QueryFunction q =
        (expr, t) -> {
          if (expr.equals("slow_metric")) {
            slowTwice.countDown();
            slowStarted.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          } else {
            fastRuns.get().countDown();
          }
          return List.of(new Sample(Labels.EMPTY, t, 1));
        };
    RuleManager m = RuleManager.builder(db, db).clock(Clock.systemUTC()).query(q).build();
    m.update(
        List.of(
            RuleFiles.parse(
                "rules.yml",
                """
                groups:
                - {name: slow, interval: 50ms, rules: [{record: s, expr: slow_metric}]}
                - {name: fast, interval: 50ms, rules: [{record: f, expr: fast_metric}]}
                """)));
    m.start();
    try {
      assertThat(slowStarted.await(30, TimeUnit.SECONDS)).isTrue();
      CountDownLatch fiveMore = new CountDownLatch(5);
      fastRuns.set(fiveMore);
      assertThat(fiveMore.await(30, TimeUnit.SECONDS))
          .as("the fast group runs while the slow one is stuck")
          .isTrue();
      // Stuck for at least four intervals (the fast group ran five times meanwhile).
      release.countDown();
      RuleGroup slow = m.group("rules.yml", "slow");
      assertThat(slowTwice.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(missed(m, slow.key())).isGreaterThan(0);
    } finally {
      release.countDown();
      m.stop();
    }
  }

  private static double missed(RuleManager m, String key) {
    return m.metrics().collect().stream()
        .filter(f -> f.name().equals("vigil_rule_group_iterations_missed"))
        .flatMap(f -> f.points().stream())
        .filter(p -> p.labels().get("rule_group").equals(key))
        .mapToDouble(RuleMetrics.Point::value)
        .sum();
  }
}
