package dev.vigil.server.api;

import dev.vigil.notify.builtin.BuiltinNotifier;
import dev.vigil.notify.builtin.SentNotifications;
import dev.vigil.notify.sender.AlertmanagerSender;
import dev.vigil.server.http.ApiError;
import dev.vigil.server.http.Json;
import dev.vigil.server.http.Params;
import dev.vigil.server.http.Role;
import dev.vigil.server.http.Router;
import dev.vigil.server.http.Routes;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/notifications} (a Vigil extension, docs/api.md): the notification log the
 * dashboard shows. The built-in notifier's most recent notifications, newest first, each to one
 * integration with its group, alerts, outcome and error ({@code receiver} and {@code alertname}
 * filter them, {@code limit} bounds them: default {@value #DEFAULT_LIMIT}, at most {@value
 * #MAX_LIMIT}, the notifier keeping the last {@value SentNotifications#CAPACITY}); and the
 * Alertmanagers alerts are sent to, with their last post. Parameters are checked before any work.
 */
public final class NotificationsApi implements Routes {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = SentNotifications.CAPACITY;
  static final int MAX_FILTER_LENGTH = 1024;

  private final Supplier<BuiltinNotifier> notifier;
  private final AlertmanagerSender sender;

  /**
   * @param notifier the built-in notifier, null when vigil.yml has no {@code notify} section
   * @param sender the sender to the Alertmanagers of {@code alerting}
   */
  public NotificationsApi(Supplier<BuiltinNotifier> notifier, AlertmanagerSender sender) {
    this.notifier = notifier;
    this.sender = sender;
  }

  @Override
  public void register(Router r) {
    r.get("/api/v1/notifications", Role.READ, this::notifications);
  }

  private void notifications(Context ctx) {
    String receiver = filter(ctx, "receiver");
    String alertname = filter(ctx, "alertname");
    int limit = Params.limit(ctx, "limit");
    if (limit > MAX_LIMIT) {
      throw ApiError.badData(
          "invalid parameter \"limit\": at most " + MAX_LIMIT + ", got " + limit);
    }
    if (limit == 0) {
      limit = DEFAULT_LIMIT;
    }
    BuiltinNotifier n = notifier.get();
    List<Object> out = new ArrayList<>();
    boolean truncated = false;
    if (n != null) {
      List<SentNotifications.Sent> found = n.sent().query(receiver, alertname, limit + 1);
      truncated = found.size() > limit;
      for (SentNotifications.Sent s : found.subList(0, Math.min(limit, found.size()))) {
        out.add(entry(s));
      }
    }
    List<Object> ams = new ArrayList<>();
    for (AlertmanagerSender.TargetStatus t : sender.status()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("url", t.url());
      m.put("lastPost", t.lastPost() == null ? null : RulesApi.time(t.lastPost()));
      m.put("lastError", t.lastError());
      m.put("sent", t.sent());
      m.put("errors", t.errors());
      ams.add(m);
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("builtin", n != null);
    data.put("notifications", out);
    data.put("truncated", truncated);
    data.put("alertmanagers", ams);
    Json.successObject(ctx, data);
  }

  /** An exact-match filter; null when absent or empty. */
  private static String filter(Context ctx, String name) {
    String v = Params.get(ctx, name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    if (v.length() > MAX_FILTER_LENGTH) {
      throw ApiError.badData(
          "invalid parameter \"" + name + "\": at most " + MAX_FILTER_LENGTH + " characters");
    }
    return v;
  }

  private static Map<String, Object> entry(SentNotifications.Sent s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("time", RulesApi.time(s.at()));
    m.put("receiver", s.receiver());
    m.put("integration", s.integration());
    m.put("groupKey", s.groupKey());
    m.put("groupLabels", new TreeMap<>(s.groupLabels()));
    List<Object> alerts = new ArrayList<>();
    for (SentNotifications.SentAlert a : s.alerts()) {
      Map<String, Object> am = new LinkedHashMap<>();
      am.put("labels", new TreeMap<>(a.labels()));
      am.put("status", a.status());
      alerts.add(am);
    }
    m.put("alerts", alerts);
    m.put("status", s.delivered() ? "delivered" : "failed");
    m.put("error", s.error());
    m.put("attempts", s.attempts());
    return m;
  }
}
