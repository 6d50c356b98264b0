package dev.vigil.notify.builtin;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a group's notification to each integration of its receiver: deduplicated against what was
 * last sent to that integration, and retried with exponential backoff until the flush's deadline
 * (the group_interval, at least 10 s, as Alertmanager's). Each send runs on the executor (virtual
 * threads), so a slow or failing receiver holds back neither other receivers nor ingestion.
 */
final class Delivery {
  private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);

  /** Alertmanager's notify.MinTimeout: a flush gets at least this long to deliver. */
  static final Duration MIN_TIMEOUT = Duration.ofSeconds(10);

  static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

  /** What was last sent to one integration for one group: the notification log's entry. */
  record LogEntry(Set<Long> firing, Set<Long> resolved, Instant at) {}

  private final ExecutorService executor;
  private final NotifyMetrics metrics;
  private final SentNotifications history;
  private volatile DedupLog dedup;
  private volatile Consumer<BuiltinNotifier.Delivered> delivered = d -> {};

  Delivery(ExecutorService executor, NotifyMetrics metrics, DedupLog dedup) {
    this(executor, metrics, new SentNotifications(), dedup);
  }

  Delivery(
      ExecutorService executor, NotifyMetrics metrics, SentNotifications sent, DedupLog dedup) {
    this.executor = executor;
    this.metrics = metrics;
    this.history = sent;
    this.dedup = dedup;
  }

  /** Told of each successful delivery, on the delivering thread (after the log has it). */
  void onDelivered(Consumer<BuiltinNotifier.Delivered> listener) {
    delivered = listener;
  }

  /** Replaces where the last deliveries are kept (the persisted notification log once open). */
  void dedup(DedupLog d) {
    dedup = d;
  }

  void deliver(
      Dispatcher.Group group,
      List<Integration> ints,
      NotificationData data,
      Duration repeat,
      Duration groupInterval,
      Consumer<Boolean> done) {
    Set<Long> firing = new HashSet<>();
    Set<Long> resolved = new HashSet<>();
    for (Alert a : data.alerts()) {
      (a.resolvedAt(data.now()) ? resolved : firing).add(a.fingerprint());
    }
    Duration timeout = groupInterval.compareTo(MIN_TIMEOUT) < 0 ? MIN_TIMEOUT : groupInterval;
    DedupLog log = dedup;
    String groupKey = data.groupKey();
    Map<String, Integer> perKind = new HashMap<>();
    List<CompletableFuture<Boolean>> all = new ArrayList<>();
    for (Integration in : ints) {
      int idx = perKind.merge(in.kind(), 1, Integer::sum) - 1;
      String integration = in.kind() + "/" + idx;
      String name = data.receiver() + "/" + integration;
      LogEntry entry = log.get(groupKey, name);
      if (!needsUpdate(entry, firing, resolved, in.sendResolved(), repeat, data.now())) {
        continue;
      }
      NotificationData sent = data;
      if (!in.sendResolved()) {
        sent =
            new NotificationData(
                data.receiver(),
                data.groupKey(),
                data.groupLabels(),
                data.firing(),
                data.now(),
                data.externalURL());
      }
      if (sent.alerts().isEmpty()) {
        log.delivered(groupKey, name, firing, resolved);
        continue;
      }
      NotificationData toSend = sent;
      all.add(
          CompletableFuture.supplyAsync(
              () -> {
                int[] attempts = new int[1];
                String error = sendWithRetry(in, toSend, timeout, attempts);
                history.add(
                    new SentNotifications.Sent(
                        toSend.now(),
                        toSend.receiver(),
                        integration,
                        groupKey,
                        toSend.groupLabels(),
                        toSend.alerts().stream()
                            .map(
                                a ->
                                    new SentNotifications.SentAlert(
                                        a.labels(),
                                        a.resolvedAt(toSend.now()) ? "resolved" : "firing"))
                            .toList(),
                        error,
                        attempts[0]));
                try {
                  if (error == null) {
                    log.delivered(groupKey, name, firing, resolved);
                    delivered.accept(
                        new BuiltinNotifier.Delivered(
                            toSend.receiver(),
                            integration,
                            toSend.alerts().stream()
                                .map(a -> (Map<String, String>) a.labels())
                                .toList(),
                            toSend.now()));
                  } else {
                    log.failed(groupKey, name, error);
                  }
                } catch (RuntimeException e) {
                  LOG.error(
                      "cannot record the notification of {} to {}: {}",
                      groupKey,
                      name,
                      e.toString());
                }
                return error == null;
              },
              executor));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .whenComplete(
            (v, t) -> done.accept(t == null && all.stream().allMatch(CompletableFuture::join)));
  }

  /** Alertmanager's DedupStage.needsUpdate. */
  static boolean needsUpdate(
      LogEntry entry,
      Set<Long> firing,
      Set<Long> resolved,
      boolean sendResolved,
      Duration repeat,
      Instant now) {
    if (entry == null) {
      return !firing.isEmpty();
    }
    if (!entry.firing().containsAll(firing)) {
      return true;
    }
    if (firing.isEmpty()) {
      return !entry.firing().isEmpty();
    }
    if (sendResolved && !entry.resolved().containsAll(resolved)) {
      return true;
    }
    return entry.at().isBefore(now.minus(repeat));
  }

  /** Null once delivered, else the last attempt's error; {@code attempts[0]} counts the tries. */
  private String sendWithRetry(
      Integration in, NotificationData data, Duration timeout, int[] attempts) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long backoff = FIRST_BACKOFF.toNanos();
    int attempt = 0;
    while (true) {
      attempt++;
      attempts[0] = attempt;
      long start = System.nanoTime();
      Integration.Failure f;
      try {
        f = in.send(data);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "interrupted";
      } catch (RuntimeException e) {
        f = new Integration.Failure(e.toString(), false);
      }
      metrics.sent(in.kind(), System.nanoTime() - start, f == null);
      if (f == null) {
        if (attempt > 1) {
          LOG.info(
              "notify {} {} for {} succeeded after {} attempts",
              data.receiver(),
              in.kind(),
              data.groupKey(),
              attempt);
        }
        return null;
      }
      LOG.warn(
          "notify {} {} for {} failed (attempt {}): {}",
          data.receiver(),
          in.kind(),
          data.groupKey(),
          attempt,
          f.reason());
      metrics.lastError(data.receiver(), in.kind(), f.reason());
      if (!f.retryable() || System.nanoTime() + backoff > deadline) {
        return f.reason();
      }
      try {
        Thread.sleep(Duration.ofNanos(backoff));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "interrupted";
      }
      backoff = Math.min(MAX_BACKOFF.toNanos(), backoff * 3 / 2);
    }
  }
}
