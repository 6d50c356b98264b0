package dev.vigil.server.seeds;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.metrics.CallbackCounter;
import dev.vigil.metrics.CallbackGauge;
import dev.vigil.metrics.MetricRegistry;
import dev.vigil.promql.QueryResult;
import dev.vigil.promql.Sample;
import dev.vigil.server.http.Json;
import dev.vigil.server.http.Role;
import dev.vigil.server.http.Router;
import dev.vigil.server.http.Routes;
import io.javalin.websocket.WsContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.api.Callback;

/**
 * WebSocket {@code /ws} (read role): a client subscribes to dashboard widgets or PromQL queries
 * with a refresh interval and the server pushes fresh results.
 *
 * <pre>{@code
 * → {"id": "o", "widget": "overview", "interval": 5}
 * → {"id": "q", "query": "sum(rate(app_api_requests_total[1m]))", "interval": 2}
 * ← {"id": "o", "timestamp": "...", "data": {...widget JSON...}}
 * ← {"id": "q", "timestamp": "...", "data": [{"labels": {...}, "value": 0.5}]}
 * → {"unsubscribe": "q"}
 * ← {"id": "q", "error": "..."}            (bad query, unknown widget, bad interval)
 * }</pre>
 *
 * <p>Intervals are 1-3600 s; at most {@link #MAX_SUBSCRIPTIONS} per connection. Sends are
 * asynchronous; a client with more than {@link #MAX_PENDING} unacknowledged messages is too slow
 * and is closed (1008; disconnected if it has not taken the close after {@link #DROP_GRACE_SECONDS}
 * s), without holding up anyone else. Connections beyond the limit are closed at once (1013).
 * Counted in {@code vigil_ws_connections} and {@code vigil_ws_dropped_total{reason}}.
 *
 * <p>Evaluations run on the server's query threads, at most one per connection at a time,
 * connections served round-robin, each within a budget of evaluation time ({@link
 * SubscriptionScheduler}). A subscription that comes due before its previous push was evaluated is
 * skipped; the first skip sends {@code {"id": "q", "lagging": "<why>", "skipped": 1}} and the next
 * push carries {@code "skipped": n}. Skips are counted in {@code vigil_ws_skipped_total}.
 */
public final class LiveRoutes implements Routes, AutoCloseable {
  static final int MAX_SUBSCRIPTIONS = 32;
  static final int MAX_PENDING = 16;
  static final int DROP_GRACE_SECONDS = 2;

  private final DashboardData dashboard;
  private final int maxConnections;
  private final SubscriptionScheduler scheduler = new SubscriptionScheduler();
  private final Map<String, Connection> connections = new ConcurrentHashMap<>();
  private final AtomicLong droppedSlow = new AtomicLong();
  private final AtomicLong droppedFull = new AtomicLong();

  /**
   * @param registry where the WebSocket metrics go, or null
   */
  public LiveRoutes(DashboardData dashboard, int maxConnections, MetricRegistry registry) {
    this.dashboard = dashboard;
    this.maxConnections = maxConnections;
    if (registry != null) {
      CallbackGauge.builder()
          .name("vigil_ws_connections")
          .help("Open WebSocket connections on /ws.")
          .callback(() -> connections.size())
          .register(registry);
      CallbackCounter.builder()
          .name("vigil_ws_dropped_total")
          .help("WebSocket connections closed by the server: too slow, or over the limit.")
          .labelNames("reason")
          .callback(
              sink -> {
                sink.set(droppedSlow.get(), "slow");
                sink.set(droppedFull.get(), "limit");
              })
          .register(registry);
      CallbackCounter.builder()
          .name("vigil_ws_skipped_total")
          .help(
              "Pushes of /ws subscriptions skipped because the previous one had not run yet: the"
                  + " connection was over its budget or the query threads were busy.")
          .callback(scheduler::skipped)
          .register(registry);
    }
  }

  /** Open connections. */
  public int connections() {
    return connections.size();
  }

  @Override
  public void register(Router r) {
    scheduler.usePool(r.queryPool());
    r.ws(
        "/ws",
        Role.READ,
        ws -> {
          ws.onConnect(
              ctx -> {
                if (!ctx.session.isOpen()) {
                  return; // refused by the server's token check
                }
                if (connections.size() >= maxConnections) {
                  droppedFull.incrementAndGet();
                  ctx.session.close(1013, "too many WebSocket connections", Callback.NOOP);
                  return;
                }
                connections.put(ctx.sessionId(), new Connection(ctx));
              });
          ws.onMessage(
              ctx -> {
                Connection c = connections.get(ctx.sessionId());
                if (c != null) {
                  c.onMessage(ctx.message());
                }
              });
          ws.onClose(ctx -> remove(ctx.sessionId()));
          ws.onError(ctx -> remove(ctx.sessionId()));
        });
  }

  private void remove(String id) {
    Connection c = connections.remove(id);
    if (c != null) {
      c.cancelAll();
    }
  }

  @Override
  public void close() {
    scheduler.close();
  }

  /** One client: its subscriptions and its count of sends in flight. */
  private final class Connection {
    private final WsContext ctx;
    private final Map<String, SubscriptionScheduler.Sub> subs = new ConcurrentHashMap<>();
    private final SubscriptionScheduler.Share share = scheduler.newShare();
    private final AtomicInteger pending = new AtomicInteger();

    Connection(WsContext ctx) {
      this.ctx = ctx;
    }

    void onMessage(String text) {
      JsonNode m;
      try {
        m = Json.MAPPER.readTree(text);
      } catch (Exception e) {
        send(Map.of("error", "not JSON: " + e.getMessage()));
        return;
      }
      if (m == null || !m.isObject()) {
        send(Map.of("error", "send a JSON object"));
        return;
      }
      if (m.hasNonNull("unsubscribe")) {
        SubscriptionScheduler.Sub f = subs.remove(m.get("unsubscribe").asText());
        if (f != null) {
          scheduler.cancel(f);
        }
        return;
      }
      String id = m.path("id").asText(Integer.toString(subs.size() + 1));
      double interval = m.path("interval").asDouble(5);
      String widget = m.hasNonNull("widget") ? m.get("widget").asText() : null;
      String query = m.hasNonNull("query") ? m.get("query").asText() : null;
      double hours = m.path("timeframe").asDouble(1);
      String problem = null;
      if ((widget == null) == (query == null)) {
        problem = "give exactly one of widget or query";
      } else if (!(interval >= 1 && interval <= 3600)) {
        problem = "interval must be 1-3600 seconds";
      } else if (widget != null && !DashboardData.WIDGETS.contains(widget)) {
        problem = "unknown widget \"" + widget + "\"";
      } else if (subs.size() >= MAX_SUBSCRIPTIONS && !subs.containsKey(id)) {
        problem = "at most " + MAX_SUBSCRIPTIONS + " subscriptions per connection";
      }
      if (problem != null) {
        send(Map.of("id", id, "error", problem));
        return;
      }
      SubscriptionScheduler.Sub old =
          subs.put(
              id,
              scheduler.schedule(
                  share,
                  (long) (interval * 1000),
                  new SubscriptionScheduler.Job() {
                    @Override
                    public void run(int skipped) {
                      push(id, widget, query, hours, skipped);
                    }

                    @Override
                    public void lagging(int skipped, String reason) {
                      Map<String, Object> out = new LinkedHashMap<>();
                      out.put("id", id);
                      out.put("lagging", reason);
                      out.put("skipped", skipped);
                      send(out);
                    }
                  }));
      if (old != null) {
        scheduler.cancel(old);
      }
    }

    private void push(String id, String widget, String query, double hours, int skipped) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("id", id);
      out.put("timestamp", Instant.ofEpochMilli(dashboard.now()).toString());
      if (skipped > 0) {
        out.put("skipped", skipped);
      }
      try {
        out.put("data", widget != null ? dashboard.widget(widget, hours) : instant(query));
      } catch (RuntimeException e) {
        out.put("error", String.valueOf(e.getMessage()));
        SubscriptionScheduler.Sub f = subs.remove(id);
        if (f != null) {
          scheduler.cancel(f);
        }
      }
      send(out);
    }

    private Object instant(String query) {
      QueryResult r = dashboard.engine().instantQuery(query, dashboard.now());
      if (r.type() == QueryResult.Type.SCALAR) {
        return PromQuery.json(r.scalar());
      }
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Sample s : r.vector()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("labels", s.labels().toMap());
        m.put("value", PromQuery.json(s.value()));
        rows.add(m);
      }
      return rows;
    }

    private void send(Object message) {
      if (!ctx.session.isOpen()) {
        return;
      }
      if (pending.incrementAndGet() > MAX_PENDING) {
        // Too slow: drop this client alone; no thread ever blocks on a socket. Its slot
        // is freed now, not when the close completes; a client that stopped reading never takes
        // the close frame, so the connection is cut after a grace period (its queued messages
        // would otherwise stay in memory until the idle timeout).
        droppedSlow.incrementAndGet();
        remove(ctx.sessionId());
        ctx.session.close(1008, "client too slow: messages not consumed", Callback.NOOP);
        // (isOpen() is already false while the close waits, so no check: a no-op once closed.)
        scheduler.later(ctx.session::disconnect, TimeUnit.SECONDS.toMillis(DROP_GRACE_SECONDS));
        return;
      }
      ctx.session.sendText(
          new String(Jsons.bytes(message), java.nio.charset.StandardCharsets.UTF_8),
          Callback.from(pending::decrementAndGet, t -> pending.decrementAndGet()));
    }

    void cancelAll() {
      scheduler.close(share);
      subs.clear();
    }
  }
}
