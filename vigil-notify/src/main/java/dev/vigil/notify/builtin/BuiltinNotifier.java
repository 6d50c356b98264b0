package dev.vigil.notify.builtin;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiPredicate;

/**
 * Vigil's built-in notifier: alerts in (from the rule engine, or {@code POST /api/v2/alerts}),
 * routed, grouped, inhibited and delivered to receivers with Alertmanager's semantics, and
 * Alertmanager's API v2 for alerts, groups and receivers.
 *
 * <pre>{@code
 * BuiltinNotifier n = BuiltinNotifier.start(NotifyConfig.parse("vigil.yml", text), "http://vigil:9090");
 * AlertsApi.Response r = n.api().handle("GET", "/api/v2/alerts", Map.of(), null);
 * n.close();
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} stops timers and deliveries in flight.
 */
public final class BuiltinNotifier implements AutoCloseable {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(BuiltinNotifier.class);

  /**
   * How long a reload waits for the old configuration's deliveries in flight (their retries end at
   * the flush deadline, group_interval and at least 10 s): past it the new groups may repeat what
   * those deliver.
   */
  static final Duration RELOAD_DRAIN = Duration.ofSeconds(30);

  private volatile NotifyConfig config;
  private final Timers timers;
  private volatile Dispatcher dispatcher;
  private final HttpClient http;
  private final Duration requestTimeout;
  private final String externalURL;
  private volatile java.util.function.BiFunction<Map<String, String>, Instant, List<String>>
      silencer;
  private final NotifyMetrics metrics = new NotifyMetrics();
  private final SentNotifications sent = new SentNotifications();
  private final ExecutorService executor;
  private final ScheduledExecutorService scheduler;
  private final AlertsApi api;
  private final Delivery delivery;

  BuiltinNotifier(
      NotifyConfig config,
      Timers timers,
      ExecutorService executor,
      ScheduledExecutorService scheduler,
      HttpClient http,
      Duration requestTimeout,
      String externalURL,
      BiPredicate<String, Instant> timeIntervals) {
    this.config = config;
    this.timers = timers;
    this.http = http;
    this.requestTimeout = requestTimeout;
    this.externalURL = externalURL;
    this.executor = executor;
    this.scheduler = scheduler;
    this.delivery = new Delivery(executor, metrics, sent, DedupLog.inMemory(timers));
    this.dispatcher =
        new Dispatcher(
            config,
            timers,
            Integrations.build(config, http, requestTimeout),
            delivery,
            externalURL,
            timeIntervals);
    this.api = new AlertsApi(this);
  }

  /** Starts on the system clock with virtual-thread delivery. */
  public static BuiltinNotifier start(NotifyConfig config, String externalURL) {
    ScheduledExecutorService ses =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("vigil-notify-timer").unstarted(r));
    ExecutorService exec =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("vigil-notify-", 0).factory());
    HttpClient http =
        // HTTP/1.1 as Alertmanager's webhooks (no h2c upgrade attempt per connection), and the
        // client's own executor, not the virtual threads: with them, in NotifierLoadBenchmark
        // (500 webhooks at once) the client's selector thread waited up to 3.5 s for its lock,
        // held by an unmounted virtual thread (JFR, contention by site).
        HttpClient.newBuilder()
            .connectTimeout(Integrations.HTTP_TIMEOUT)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    BuiltinNotifier n =
        new BuiltinNotifier(
            config,
            Timers.of(Clock.systemUTC(), ses),
            exec,
            ses,
            http,
            Integrations.HTTP_TIMEOUT,
            externalURL,
            timeIntervals(config));
    ses.scheduleWithFixedDelay(
        () -> n.dispatcher.collectGarbage(), 30, 30, java.util.concurrent.TimeUnit.MINUTES);
    return n;
  }

  /** The named time intervals, evaluated by wt/silences' TimeIntervals (checked at bind). */
  static BiPredicate<String, Instant> timeIntervals(NotifyConfig config) {
    Map<String, List<dev.vigil.notify.timeinterval.TimeInterval>> byName =
        new java.util.LinkedHashMap<>();
    config.timeIntervals.forEach(
        (name, node) -> {
          List<dev.vigil.notify.timeinterval.TimeInterval> list = new java.util.ArrayList<>();
          YNode entries = node.map().get("time_intervals");
          if (entries != null && entries.isList()) {
            for (YNode e : entries.list()) {
              list.add(dev.vigil.notify.timeinterval.TimeIntervals.interval(e.toJson()));
            }
          }
          byName.put(name, list);
        });
    dev.vigil.notify.timeinterval.TimeIntervals tis =
        dev.vigil.notify.timeinterval.TimeIntervals.of(byName);
    return tis::contains;
  }

  /** Ingests alerts as an Alertmanager receives them from Prometheus. */
  public synchronized void post(List<PostableAlert> alerts) {
    Instant now = timers.now();
    List<Alert> batch =
        alerts.stream().map(p -> p.toAlert(now, config.global.resolveTimeout())).toList();
    dispatcher.put(batch);
  }

  /** An alert as posted to {@code /api/v2/alerts}; null times as Alertmanager defaults them. */
  public record PostableAlert(
      Map<String, String> labels,
      Map<String, String> annotations,
      Instant startsAt,
      Instant endsAt,
      String generatorURL) {
    Alert toAlert(Instant now, Duration resolveTimeout) {
      Instant start = startsAt != null ? startsAt : (endsAt != null ? endsAt : now);
      boolean timeout = endsAt == null;
      Instant end = timeout ? now.plus(resolveTimeout) : endsAt;
      return new Alert( // which copies the maps
          sorted(labels),
          sorted(annotations == null ? Map.of() : annotations),
          start,
          end,
          generatorURL == null ? "" : generatorURL,
          now,
          timeout);
    }
  }

  /** The map itself when it is sorted by name already (Alert copies it). */
  private static java.util.SortedMap<String, String> sorted(Map<String, String> m) {
    return m instanceof java.util.TreeMap<String, String> t && t.comparator() == null
        ? t
        : new java.util.TreeMap<>(m);
  }

  /** Stored alerts that are not resolved, by state: {@code active} or {@code suppressed}. */
  public Map<String, Long> alertsByState() {
    Instant now = timers.now();
    long active = 0;
    long suppressed = 0;
    for (Alert a : dispatcher.alerts()) {
      if (a.resolvedAt(now)) {
        continue;
      }
      if (dispatcher.inhibitedBy(a).isEmpty() && dispatcher.silencedBy(a).isEmpty()) {
        active++;
      } else {
        suppressed++;
      }
    }
    return Map.of("active", active, "suppressed", suppressed);
  }

  /**
   * Mutes alerts that silences match: {@code silencer} answers the ids of the silences muting an
   * alert's labels at a time (empty: not silenced), as {@code Silences.mutes} does.
   */
  public void silencer(
      java.util.function.BiFunction<Map<String, String>, Instant, List<String>> silencer) {
    this.silencer = silencer;
    dispatcher.silencer(silencer);
  }

  /**
   * Applies a new {@code notify} section as Alertmanager applies a reloaded configuration: routes,
   * receivers, inhibitions and time intervals are rebuilt, and the alerts held are routed again
   * into new aggregation groups. What was already delivered is not sent again (the notification log
   * is kept: a group whose alerts did not change waits for its repeat_interval); alerts older than
   * group_wait are flushed at once, as after a restart.
   */
  public synchronized void reload(NotifyConfig next) {
    Dispatcher old = dispatcher;
    Dispatcher d =
        new Dispatcher(
            next,
            timers,
            Integrations.build(next, http, requestTimeout),
            delivery,
            externalURL,
            timeIntervals(next));
    if (silencer != null) {
      d.silencer(silencer);
    }
    config = next;
    dispatcher = d;
    old.close();
    try {
      if (!old.awaitFlushes(RELOAD_DRAIN)) {
        LOG.warn(
            "notify reload: a delivery of the old configuration still runs after {}", RELOAD_DRAIN);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    d.put(old.alerts());
  }

  /**
   * A notification delivered to one integration of a receiver.
   *
   * @param integration the integration, as {@code kind/index} ({@code webhook/0})
   * @param alerts the labels of the alerts it carried
   * @param at when the delivery succeeded
   */
  public record Delivered(
      String receiver, String integration, List<Map<String, String>> alerts, Instant at) {}

  /** Tells {@code listener} of each successful delivery, on the delivering thread. */
  public void onDelivered(java.util.function.Consumer<Delivered> listener) {
    delivery.onDelivered(listener);
  }

  /**
   * Deduplicates against the persisted notification log from now on (Alertmanager's DedupStage): a
   * group's notification is sent to an integration only when its alerts changed since the last
   * successful delivery recorded there, or repeat_interval has passed; each delivery is recorded.
   * Until called, the log is kept in memory.
   */
  public void notificationLog(dev.vigil.notify.nflog.NotificationLog nflog) {
    delivery.dedup(DedupLog.of(nflog));
  }

  public AlertsApi api() {
    return api;
  }

  /** The most recent notifications sent or tried, with their outcome (the dashboard's log). */
  public SentNotifications sent() {
    return sent;
  }

  public NotifyMetrics metrics() {
    return metrics;
  }

  Dispatcher dispatcher() {
    return dispatcher;
  }

  Instant now() {
    return timers.now();
  }

  List<String> receiverNames() {
    return List.copyOf(config.receivers.keySet());
  }

  @Override
  public void close() {
    dispatcher.close();
    try {
      // A send that is answering now is recorded in the notification log before the server closes
      // the log (else a restart sends it again); a slow receiver delays the close by this at most.
      dispatcher.awaitFlushes(java.time.Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    if (executor != null) {
      executor.shutdownNow();
    }
  }
}
