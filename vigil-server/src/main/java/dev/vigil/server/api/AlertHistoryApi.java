package dev.vigil.server.api;

import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.rules.history.AlertHistory;
import dev.vigil.rules.history.HistoryEntry;
import dev.vigil.server.http.ApiError;
import dev.vigil.server.http.Json;
import dev.vigil.server.http.Params;
import dev.vigil.server.http.Role;
import dev.vigil.server.http.Router;
import dev.vigil.server.http.Routes;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/alerts/history} (a Vigil extension, docs/api.md): the recorded state changes
 * of alerts, newest first. {@code match[]} selects alerts by their labels ({@code
 * {alertname="Down"}}, or {@code Down}: a selector's metric name is the alert's name; several are
 * ORed), {@code start} and {@code end} (Prometheus' time formats) bound the change's evaluation
 * time, {@code limit} (default {@value #DEFAULT_LIMIT}, at most {@value #MAX_LIMIT}) the number
 * returned. Every parameter is checked before any work.
 */
public final class AlertHistoryApi implements Routes {
  static final int DEFAULT_LIMIT = 1000;
  static final int MAX_LIMIT = 10_000;
  static final int MAX_MATCHERS = 100;

  private final Supplier<AlertHistory> history;

  /**
   * @param history the alert history (throws {@link ApiError} unavailable until it is open)
   */
  public AlertHistoryApi(Supplier<AlertHistory> history) {
    this.history = history;
  }

  @Override
  public void register(Router r) {
    r.get("/api/v1/alerts/history", Role.READ, this::history);
  }

  private void history(Context ctx) {
    if (Params.all(ctx, "match[]").size() > MAX_MATCHERS) {
      throw ApiError.badData(
          "invalid parameter \"match[]\": at most " + MAX_MATCHERS + " selectors per request");
    }
    List<List<LabelMatcher>> matchers = new ArrayList<>();
    for (List<LabelMatcher> set : SeriesApi.matchers(ctx)) {
      matchers.add(set.stream().map(AlertHistoryApi::nameAsAlertname).toList());
    }
    long start = Params.time(ctx, "start", Long.MIN_VALUE);
    long end = Params.time(ctx, "end", Long.MAX_VALUE);
    if (end < start) {
      throw ApiError.badData(
          "invalid parameter \"end\": end timestamp must not be before start time");
    }
    int limit = Params.limit(ctx, "limit");
    if (limit > MAX_LIMIT) {
      throw ApiError.badData(
          "invalid parameter \"limit\": at most " + MAX_LIMIT + ", got " + limit);
    }
    if (limit == 0) {
      limit = DEFAULT_LIMIT;
    }
    List<HistoryEntry> found = history.get().query(matchers, start, end, limit + 1);
    boolean truncated = found.size() > limit;
    List<Object> out = new ArrayList<>();
    for (HistoryEntry e : found.subList(0, Math.min(limit, found.size()))) {
      out.add(entry(e));
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("changes", out);
    data.put("truncated", truncated);
    Json.successObject(ctx, data);
  }

  /** A selector's metric name selects the alert's name: {@code Down{severity="page"}}. */
  private static LabelMatcher nameAsAlertname(LabelMatcher m) {
    return m.name().equals(Labels.METRIC_NAME)
        ? LabelMatcher.of(m.type(), "alertname", m.value())
        : m;
  }

  private static Map<String, Object> entry(HistoryEntry e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", e.id());
    Map<String, String> labels = new LinkedHashMap<>();
    e.labels().forEach(labels::put);
    m.put("labels", labels);
    m.put("annotations", new TreeMap<>(e.annotations()));
    m.put("from", e.from().apiName());
    m.put("to", e.to().apiName());
    m.put("time", RulesApi.time(Instant.ofEpochMilli(e.timestampMs())));
    m.put("activeAt", RulesApi.time(Instant.ofEpochMilli(e.activeAt())));
    m.put("value", RulesApi.formatE(e.value()));
    m.put("group", e.group());
    m.put("file", e.file());
    m.put("flapping", e.flapping());
    m.put("notified", e.notified());
    return m;
  }
}
