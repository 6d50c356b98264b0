package dev.vigil.notify.sender;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Labels;
import dev.vigil.rules.Alert;
import dev.vigil.rules.AlertState;
import dev.vigil.rules.GroupEvaluation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Prometheus' {@code sendAlerts} step by step on evaluations at chosen times: pending alerts are
 * not sent, a firing one is sent at once and again only after the resend delay, with {@code endsAt}
 * 4 × max(resend delay, interval) after the send; the resolution is sent at once with {@code
 * endsAt} = the resolution, then re-sent every resend delay while the rules keep it.
 */
class AlertFeedTest {
  static final long T = 1_700_000_000_000L;
  static final Labels L = Labels.of("alertname", "HighLoad", "instance", "a");

  final List<List<OutgoingAlert>> sent = new ArrayList<>();
  final AlertFeed feed = new AlertFeed(Duration.ofMinutes(1), "http://vigil:9090/", sent::add);

  private void eval(long ts, long intervalMs, Alert a) {
    feed.onGroupEvaluated(
        new GroupEvaluation(
            "rules.yml",
            "g",
            ts,
            intervalMs,
            List.of(new GroupEvaluation.RuleAlerts("HighLoad", "load > 2", List.of(a)))));
  }

  private static Alert alert(AlertState state, long activeAt, long firedAt, long resolvedAt) {
    return new Alert(
        L, Map.of("summary", "high"), state, 3, activeAt, firedAt, resolvedAt, Alert.NONE);
  }

  @Test
  void firing_sentAtOnce_thenEveryResendDelay_resolution_sentAtOnceWithItsTime() {
    eval(T, 15_000, alert(AlertState.PENDING, T, Alert.NONE, Alert.NONE));
    assertThat(sent).isEmpty();

    long fired = T + 15_000;
    eval(fired, 15_000, alert(AlertState.FIRING, T, fired, Alert.NONE));
    assertThat(sent).hasSize(1);
    OutgoingAlert a = sent.get(0).get(0);
    assertThat(a.labels()).isEqualTo(L);
    assertThat(a.annotations()).isEqualTo(Map.of("summary", "high"));
    assertThat(a.startsAt()).isEqualTo(fired);
    assertThat(a.endsAt()).isEqualTo(fired + 4 * 60_000);
    assertThat(a.generatorUrl()).isEqualTo("http://vigil:9090/#page=explore&q=load+%3E+2");

    // Within the resend delay: nothing; at exactly one delay: nothing (Prometheus: strictly after).
    for (long ts = fired + 15_000; ts <= fired + 60_000; ts += 15_000) {
      eval(ts, 15_000, alert(AlertState.FIRING, T, fired, Alert.NONE));
    }
    assertThat(sent).hasSize(1);
    eval(fired + 75_000, 15_000, alert(AlertState.FIRING, T, fired, Alert.NONE));
    assertThat(sent).hasSize(2);
    assertThat(sent.get(1).get(0).endsAt()).isEqualTo(fired + 75_000 + 4 * 60_000);

    long resolved = fired + 90_000;
    eval(resolved, 15_000, alert(AlertState.INACTIVE, T, fired, resolved));
    assertThat(sent).hasSize(3);
    assertThat(sent.get(2).get(0).endsAt()).isEqualTo(resolved);
    assertThat(sent.get(2).get(0).startsAt()).isEqualTo(fired);
    eval(resolved + 15_000, 15_000, alert(AlertState.INACTIVE, T, fired, resolved));
    assertThat(sent).hasSize(3);
    eval(resolved + 75_000, 15_000, alert(AlertState.INACTIVE, T, fired, resolved));
    assertThat(sent).hasSize(4);
    assertThat(sent.get(3).get(0).endsAt()).isEqualTo(resolved);
  }

  @Test
  void aGroupIntervalLongerThanTheResendDelay_setsTheValidity() {
    eval(T, 300_000, alert(AlertState.FIRING, T, T, Alert.NONE));
    assertThat(sent.get(0).get(0).endsAt()).isEqualTo(T + 4 * 300_000);
  }

  @Test
  void aChangedResendDelay_appliesFromTheNextEvaluation() {
    feed.resendDelay(Duration.ofSeconds(10));
    eval(T, 1_000, alert(AlertState.FIRING, T, T, Alert.NONE));
    eval(T + 11_000, 1_000, alert(AlertState.FIRING, T, T, Alert.NONE));
    assertThat(sent).hasSize(2);
    assertThat(sent.get(1).get(0).endsAt()).isEqualTo(T + 11_000 + 40_000);
  }
}
