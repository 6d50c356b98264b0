package dev.vigil.notify.builtin;

import dev.vigil.notify.nflog.NotificationLog;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What was last delivered to each integration of each aggregation group: the dispatcher's view of
 * the notification log (Alertmanager's DedupStage reads it before a send, the SetNotifiesStage
 * writes it after a successful one). Integrations are named {@code receiver/kind/index}, the index
 * counting the receiver's integrations of that kind, as Alertmanager's nflog names them.
 *
 * <p>Thread-safe.
 */
interface DedupLog {
  /** The last successful delivery to this integration of this group, or null if none. */
  Delivery.LogEntry get(String groupKey, String integration);

  /** Records a successful delivery of these alert hashes. */
  void delivered(String groupKey, String integration, Set<Long> firing, Set<Long> resolved);

  /** Records a failed attempt; the last delivery stays as it was. */
  void failed(String groupKey, String integration, String error);

  /** Kept in memory only: a restart forgets it (no data directory). */
  static DedupLog inMemory(Timers timers) {
    Map<String, Delivery.LogEntry> m = new ConcurrentHashMap<>();
    return new DedupLog() {
      @Override
      public Delivery.LogEntry get(String groupKey, String integration) {
        return m.get(groupKey + "\u0000" + integration);
      }

      @Override
      public void delivered(
          String groupKey, String integration, Set<Long> firing, Set<Long> resolved) {
        m.put(
            groupKey + "\u0000" + integration,
            new Delivery.LogEntry(firing, resolved, timers.now()));
      }

      @Override
      public void failed(String groupKey, String integration, String error) {}
    };
  }

  /** Backed by the persisted notification log, so a restart neither re-sends nor forgets. */
  static DedupLog of(NotificationLog nflog) {
    return new DedupLog() {
      @Override
      public Delivery.LogEntry get(String groupKey, String integration) {
        return nflog
            .query(groupKey, integration)
            .filter(e -> e.delivered() != null)
            .map(e -> new Delivery.LogEntry(e.firingAlerts(), e.resolvedAlerts(), e.delivered()))
            .orElse(null);
      }

      @Override
      public void delivered(
          String groupKey, String integration, Set<Long> firing, Set<Long> resolved) {
        nflog.record(groupKey, integration, firing, resolved, null);
      }

      @Override
      public void failed(String groupKey, String integration, String error) {
        nflog.record(groupKey, integration, Set.of(), Set.of(), error);
      }
    };
  }
}
