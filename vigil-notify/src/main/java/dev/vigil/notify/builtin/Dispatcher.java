package dev.vigil.notify.builtin;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes alerts into aggregation groups and flushes each group as Alertmanager's dispatcher does.
 *
 * <p>Thread safety: public methods may be called from any thread; the alert store and the group
 * table are guarded by {@code this}; a group's flush runs on the delivery executor, never on the
 * caller's thread, so ingestion (rule evaluation, the API) never waits for a receiver.
 */
/*
 * Timing, as dispatch/dispatch.go: a new group waits group_wait before its first flush (at once
 * when an inserted alert started more than group_wait ago and the group has not flushed yet);
 * after each flush the next one comes group_interval later. Each flush hands the group's alerts
 * (muted ones removed: inhibited, outside active or inside mute time intervals) to each integration
 * of the route's receiver, which sends when the alert set changed since the last send to it (the
 * notification log's dedup, DedupLog: new firing alerts, all resolved, newly resolved with
 * send_resolved) or when repeat_interval has passed. When every integration succeeded, the resolved alerts that were
 * sent leave the group; an empty group is removed.
 */
final class Dispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  private final NotifyConfig config;
  private final Timers timers;
  private final Map<String, List<Integration>> integrations;
  private final Inhibitor inhibitor;
  private final Delivery delivery;
  private final String externalURL;
  private final BiPredicate<String, Instant> timeIntervalActive;

  /** Silence ids muting labels at a time (wt/silences' Silences.mutes); none by default. */
  private volatile java.util.function.BiFunction<Map<String, String>, Instant, List<String>>
      silencer = (l, t) -> List.of();

  private final Map<Long, Alert> alerts = new HashMap<>();
  private final Map<String, Group> groups = new LinkedHashMap<>();
  private boolean closed;

  /** Flushes delivering now, over all groups (guarded by this). */
  private int flushing;

  Dispatcher(
      NotifyConfig config,
      Timers timers,
      Map<String, List<Integration>> integrations,
      Delivery delivery,
      String externalURL,
      BiPredicate<String, Instant> timeIntervalActive) {
    this.config = config;
    this.timers = timers;
    this.integrations = integrations;
    this.inhibitor = new Inhibitor(config.inhibitRules);
    this.delivery = delivery;
    this.externalURL = externalURL;
    this.timeIntervalActive = timeIntervalActive;
  }

  /** Ingests alerts (merging with the stored ones) and routes them into groups. */
  synchronized void put(List<Alert> batch) {
    if (closed) {
      return;
    }
    Instant now = timers.now();
    for (Alert a : batch) {
      long fp = a.fingerprint();
      Alert old = alerts.get(fp);
      Alert merged = old == null ? a : old.merge(a);
      alerts.put(fp, merged);
      inhibitor.put(merged);
      for (Route r : config.root.match(merged.labels())) {
        SortedMap<String, String> gl = r.groupLabels(merged.labels()); // a new map
        String key = r.key + ":" + labelSetString(gl);
        Group g = groups.get(key);
        if (g == null) {
          g = new Group(r, key, gl);
          groups.put(key, g);
          g.schedule(r.groupWait);
        }
        g.alerts.put(fp, merged);
        if (!g.hasFlushed && !merged.startsAt().plus(r.groupWait).isAfter(now)) {
          g.schedule(Duration.ZERO);
        }
      }
    }
  }

  /** Every stored alert, resolved ones included until garbage-collected. */
  synchronized List<Alert> alerts() {
    return new ArrayList<>(alerts.values());
  }

  synchronized List<Long> inhibitedBy(Alert a) {
    return inhibitor.inhibitedBy(a, timers.now());
  }

  void silencer(java.util.function.BiFunction<Map<String, String>, Instant, List<String>> s) {
    silencer = s;
  }

  List<String> silencedBy(Alert a) {
    return silencer.apply(a.labels(), timers.now());
  }

  /** The receivers an alert routes to, in route order. */
  List<String> receiversOf(Alert a) {
    List<String> out = new ArrayList<>();
    for (Route r : config.root.match(a.labels())) {
      if (!out.contains(r.receiver)) {
        out.add(r.receiver);
      }
    }
    return out;
  }

  record GroupView(String receiver, SortedMap<String, String> labels, List<Alert> alerts) {}

  synchronized List<GroupView> groups() {
    List<GroupView> out = new ArrayList<>();
    for (Group g : groups.values()) {
      List<Alert> as = new ArrayList<>(g.alerts.values());
      as.sort(Alert.ORDER);
      out.add(new GroupView(g.route.receiver, g.labels, as));
    }
    return out;
  }

  /** Drops resolved alerts no group holds any more (Alertmanager's GC of the alert store). */
  synchronized void collectGarbage() {
    Instant now = timers.now();
    Set<Long> held = new HashSet<>();
    for (Group g : groups.values()) {
      held.addAll(g.alerts.keySet());
    }
    alerts
        .entrySet()
        .removeIf(
            e -> {
              boolean gone = e.getValue().resolvedAt(now) && !held.contains(e.getKey());
              if (gone) {
                inhibitor.remove(e.getValue());
              }
              return gone;
            });
  }

  synchronized void close() {
    closed = true;
    for (Group g : groups.values()) {
      g.cancel();
    }
    groups.clear();
  }

  /**
   * Waits until no flush is delivering, at most {@code max}: a reload does so after closing the old
   * dispatcher (Alertmanager's Dispatcher.Stop waits for its groups), so that the new one reads the
   * notification log after what they sent is in it, and does not send it again.
   *
   * @return whether every flush had ended
   */
  synchronized boolean awaitFlushes(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (flushing > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  /** Alertmanager's model.LabelSet.String(): {@code {a="b", c="d"}}. */
  static String labelSetString(SortedMap<String, String> labels) {
    StringBuilder b = new StringBuilder("{");
    boolean first = true;
    for (Map.Entry<String, String> e : labels.entrySet()) {
      if (!first) {
        b.append(", ");
      }
      first = false;
      b.append(e.getKey()).append('=').append(GoQuote.quote(e.getValue()));
    }
    return b.append('}').toString();
  }

  private boolean muted(Route r, Alert a, Instant now) {
    for (String ti : r.muteTimeIntervals) {
      if (timeIntervalActive.test(ti, now)) {
        return true;
      }
    }
    if (!r.activeTimeIntervals.isEmpty()) {
      boolean active = false;
      for (String ti : r.activeTimeIntervals) {
        active |= timeIntervalActive.test(ti, now);
      }
      if (!active) {
        return true;
      }
    }
    return !inhibitor.inhibitedBy(a, now).isEmpty() || !silencer.apply(a.labels(), now).isEmpty();
  }

  /** One aggregation group: a route and the values of its group_by labels. */
  final class Group {
    final Route route;
    final String key;
    final SortedMap<String, String> labels;
    final Map<Long, Alert> alerts = new LinkedHashMap<>();
    boolean hasFlushed;
    private Runnable timer;
    /*
     * Flushes of one group never overlap (Alertmanager runs them on the group's goroutine): a
     * timer that fires while a flush is delivering marks itself pending and runs when it is done.
     * Without this, group_wait 0s sent the first notification twice (the dedup entry is written
     * only once the first send has succeeded).
     */
    private boolean inFlight;
    private boolean pending;

    Group(Route route, String key, SortedMap<String, String> labels) {
      this.route = route;
      this.key = key;
      this.labels = labels;
    }

    void schedule(Duration delay) {
      cancel();
      timer = timers.schedule(this::fire, delay);
    }

    void cancel() {
      if (timer != null) {
        timer.run();
        timer = null;
      }
    }

    private void fire() {
      Instant now;
      List<Alert> snapshot;
      List<Alert> unmuted;
      synchronized (Dispatcher.this) {
        if (closed || groups.get(key) != this) {
          return;
        }
        if (inFlight) {
          pending = true;
          return;
        }
        inFlight = true;
        flushing++;
        now = timers.now();
        hasFlushed = true;
        timer = timers.schedule(this::fire, route.groupInterval);
        snapshot = new ArrayList<>(alerts.values());
        snapshot.sort(Alert.ORDER);
        unmuted = new ArrayList<>();
        for (Alert a : snapshot) {
          if (!muted(route, a, now)) {
            unmuted.add(a);
          }
        }
      }
      List<Integration> ints = integrations.getOrDefault(route.receiver, List.of());
      NotificationData data =
          new NotificationData(route.receiver, key, labels, List.copyOf(unmuted), now, externalURL);
      delivery.deliver(
          this,
          ints,
          data,
          route.repeatInterval,
          route.groupInterval,
          ok -> done(ok, snapshot, now));
    }

    private void done(boolean ok, List<Alert> sent, Instant now) {
      boolean again;
      synchronized (Dispatcher.this) {
        inFlight = false;
        flushing--;
        Dispatcher.this.notifyAll();
        again = pending;
        pending = false;
        if (ok) {
          removeDelivered(sent, now);
        }
      }
      if (again) {
        fire();
      }
    }

    private void removeDelivered(List<Alert> sent, Instant now) {
      for (Alert a : sent) {
        long fp = a.fingerprint();
        if (a.resolvedAt(now) && a.equals(alerts.get(fp))) {
          alerts.remove(fp);
        }
      }
      if (alerts.isEmpty() && groups.get(key) == this) {
        cancel();
        groups.remove(key);
        LOG.debug("aggregation group {} is empty and removed", key);
      }
    }
  }
}
