package dev.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** 'for' state restored after a restart, and alert state kept over a reload. */
class RestoreAndReloadTest extends RulesFixture {
  static final String FOR_30M =
      "groups: [{name: g, rules: [{alert: Down, expr: up == 0, for: 30m}]}]\n";

  private RuleManager runFor(long fromMin, long toMin) throws Exception {
    RuleManager m = manager(FOR_30M);
    evalMinutes(m, fromMin, toMin);
    return m;
  }

  private void evalMinutes(RuleManager m, long fromMin, long toMin) {
    for (long i = fromMin; i <= toMin; i++) {
      add("up", T0 + i * MIN, 0);
      clock.set(T0 + i * MIN);
      m.evaluateAt(T0 + i * MIN);
    }
  }

  @Test
  void restart_whileFiring_restoresActiveAt_andFiresAgainWithTheOriginalActiveAt()
      throws Exception {
    runFor(0, 40);
    assertThat(events).extracting(AlertEvent::to).contains(AlertState.FIRING);
    long firstActiveAt = T0; // the alert was new at minute 0
    events.clear();
    // A new manager over the same store: the restart.
    RuleManager after = manager(FOR_30M);
    evalMinutes(after, 45, 46); // two evaluations, then restoration at minute 46
    assertThat(after.alerts().get(0).activeAt()).isEqualTo(firstActiveAt);
    assertThat(after.alerts().get(0).state()).isEqualTo(AlertState.PENDING);
    evalMinutes(after, 47, 47);
    Alert a = after.alerts().get(0);
    assertThat(a.state()).isEqualTo(AlertState.FIRING);
    assertThat(a.activeAt()).isEqualTo(firstActiveAt);
    assertThat(events.get(events.size() - 1).activeAt()).isEqualTo(firstActiveAt);
  }

  @Test
  void restart_whilePending_resumesTheWait_shiftedByTheDowntime() throws Exception {
    // Pending from minute 0 to 10 (ALERTS_FOR_STATE from minute 2 on), down until minute 15.
    runFor(0, 10);
    RuleManager after = manager(FOR_30M);
    evalMinutes(after, 15, 16);
    // 10 of 30 minutes spent; 20 remain (more than the 10 m grace): activeAt moves by the
    // downtime, measured from the last sample (minute 10) to the restoration (minute 16).
    assertThat(after.alerts().get(0).activeAt()).isEqualTo(T0 + 6 * MIN);
  }

  @Test
  void restart_closeToFiring_waitsTheGracePeriod() throws Exception {
    runFor(0, 25);
    RuleManager after = manager(FOR_30M);
    evalMinutes(after, 26, 27);
    // 25 of 30 minutes spent: 5 remain, less than the grace period: fires 10 m after minute 27.
    assertThat(after.alerts().get(0).activeAt()).isEqualTo(T0 + 27 * MIN + 10 * MIN - 30 * MIN);
  }

  @Test
  void restart_afterTheOutageTolerance_startsAfresh() throws Exception {
    runFor(0, 40);
    RuleManager after = manager(FOR_30M);
    evalMinutes(after, 110, 111);
    assertThat(after.alerts().get(0).activeAt()).isEqualTo(T0 + 110 * MIN);
  }

  @Test
  void reload_keepsAlertState_marksRemovedRulesStale_andKeepsUnchangedGroupsRunning()
      throws Exception {
    String before =
        """
        groups:
        - name: g
          rules:
          - record: gone
            expr: up
          - alert: Down
            expr: up == 0
        - name: same
          rules:
          - record: kept
            expr: up
        """;
    RuleManager m = manager(before);
    RuleGroup same = m.group("rules.yml", "same");
    add("up", T0, 0);
    m.evaluateAt(T0);
    Alert firing = m.alerts().get(0);
    assertThat(firing.state()).isEqualTo(AlertState.FIRING);
    m.update(
        List.of(
            RuleFiles.parse(
                "rules.yml",
                """
                groups:
                - name: g
                  rules:
                  - alert: Down
                    expr: up == 0
                  - record: new
                    expr: up
                - name: same
                  rules:
                  - record: kept
                    expr: up
                """)));
    assertThat(m.group("rules.yml", "same")).isSameAs(same);
    assertThat(m.alerts()).containsExactly(firing);
    events.clear();
    add("up", T0 + MIN, 0);
    m.evaluateAt(T0 + MIN);
    assertThat(m.alerts().get(0).activeAt()).isEqualTo(T0);
    assertThat(events).isEmpty(); // nothing new, nothing resolved
    assertThat(raw("gone")).containsExactly("0s=0.0", "60s=stale");
    assertThat(raw("new")).containsExactly("60s=0.0");

    clock.set(T0 + 2 * MIN);
    m.update(List.of());
    assertThat(m.groups()).isEmpty();
    assertThat(raw("kept")).containsExactly("0s=0.0", "60s=0.0", "120s=stale");
  }

  @Test
  void reload_withANewDefaultInterval_reschedulesGroupsWithoutTheirOwn_keepingAlerts()
      throws Exception {
    String yaml =
        """
        groups:
        - {name: default, rules: [{alert: Down, expr: up == 0}]}
        - {name: own, interval: 5m, rules: [{record: r, expr: up}]}
        """;
    RuleManager m = manager(yaml);
    add("up", T0, 0);
    m.evaluateAt(T0);
    Alert firing = m.alerts().get(0);
    RuleGroup own = m.group("rules.yml", "own");
    m.evaluationInterval(java.time.Duration.ofMinutes(2));
    m.update(List.of(RuleFiles.parse("rules.yml", yaml)));
    assertThat(m.group("rules.yml", "default").intervalMs).isEqualTo(2 * MIN);
    assertThat(m.group("rules.yml", "own")).isSameAs(own);
    assertThat(m.alerts()).containsExactly(firing);
  }
}
