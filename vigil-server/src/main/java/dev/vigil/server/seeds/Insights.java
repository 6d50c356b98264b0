package dev.vigil.server.seeds;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seeds' realtime, summary and report views, computed with PromQL over the store: {@code GET
 * /api/metrics/realtime}, {@code /api/metrics/summary} and {@code /api/metrics/report}.
 *
 * <p>Thread-safe.
 */
public final class Insights {
  /** Key metrics: name, PromQL (with {ns}), unit. */
  static final String[][] KEY_METRICS = {
    {"cpu_percent", DashboardData.CPU, "percent"},
    {"memory_percent", DashboardData.MEMORY, "percent"},
    {"disk_percent", DashboardData.DISK, "percent"},
    {"network_receive_bytes_per_second", DashboardData.NET_RX, "bytes_per_second"},
    {"network_transmit_bytes_per_second", DashboardData.NET_TX, "bytes_per_second"},
    {"requests_per_second", "sum(rate({ns}api_requests_total[5m]))", "per_second"},
    {"errors_per_minute", DashboardData.ERRORS_PER_MINUTE, "per_minute"},
    {
      "p95_latency_seconds",
      "histogram_quantile(0.95, sum by (le) (rate({ns}api_request_duration_seconds_bucket[5m])))",
      "seconds"
    },
    {"active_sessions", "sum({ns}active_sessions)", "sessions"},
    {
      "model_generations_per_minute",
      "sum(rate({ns}model_generations_total[5m])) * 60",
      "per_minute"
    },
    {"health_score", "max(vigil_health_score)", "score"}
  };

  /** Report types. */
  public static final List<String> REPORTS =
      List.of("system_performance", "weekly_summary", "cost");

  private final DashboardData dashboard;
  private final PromQuery q;

  public Insights(DashboardData dashboard) {
    this.dashboard = dashboard;
    this.q = dashboard.query();
  }

  /** Latest value of each key metric (null when the store has none). */
  public Map<String, Object> realtime() {
    long t = dashboard.now();
    Map<String, Object> values = new LinkedHashMap<>();
    for (String[] m : KEY_METRICS) {
      values.put(m[0], PromQuery.round(q.scalar(m[1], t, Double.NaN)));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("timestamp", Instant.ofEpochMilli(t).toString());
    out.put("metrics", values);
    return out;
  }

  /** Per key metric over the last {@code hours}: current, average, peak and p95. */
  public Map<String, Object> summary(double hours) {
    DashboardData.Window w = window(hours);
    String sub = "[" + w.range() + ":" + w.step() / 1000 + "s]";
    Map<String, Object> metrics = new LinkedHashMap<>();
    for (String[] m : KEY_METRICS) {
      String e = "(" + m[1] + ")";
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("unit", m[2]);
      s.put("current", PromQuery.round(q.scalar(m[1], w.now(), Double.NaN)));
      s.put(
          "average",
          PromQuery.round(q.scalar("avg_over_time(" + e + sub + ")", w.now(), Double.NaN)));
      s.put(
          "peak", PromQuery.round(q.scalar("max_over_time(" + e + sub + ")", w.now(), Double.NaN)));
      s.put(
          "p95",
          PromQuery.round(
              q.scalar("quantile_over_time(0.95, " + e + sub + ")", w.now(), Double.NaN)));
      metrics.put(m[0], s);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("timestamp", Instant.ofEpochMilli(w.now()).toString());
    out.put("timeframe", hours);
    out.put("metrics", metrics);
    return out;
  }

  private DashboardData.Window window(double hours) {
    if (!(hours > 0 && hours <= 8760)) {
      throw new IllegalArgumentException(
          "timeframe must be a number of hours in (0, 8760], got " + hours);
    }
    return new DashboardData.Window(dashboard.now(), hours);
  }

  /**
   * A generated report.
   *
   * @param hours the window; null for the type's default (24 h, 168 h for weekly_summary and cost)
   */
  public Map<String, Object> report(String type, Double hours) {
    if (type == null || !REPORTS.contains(type)) {
      throw new IllegalArgumentException(
          "unknown report type \"" + type + "\": one of " + String.join(", ", REPORTS));
    }
    double h = hours != null ? hours : type.equals("system_performance") ? 24 : 168;
    window(h);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("type", type);
    out.put("title", title(type));
    out.put("generated_at", Instant.ofEpochMilli(dashboard.now()).toString());
    out.put("timeframe", h);
    switch (type) {
      case "system_performance" -> {
        Map<String, Object> overview = dashboard.widget("overview", h);
        out.put("status", overview.get("status"));
        out.put("health_score", overview.get("health_score"));
        out.put("health_inputs", overview.get("health_inputs"));
        Map<String, Object> s = summary(h);
        out.put("key_metrics", s.get("metrics"));
        out.put("services", dashboard.widget("api", h).get("services"));
        out.put("errors", dashboard.widget("errors", h).get("by_type"));
      }
      case "weekly_summary" -> {
        Map<String, Object> api = dashboard.widget("api", h);
        Map<String, Object> models = dashboard.widget("models", h);
        Map<String, Object> users = dashboard.widget("users", h);
        Map<String, Object> errors = dashboard.widget("errors", h);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> services = (List<Map<String, Object>>) api.get("services");
        long requests = services.stream().mapToLong(m -> (Long) m.get("requests")).sum();
        long failed = services.stream().mapToLong(m -> (Long) m.get("errors")).sum();
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("requests", requests);
        totals.put("failed_requests", failed);
        totals.put(
            "error_ratio", requests > 0 ? PromQuery.round((double) failed / requests) : null);
        totals.put("errors", errors.get("total"));
        totals.put("model_generations", models.get("total_generations"));
        totals.put("model_cost", models.get("total_cost"));
        totals.put("sessions_started", users.get("sessions_started"));
        totals.put("session_duration_seconds", users.get("session_duration_seconds"));
        out.put("totals", totals);
        out.put("services", services);
        out.put("models", models.get("models"));
        out.put("errors_by_type", errors.get("by_type"));
      }
      default -> {
        Map<String, Object> models = dashboard.widget("models", h);
        out.put("total_cost", models.get("total_cost"));
        out.put("total_generations", models.get("total_generations"));
        out.put("models", models.get("models"));
      }
    }
    return out;
  }

  private static String title(String type) {
    return switch (type) {
      case "system_performance" -> "System performance";
      case "weekly_summary" -> "Weekly summary";
      default -> "Model cost";
    };
  }

  /** The report as Markdown: a heading, then each field as a line, list or table. */
  public static String markdown(Map<String, Object> report) {
    StringBuilder sb = new StringBuilder();
    sb.append("# ").append(report.get("title")).append("\n\n");
    sb.append("Generated ")
        .append(report.get("generated_at"))
        .append(", last ")
        .append(report.get("timeframe"))
        .append(" h.\n");
    for (Map.Entry<String, Object> e : report.entrySet()) {
      if (List.of("title", "type", "generated_at", "timeframe").contains(e.getKey())) {
        continue;
      }
      section(sb, e.getKey(), e.getValue());
    }
    return sb.toString();
  }

  private static void section(StringBuilder sb, String name, Object v) {
    String heading = Character.toUpperCase(name.charAt(0)) + name.substring(1).replace('_', ' ');
    if (v instanceof List<?> list) {
      sb.append("\n## ").append(heading).append("\n\n");
      if (list.isEmpty()) {
        sb.append("(none)\n");
        return;
      }
      if (list.get(0) instanceof Map<?, ?> first) {
        List<?> keys = List.copyOf(first.keySet());
        sb.append('|');
        keys.forEach(k -> sb.append(' ').append(k).append(" |"));
        sb.append("\n|");
        keys.forEach(k -> sb.append("---|"));
        sb.append('\n');
        for (Object row : list) {
          Map<?, ?> m = (Map<?, ?>) row;
          sb.append('|');
          keys.forEach(k -> sb.append(' ').append(cell(m.get(k))).append(" |"));
          sb.append('\n');
        }
      } else {
        list.forEach(x -> sb.append("- ").append(cell(x)).append('\n'));
      }
    } else if (v instanceof Map<?, ?> map) {
      sb.append("\n## ").append(heading).append("\n\n");
      if (map.isEmpty()) {
        sb.append("(none)\n");
      }
      map.forEach(
          (k, x) -> sb.append("- **").append(k).append("**: ").append(cell(x)).append('\n'));
    } else {
      sb.append("\n**").append(heading).append("**: ").append(cell(v)).append('\n');
    }
  }

  private static String cell(Object v) {
    if (v == null) {
      return "–";
    }
    if (v instanceof Map<?, ?> m) {
      StringBuilder sb = new StringBuilder();
      m.forEach(
          (k, x) -> sb.append(sb.isEmpty() ? "" : ", ").append(k).append(": ").append(cell(x)));
      return sb.toString();
    }
    return v.toString().replace("|", "\\|");
  }
}
