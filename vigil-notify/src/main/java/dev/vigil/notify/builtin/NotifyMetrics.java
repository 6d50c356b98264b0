package dev.vigil.notify.builtin;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The built-in notifier's counters per integration kind: {@code vigil_notify_notifications_total},
 * {@code vigil_notify_notifications_failed_total}, {@code
 * vigil_notify_notification_latency_seconds} (sum and count); and each receiver's last error.
 * Thread-safe.
 */
public final class NotifyMetrics {
  private final Map<String, LongAdder> total = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> failed = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> latencyNanos = new ConcurrentHashMap<>();
  private final Map<String, String> lastErrors = new ConcurrentHashMap<>();

  void sent(String kind, long nanos, boolean ok) {
    total.computeIfAbsent(kind, k -> new LongAdder()).increment();
    latencyNanos.computeIfAbsent(kind, k -> new LongAdder()).add(nanos);
    if (!ok) {
      failed.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }
  }

  void lastError(String receiver, String kind, String reason) {
    lastErrors.put(receiver + "/" + kind, reason);
  }

  /** Attempts per integration kind, failed ones included. */
  public long notifications(String kind) {
    LongAdder a = total.get(kind);
    return a == null ? 0 : a.sum();
  }

  public long failed(String kind) {
    LongAdder a = failed.get(kind);
    return a == null ? 0 : a.sum();
  }

  /** The last failure per {@code receiver/kind}. */
  public Map<String, String> lastErrors() {
    return new TreeMap<>(lastErrors);
  }

  /** Attempts per integration kind (webhook, slack, email, log). */
  public Map<String, Long> notificationsByIntegration() {
    Map<String, Long> m = new TreeMap<>();
    total.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }

  /** Failed attempts per integration kind, every kind that was attempted included. */
  public Map<String, Long> failedByIntegration() {
    Map<String, Long> m = new TreeMap<>();
    total.forEach((k, v) -> m.put(k, failed(k)));
    return m;
  }

  /** Seconds spent in attempts per integration kind (the latency's sum). */
  public Map<String, Double> latencySecondsByIntegration() {
    Map<String, Double> m = new TreeMap<>();
    latencyNanos.forEach((k, v) -> m.put(k, v.sum() / 1e9));
    return m;
  }

  /** The counters in Prometheus' text format. */
  public String exposition() {
    StringBuilder b = new StringBuilder();
    b.append(
        "# HELP vigil_notify_notifications_total Notifications the built-in notifier attempted.\n");
    b.append("# TYPE vigil_notify_notifications_total counter\n");
    new TreeMap<>(total)
        .forEach(
            (k, v) ->
                b.append("vigil_notify_notifications_total{integration=\"")
                    .append(k)
                    .append("\"} ")
                    .append(v.sum())
                    .append('\n'));
    b.append("# HELP vigil_notify_notifications_failed_total Notification attempts that failed.\n");
    b.append("# TYPE vigil_notify_notifications_failed_total counter\n");
    new TreeMap<>(total)
        .forEach(
            (k, v) ->
                b.append("vigil_notify_notifications_failed_total{integration=\"")
                    .append(k)
                    .append("\"} ")
                    .append(failed(k))
                    .append('\n'));
    return b.toString();
  }
}
