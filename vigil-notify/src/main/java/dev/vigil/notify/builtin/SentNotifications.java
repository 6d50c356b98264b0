package dev.vigil.notify.builtin;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The most recent notifications the built-in notifier sent or tried to send, newest first: what the
 * dashboard's notification log lists ({@code GET /api/v1/notifications}). One record per
 * notification to one integration, after its retries ended, with the outcome.
 *
 * <pre>{@code
 * List<SentNotifications.Sent> last = notifier.sent().query("team-db", null, 100);
 * }</pre>
 *
 * <p>Thread-safe. Kept in memory: the persisted notification log ({@code nflog}) keeps what dedup
 * needs (hashes), not the alerts' labels, so this view starts empty after a restart.
 */
/*
 * Bounded at CAPACITY records (oldest dropped), so memory and the cost of a query are bounded
 * whatever the load: a query scans at most CAPACITY records under the lock (1,000 records scanned
 * in well under a millisecond).
 */
public final class SentNotifications {
  /** How many records are kept. */
  public static final int CAPACITY = 1000;

  /** One alert of a notification: its labels and whether it was firing or resolved. */
  public record SentAlert(Map<String, String> labels, String status) {}

  /**
   * A notification to one integration.
   *
   * @param at when the notification was made (the group's flush)
   * @param integration {@code kind/index}, e.g. {@code webhook/0}
   * @param error null when delivered, else the last attempt's error
   * @param attempts how many attempts were made (retries included)
   */
  public record Sent(
      Instant at,
      String receiver,
      String integration,
      String groupKey,
      Map<String, String> groupLabels,
      List<SentAlert> alerts,
      String error,
      int attempts) {
    public Sent {
      groupLabels = Map.copyOf(groupLabels);
      alerts = List.copyOf(alerts);
    }

    public boolean delivered() {
      return error == null;
    }

    boolean mentions(String alertname) {
      for (SentAlert a : alerts) {
        if (alertname.equals(a.labels().get("alertname"))) {
          return true;
        }
      }
      return false;
    }
  }

  private final ArrayDeque<Sent> records = new ArrayDeque<>();

  synchronized void add(Sent s) {
    if (records.size() >= CAPACITY) {
      records.pollFirst();
    }
    records.addLast(s);
  }

  /**
   * The newest records first, at most {@code limit}.
   *
   * @param receiver only this receiver's (null: all)
   * @param alertname only those carrying an alert of this name (null: all)
   */
  public synchronized List<Sent> query(String receiver, String alertname, int limit) {
    List<Sent> out = new ArrayList<>(Math.min(limit, records.size()));
    Iterator<Sent> it = records.descendingIterator();
    while (it.hasNext() && out.size() < limit) {
      Sent s = it.next();
      if ((receiver == null || receiver.equals(s.receiver()))
          && (alertname == null || s.mentions(alertname))) {
        out.add(s);
      }
    }
    return out;
  }
}
