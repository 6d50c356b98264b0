package dev.vigil.notify.sender;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.model.Labels;
import dev.vigil.rules.RuleMetrics;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Posts alerts to Alertmanagers' API v2 as Prometheus' notifier does: {@link #send} adds the
 * external labels (an alert's own label wins), applies the alert relabeling and queues the alerts
 * without blocking (a full queue drops its oldest alerts, counted); one dispatcher thread takes
 * batches of at most {@link #MAX_BATCH} and posts each batch to every Alertmanager at once, each
 * post bounded by its Alertmanager's timeout. A failed post is logged and counted; a batch no
 * Alertmanager accepted is counted as dropped (the rules re-send firing alerts every resend delay).
 *
 * <pre>{@code
 * AlertmanagerSender s = new AlertmanagerSender(10_000);
 * s.configure(List.of(target), List.of(), Map.of("region", "eu"), UnaryOperator.identity());
 * s.start();
 * s.send(alerts);
 * }</pre>
 */
public final class AlertmanagerSender implements AutoCloseable {
  /** Prometheus' {@code maxBatchSize}. */
  public static final int MAX_BATCH = 64;

  /** Prometheus' default {@code --alertmanager.notification-queue-capacity}. */
  public static final int DEFAULT_CAPACITY = 10_000;

  private static final Logger LOG = Logger.getLogger(AlertmanagerSender.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** Where the alerts go now; replaced whole by {@link #configure}. */
  private record Setup(
      List<AlertmanagerTarget> active,
      List<String> dropped,
      Map<String, String> externalLabels,
      UnaryOperator<Labels> relabel) {}

  private static final class PerTarget {
    final LongAdder sent = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder latencyCount = new LongAdder();
    final DoubleAdder latencySum = new DoubleAdder();
    volatile long lastPostMs;
    volatile String lastError;
  }

  /** The queue's capacity; changed by {@link #capacity(int)}, guarded by {@code queue}. */
  private int capacity;

  private final ArrayDeque<OutgoingAlert> queue = new ArrayDeque<>();
  private final LongAdder dropped = new LongAdder();
  private final Map<String, PerTarget> perTarget = new ConcurrentHashMap<>();
  private final Map<AlertmanagerTarget, HttpClient> clients = new IdentityHashMap<>();
  private volatile Setup setup =
      new Setup(List.of(), List.of(), Map.of(), UnaryOperator.identity());
  private Thread dispatcher;
  private boolean closed;

  /** A sender whose queue holds at most {@code capacity} alerts. */
  public AlertmanagerSender(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("queue capacity must be at least 1");
    }
    this.capacity = capacity;
  }

  /**
   * Sets the queue's capacity (Prometheus' {@code --alertmanager.notification-queue-capacity}); a
   * smaller one drops the oldest queued alerts beyond it, counted as dropped.
   */
  public void capacity(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("queue capacity must be at least 1");
    }
    synchronized (queue) {
      this.capacity = capacity;
      while (queue.size() > capacity) {
        queue.pollFirst();
        dropped.increment();
      }
    }
  }

  /** The queue's capacity. */
  public int capacity() {
    synchronized (queue) {
      return capacity;
    }
  }

  /**
   * The last post to one Alertmanager.
   *
   * @param lastPost when the last post ended (null: none yet)
   * @param lastError its error, null when it was accepted
   * @param sent alerts posted, accepted or not
   * @param errors failed posts
   */
  public record TargetStatus(
      String url, Instant lastPost, String lastError, long sent, long errors) {}

  /** The active Alertmanagers and their last posts, in configuration order. */
  public List<TargetStatus> status() {
    List<TargetStatus> out = new ArrayList<>();
    for (AlertmanagerTarget t : setup.active()) {
      String url = t.url().toString();
      PerTarget m = perTarget.get(url);
      if (m == null || m.lastPostMs == 0) {
        out.add(new TargetStatus(url, null, null, 0, 0));
      } else {
        out.add(
            new TargetStatus(
                url,
                Instant.ofEpochMilli(m.lastPostMs),
                m.lastError,
                m.sent.sum(),
                m.errors.sum()));
      }
    }
    return out;
  }

  /**
   * Sets the Alertmanagers ({@code dropped}: the URLs relabeling dropped, listed by the API), the
   * external labels and the alert relabeling (returns null to drop an alert). Applies to the next
   * {@link #send} and the next batch.
   */
  public void configure(
      List<AlertmanagerTarget> active,
      List<String> droppedUrls,
      Map<String, String> externalLabels,
      UnaryOperator<Labels> relabel) {
    setup =
        new Setup(
            List.copyOf(active), List.copyOf(droppedUrls), Map.copyOf(externalLabels), relabel);
    synchronized (clients) {
      clients.keySet().retainAll(active);
    }
  }

  /** The Alertmanagers alerts are posted to. */
  public List<AlertmanagerTarget> activeAlertmanagers() {
    return setup.active();
  }

  /** The Alertmanager URLs relabeling dropped. */
  public List<String> droppedAlertmanagers() {
    return setup.dropped();
  }

  /** Starts the dispatcher thread. */
  public synchronized void start() {
    if (dispatcher != null) {
      return;
    }
    dispatcher = Thread.ofPlatform().daemon().name("vigil-alertmanager-sender").start(this::run);
  }

  /**
   * Queues alerts for every Alertmanager, never blocking: external labels added (an alert's own
   * label wins), alert relabeling applied (dropped alerts are not queued), the oldest queued alerts
   * dropped and counted when the queue is full. Nothing is queued while no Alertmanager is set.
   */
  public void send(List<OutgoingAlert> alerts) {
    Setup s = setup;
    if (s.active().isEmpty() || alerts.isEmpty()) {
      return;
    }
    List<OutgoingAlert> ready = new ArrayList<>(alerts.size());
    for (OutgoingAlert a : alerts) {
      Labels l = a.labels();
      if (!s.externalLabels().isEmpty()) {
        Labels.Builder b = l.toBuilder();
        for (Map.Entry<String, String> e : s.externalLabels().entrySet()) {
          if (l.getOrEmpty(e.getKey()).isEmpty()) {
            b.set(e.getKey(), e.getValue());
          }
        }
        l = b.build();
      }
      l = s.relabel().apply(l);
      if (l != null && !l.isEmpty()) {
        ready.add(a.withLabels(l));
      }
    }
    synchronized (queue) {
      // More than fits: keep the newest, as Prometheus does.
      int skip = Math.max(0, ready.size() - capacity);
      dropped.add(skip);
      for (int i = skip; i < ready.size(); i++) {
        while (queue.size() >= capacity) {
          queue.pollFirst();
          dropped.increment();
        }
        queue.addLast(ready.get(i));
      }
      queue.notifyAll();
    }
  }

  /** How many alerts wait in the queue. */
  public int queueLength() {
    synchronized (queue) {
      return queue.size();
    }
  }

  private void run() {
    while (true) {
      List<OutgoingAlert> batch = new ArrayList<>(MAX_BATCH);
      synchronized (queue) {
        while (queue.isEmpty() && !closed) {
          try {
            queue.wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (closed) {
          return;
        }
        while (batch.size() < MAX_BATCH && !queue.isEmpty()) {
          batch.add(queue.pollFirst());
        }
      }
      if (!sendAll(batch)) {
        dropped.add(batch.size());
      }
    }
  }

  /** Posts one batch to every Alertmanager at once; true when at least one accepted it. */
  private boolean sendAll(List<OutgoingAlert> batch) {
    List<AlertmanagerTarget> targets = setup.active();
    if (targets.isEmpty()) {
      return false;
    }
    byte[] body = payload(batch);
    List<CompletableFuture<Boolean>> posts = new ArrayList<>(targets.size());
    for (AlertmanagerTarget t : targets) {
      posts.add(post(t, body, batch.size()));
    }
    boolean any = false;
    for (CompletableFuture<Boolean> f : posts) {
      any |= f.join();
    }
    return any;
  }

  private CompletableFuture<Boolean> post(AlertmanagerTarget t, byte[] body, int count) {
    PerTarget m = perTarget.computeIfAbsent(t.url().toString(), k -> new PerTarget());
    long start = System.nanoTime();
    HttpRequest.Builder rb =
        HttpRequest.newBuilder(t.url())
            .timeout(t.timeout())
            .header("Content-Type", "application/json")
            .header("User-Agent", "Vigil")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (t.authorization() != null) {
      rb.header("Authorization", t.authorization());
    }
    CompletableFuture<HttpResponse<String>> f;
    try {
      f = client(t).sendAsync(rb.build(), HttpResponse.BodyHandlers.ofString());
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    return f.handle(
        (resp, err) -> {
          m.latencyCount.increment();
          m.latencySum.add((System.nanoTime() - start) / 1e9);
          m.sent.add(count);
          String problem = null;
          if (err != null) {
            Throwable c = err.getCause() != null ? err.getCause() : err;
            problem = c.getMessage() != null ? c.getMessage() : c.toString();
          } else if (resp.statusCode() / 100 != 2) {
            String text = resp.body() == null ? "" : resp.body().strip();
            problem =
                "bad response status "
                    + resp.statusCode()
                    + (text.isEmpty() ? "" : ": " + abbreviate(text));
          }
          m.lastError = problem;
          m.lastPostMs = System.currentTimeMillis();
          if (problem != null) {
            m.errors.increment();
            LOG.log(
                Level.WARNING,
                "error sending {0} alert(s) to Alertmanager {1}: {2}",
                new Object[] {count, t.url(), problem});
            return false;
          }
          return true;
        });
  }

  private static String abbreviate(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }

  private HttpClient client(AlertmanagerTarget t) {
    synchronized (clients) {
      return clients.computeIfAbsent(
          t,
          k -> {
            HttpClient.Builder b =
                HttpClient.newBuilder()
                    .connectTimeout(k.timeout())
                    .followRedirects(HttpClient.Redirect.NEVER);
            if (k.ssl() != null) {
              b.sslContext(k.ssl());
            }
            if (k.sslParameters() != null) {
              b.sslParameters(k.sslParameters());
            }
            return b.build();
          });
    }
  }

  /** The JSON body of {@code POST /api/v2/alerts}, as Prometheus writes it. */
  static byte[] payload(List<OutgoingAlert> alerts) {
    ArrayNode arr = JSON.createArrayNode();
    for (OutgoingAlert a : alerts) {
      ObjectNode o = arr.addObject();
      if (!a.annotations().isEmpty()) {
        ObjectNode an = o.putObject("annotations");
        new java.util.TreeMap<>(a.annotations()).forEach(an::put);
      }
      o.put("endsAt", TIME.format(Instant.ofEpochMilli(a.endsAt())));
      o.put("startsAt", TIME.format(Instant.ofEpochMilli(a.startsAt())));
      if (a.generatorUrl() != null && !a.generatorUrl().isEmpty()) {
        o.put("generatorURL", a.generatorUrl());
      }
      ObjectNode ln = o.putObject("labels");
      a.labels().forEach(ln::put);
    }
    try {
      return JSON.writeValueAsBytes(arr);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The self-metrics, Prometheus' {@code prometheus_notifications_*} as {@code
   * vigil_notifications_*} (per Alertmanager where Prometheus labels them {@code alertmanager}).
   */
  public List<RuleMetrics.Family> metrics() {
    List<RuleMetrics.Point> sent = new ArrayList<>();
    List<RuleMetrics.Point> errors = new ArrayList<>();
    List<RuleMetrics.Point> latency = new ArrayList<>();
    Map<String, PerTarget> sorted = new java.util.TreeMap<>(perTarget);
    for (Map.Entry<String, PerTarget> e : sorted.entrySet()) {
      Map<String, String> l = Map.of("alertmanager", e.getKey());
      PerTarget m = e.getValue();
      sent.add(new RuleMetrics.Point(l, m.sent.sum(), 0, 0));
      errors.add(new RuleMetrics.Point(l, m.errors.sum(), 0, 0));
      latency.add(new RuleMetrics.Point(l, 0, m.latencyCount.sum(), m.latencySum.sum()));
    }
    Map<String, String> none = new LinkedHashMap<>();
    List<RuleMetrics.Family> out = new ArrayList<>();
    out.add(
        new RuleMetrics.Family(
            "vigil_notifications_alertmanagers_discovered",
            "The number of alertmanagers discovered and active.",
            RuleMetrics.Type.GAUGE,
            List.of(new RuleMetrics.Point(none, setup.active().size(), 0, 0))));
    out.add(
        new RuleMetrics.Family(
            "vigil_notifications_dropped",
            "Total number of alerts dropped due to errors when sending to Alertmanager or a full"
                + " queue.",
            RuleMetrics.Type.COUNTER,
            List.of(new RuleMetrics.Point(none, dropped.sum(), 0, 0))));
    out.add(
        new RuleMetrics.Family(
            "vigil_notifications_errors",
            "Total number of errors sending alert notifications.",
            RuleMetrics.Type.COUNTER,
            errors));
    out.add(
        new RuleMetrics.Family(
            "vigil_notifications_latency_seconds",
            "Latency of sending alert notifications.",
            RuleMetrics.Type.SUMMARY,
            latency));
    out.add(
        new RuleMetrics.Family(
            "vigil_notifications_queue_capacity",
            "The capacity of the alert notifications queue.",
            RuleMetrics.Type.GAUGE,
            List.of(new RuleMetrics.Point(none, capacity(), 0, 0))));
    out.add(
        new RuleMetrics.Family(
            "vigil_notifications_queue_length",
            "The number of alert notifications in the queue.",
            RuleMetrics.Type.GAUGE,
            List.of(new RuleMetrics.Point(none, queueLength(), 0, 0))));
    out.add(
        new RuleMetrics.Family(
            "vigil_notifications_sent",
            "Total number of alerts sent.",
            RuleMetrics.Type.COUNTER,
            sent));
    return out;
  }

  /** Stops the dispatcher; queued alerts are not sent. */
  @Override
  public void close() {
    Thread t;
    synchronized (queue) {
      closed = true;
      queue.notifyAll();
    }
    synchronized (this) {
      t = dispatcher;
    }
    if (t != null) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (clients) {
      clients.values().forEach(HttpClient::close);
      clients.clear();
    }
  }
}
