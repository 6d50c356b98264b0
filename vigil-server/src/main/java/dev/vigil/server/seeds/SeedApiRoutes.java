package dev.vigil.server.seeds;

import dev.vigil.model.Names;
import dev.vigil.promql.QueryResult;
import dev.vigil.report.ReportException;
import dev.vigil.report.ReportFormat;
import dev.vigil.report.ReportRunner;
import dev.vigil.server.http.ApiError;
import dev.vigil.server.http.Params;
import dev.vigil.server.http.Role;
import dev.vigil.server.http.Router;
import dev.vigil.server.http.Routes;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seeds' own HTTP API (DinoAir, VIBEZEN), read role:
 *
 * <ul>
 *   <li>{@code GET /api/metrics?format=prometheus|openmetrics|json|influx|csv}
 *   <li>{@code GET /api/metrics/dashboard?widget=W&timeframe=H}
 *   <li>{@code GET /api/metrics/realtime}
 *   <li>{@code GET /api/metrics/history?metric=NAME|query=PROMQL&start=&end=&step=}
 *   <li>{@code GET /api/metrics/summary?timeframe=H}
 *   <li>{@code GET /api/metrics/report?type=system_performance|weekly_summary|cost[&timeframe=H]}
 *       (JSON, or Markdown with {@code Accept: text/markdown}): the original shapes
 *   <li>{@code GET /api/metrics/report?type=NAME&format=md|html|pdf|json[&timeframe=H]}: any report
 *       definition (built-in or in {@code reports.folder}), rendered by {@code vigil-report}
 * </ul>
 *
 * <p>Answers are plain JSON objects as the seeds document them (no Prometheus envelope); errors use
 * the server's error envelope with a message naming the bad parameter. {@code docs/api.md}
 * documents every shape.
 */
public final class SeedApiRoutes implements Routes {
  /** Most points a history answer may have. */
  static final int MAX_POINTS = 11_000;

  private final DashboardData dashboard;
  private final Insights insights;
  private final CurrentValues current;
  private final Reports reports;

  /** The seeds' API with the built-in reports only. */
  public SeedApiRoutes(DashboardData dashboard) {
    this(
        dashboard,
        new Reports(() -> null, new ReportRunner(dashboard::engine, dashboard.namespace())));
  }

  SeedApiRoutes(DashboardData dashboard, Reports reports) {
    this.dashboard = dashboard;
    this.insights = new Insights(dashboard);
    this.current = new CurrentValues(dashboard::engine);
    this.reports = reports;
  }

  @Override
  public void register(Router router) {
    // Every route evaluates PromQL: on the query threads (Router#onQueryPool).
    Router r = router.onQueryPool();
    r.get("/api/metrics", Role.READ, this::metrics);
    r.get(
        "/api/metrics/dashboard",
        Role.READ,
        ctx -> json(ctx, guard(() -> dashboard.widget(ctx.queryParam("widget"), hours(ctx, 1.0)))));
    r.get("/api/metrics/realtime", Role.READ, ctx -> json(ctx, insights.realtime()));
    r.get("/api/metrics/history", Role.READ, this::history);
    r.get(
        "/api/metrics/summary",
        Role.READ,
        ctx -> json(ctx, guard(() -> insights.summary(hours(ctx, 1.0)))));
    r.get("/api/metrics/report", Role.READ, this::report);
  }

  private void metrics(Context ctx) {
    CurrentValues.Body b = guard(() -> current.render(ctx.queryParam("format"), dashboard.now()));
    ctx.contentType(b.contentType()).result(b.bytes());
  }

  private void report(Context ctx) {
    String type = ctx.queryParam("type");
    String format = ctx.queryParam("format");
    if (format == null && Insights.REPORTS.contains(type)) {
      legacyReport(ctx);
      return;
    }
    ReportFormat f;
    try {
      f = ReportFormat.parse(format == null ? "json" : format);
    } catch (ReportException e) {
      throw ApiError.badData(e.getMessage());
    }
    String t = ctx.queryParam("timeframe");
    Duration range = null;
    if (t != null) {
      double h = hours(ctx, 24.0);
      if (!(h > 0 && h <= ReportRunner.MAX_RANGE.toHours())) {
        throw ApiError.badData(Reports.badRange(h).getMessage());
      }
      range = Duration.ofMillis(Math.round(h * 3_600_000));
    }
    Duration r = range;
    byte[] body = guard(() -> reports.render(type, f, r, Instant.ofEpochMilli(dashboard.now())));
    if (f == ReportFormat.PDF || f == ReportFormat.HTML || f == ReportFormat.MD) {
      ctx.header(
          "Content-Disposition",
          (f == ReportFormat.HTML ? "inline" : "attachment")
              + "; filename=\""
              + type
              + "."
              + f.extension()
              + "\"");
    }
    ctx.contentType(f.contentType()).result(body);
  }

  /** The three original types without {@code format}: the shapes docs/api.md gives them. */
  private void legacyReport(Context ctx) {
    String t = ctx.queryParam("timeframe");
    Map<String, Object> rep =
        guard(() -> insights.report(ctx.queryParam("type"), t == null ? null : hours(ctx, 24.0)));
    String accept = ctx.header("Accept");
    if (accept != null && accept.contains("text/markdown")) {
      ctx.contentType("text/markdown; charset=utf-8").result(Insights.markdown(rep));
    } else {
      json(ctx, rep);
    }
  }

  private void history(Context ctx) {
    String metric = ctx.queryParam("metric");
    String query = ctx.queryParam("query");
    if ((metric == null) == (query == null)) {
      throw ApiError.badData("give exactly one of metric=<name> or query=<PromQL>");
    }
    if (metric != null && !Names.isValidMetricName(metric)) {
      throw ApiError.badData("invalid metric name \"" + metric + "\"");
    }
    long now = dashboard.now();
    long end = Params.time(ctx, "end", now);
    long start = Params.time(ctx, "start", end - 3_600_000);
    if (end < start) {
      throw ApiError.badData("end is before start");
    }
    long step = Params.duration(ctx, "step", Math.max(15_000, (end - start) / 240));
    if (step <= 0) {
      throw ApiError.badData("step must be positive");
    }
    if ((end - start) / step + 1 > MAX_POINTS) {
      throw ApiError.badData(
          "too many points: (end - start) / step must stay under " + MAX_POINTS + "; raise step");
    }
    String expr = metric != null ? metric : query;
    QueryResult r = guard(() -> dashboard.engine().rangeQuery(expr, start, end, step));
    List<Map<String, Object>> series = new ArrayList<>();
    for (QueryResult.Series s : r.matrix()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("labels", s.labels().toMap());
      m.put("values", PromQuery.points(s));
      series.add(m);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(metric != null ? "metric" : "query", expr);
    out.put("start", Instant.ofEpochMilli(start).toString());
    out.put("end", Instant.ofEpochMilli(end).toString());
    out.put("step", step / 1000.0);
    out.put("series", series);
    json(ctx, out);
  }

  private static double hours(Context ctx, double dflt) {
    String t = ctx.queryParam("timeframe");
    if (t == null || t.isEmpty()) {
      return dflt;
    }
    try {
      return Double.parseDouble(t.endsWith("h") ? t.substring(0, t.length() - 1) : t);
    } catch (NumberFormatException e) {
      throw ApiError.badData("invalid timeframe \"" + t + "\": a number of hours, e.g. 6 or 0.5");
    }
  }

  private static <T> T guard(java.util.function.Supplier<T> s) {
    try {
      return s.get();
    } catch (IllegalArgumentException
        | ReportException
        | dev.vigil.promql.PromqlException
        | dev.vigil.promql.parser.ParseException e) {
      throw ApiError.badData(e.getMessage());
    }
  }

  private static void json(Context ctx, Object o) {
    ctx.contentType("application/json").result(Jsons.bytes(o));
  }
}
