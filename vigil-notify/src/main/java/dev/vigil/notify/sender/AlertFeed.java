package dev.vigil.notify.sender;

import dev.vigil.model.Labels;
import dev.vigil.rules.Alert;
import dev.vigil.rules.AlertEvent;
import dev.vigil.rules.AlertListener;
import dev.vigil.rules.AlertState;
import dev.vigil.rules.GroupEvaluation;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Turns each rule group evaluation into the alerts to send, as Prometheus' {@code sendAlerts}:
 * pending alerts are not sent; a firing alert is sent when it was never sent or last sent more than
 * the resend delay ago, with {@code endsAt} = now + 4 × max(resend delay, group interval); a
 * resolved alert (kept 15 minutes by the rules) is sent once its resolution is newer than its last
 * send, and then every resend delay, with {@code endsAt} = its resolution. {@code startsAt} is when
 * it fired; {@code generatorURL} opens the expression in the dashboard's Explore page.
 *
 * <pre>{@code
 * AlertFeed feed = new AlertFeed(Duration.ofMinutes(1), "http://vigil:9090", sender::send);
 * RuleManager.builder(db, db).listener(feed).build();
 * }</pre>
 */
public final class AlertFeed implements AlertListener {
  private volatile Duration resendDelay;
  private final String externalUrl;
  private final Consumer<List<OutgoingAlert>> out;

  /** Per group ({@code file;name}), per rule and alert labels: when it was last sent. */
  private final Map<String, Map<String, Long>> lastSent = new ConcurrentHashMap<>();

  /**
   * A feed re-sending every {@code resendDelay}, linking to {@code externalUrl} (no trailing
   * slash), handing each evaluation's alerts to {@code out} (which must not block).
   */
  public AlertFeed(Duration resendDelay, String externalUrl, Consumer<List<OutgoingAlert>> out) {
    this.resendDelay = resendDelay;
    this.externalUrl =
        externalUrl.endsWith("/")
            ? externalUrl.substring(0, externalUrl.length() - 1)
            : externalUrl;
    this.out = out;
  }

  /** Changes the resend delay (a reload), from the next evaluation on. */
  public void resendDelay(Duration d) {
    resendDelay = d;
  }

  /**
   * Forgets when each alert was last sent, so that the next evaluation of each group sends all its
   * firing and resolved alerts (to Alertmanagers a reload just added).
   */
  public void resendAll() {
    lastSent.clear();
  }

  @Override
  public void onStateChange(AlertEvent event) {}

  @Override
  public void onGroupEvaluated(GroupEvaluation e) {
    long ts = e.timestampMs();
    Duration resendDelay = this.resendDelay;
    long delta = Math.max(resendDelay.toMillis(), e.intervalMs());
    String groupKey = e.file() + ";" + e.group();
    Map<String, Long> previous = lastSent.getOrDefault(groupKey, Map.of());
    Map<String, Long> next = new HashMap<>();
    List<OutgoingAlert> alerts = new ArrayList<>();
    for (GroupEvaluation.RuleAlerts r : e.rules()) {
      String url =
          externalUrl + "/#page=explore&q=" + URLEncoder.encode(r.expr(), StandardCharsets.UTF_8);
      for (Alert a : r.alerts()) {
        if (a.state() == AlertState.PENDING) {
          continue;
        }
        String key = r.name() + "\u0000" + r.expr() + "\u0000" + a.labels();
        long sent = previous.getOrDefault(key, Alert.NONE);
        boolean resolved = a.resolvedAt() != Alert.NONE;
        boolean needs =
            (resolved && (sent == Alert.NONE || a.resolvedAt() > sent))
                || sent == Alert.NONE
                || sent + resendDelay.toMillis() < ts;
        if (!needs) {
          next.put(key, sent);
          continue;
        }
        next.put(key, ts);
        long startsAt = a.firedAt() != Alert.NONE ? a.firedAt() : a.activeAt();
        long endsAt = resolved ? a.resolvedAt() : ts + 4 * delta;
        alerts.add(new OutgoingAlert(labels(a), a.annotations(), startsAt, endsAt, url));
      }
    }
    if (next.isEmpty()) {
      lastSent.remove(groupKey);
    } else {
      lastSent.put(groupKey, next);
    }
    if (!alerts.isEmpty()) {
      out.accept(alerts);
    }
  }

  private static Labels labels(Alert a) {
    return a.labels();
  }
}
