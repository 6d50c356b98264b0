package dev.vigil.server;

import dev.vigil.notify.builtin.BuiltinNotifier;
import dev.vigil.rules.AlertEvent;
import dev.vigil.rules.AlertListener;
import dev.vigil.rules.AlertState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Feeds the rule engine's alerts to the built-in notifier as Prometheus feeds an Alertmanager: a
 * firing alert is posted at once and re-posted every {@link #RESEND} with {@code endsAt} four
 * re-send periods (or evaluation intervals, whichever is longer) ahead, so it stays firing while
 * the rule fires and resolves by itself if Vigil stops sending; a resolved alert is posted with its
 * resolution time. Pending alerts are not sent.
 */
final class RuleAlertsToNotifier implements AlertListener, AutoCloseable {
  /** Prometheus' default {@code --rules.alert.resend-delay}. */
  static final Duration RESEND = Duration.ofMinutes(1);

  private final BuiltinNotifier notifier;
  private final Duration validFor;
  private final String generatorURL;
  private final Map<Map<String, String>, AlertEvent> firing = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("vigil-rule-alerts-resend").unstarted(r));

  RuleAlertsToNotifier(BuiltinNotifier notifier, Duration evaluationInterval, String externalUrl) {
    this.notifier = notifier;
    Duration period = evaluationInterval.compareTo(RESEND) > 0 ? evaluationInterval : RESEND;
    this.validFor = period.multipliedBy(4);
    this.generatorURL = externalUrl + "/alerts";
    long ms = RESEND.toMillis();
    timer.scheduleAtFixedRate(this::resend, ms, ms, TimeUnit.MILLISECONDS);
  }

  @Override
  public void onStateChange(AlertEvent e) {
    Map<String, String> labels = e.labels().toMap();
    if (e.to() == AlertState.FIRING) {
      firing.put(labels, e);
      notifier.post(List.of(firing(e, Instant.ofEpochMilli(e.timestampMs()))));
    } else if (e.from() == AlertState.FIRING) {
      firing.remove(labels);
      Instant end = Instant.ofEpochMilli(e.timestampMs());
      notifier.post(
          List.of(
              new BuiltinNotifier.PostableAlert(
                  labels, e.annotations(), Instant.ofEpochMilli(e.activeAt()), end, generatorURL)));
    }
  }

  /** Posts the alerts firing now (a notifier started by a reload has seen no change of them). */
  void seed(List<dev.vigil.rules.Alert> alerts) {
    for (dev.vigil.rules.Alert a : alerts) {
      if (a.state() == AlertState.FIRING) {
        long firedAt = a.firedAt() != dev.vigil.rules.Alert.NONE ? a.firedAt() : a.activeAt();
        onStateChange(
            new AlertEvent(
                "",
                "",
                a.labels(),
                a.annotations(),
                a.value(),
                AlertState.PENDING,
                AlertState.FIRING,
                Instant.now().toEpochMilli(),
                a.activeAt() != dev.vigil.rules.Alert.NONE ? a.activeAt() : firedAt));
      }
    }
  }

  private BuiltinNotifier.PostableAlert firing(AlertEvent e, Instant now) {
    return new BuiltinNotifier.PostableAlert(
        e.labels().toMap(),
        e.annotations(),
        Instant.ofEpochMilli(e.activeAt()),
        now.plus(validFor),
        generatorURL);
  }

  private void resend() {
    Instant now = Instant.now();
    List<BuiltinNotifier.PostableAlert> batch = new ArrayList<>();
    for (AlertEvent e : firing.values()) {
      batch.add(firing(e, now));
    }
    if (!batch.isEmpty()) {
      notifier.post(batch);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
