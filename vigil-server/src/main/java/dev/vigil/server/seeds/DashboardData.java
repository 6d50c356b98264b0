package dev.vigil.server.seeds;

import dev.vigil.collectors.recorders.ErrorLog;
import dev.vigil.promql.Engine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The data behind each seed dashboard widget ({@code overview, resources, api, models, errors,
 * users, agents, files}, and Vigil's {@code quality}), computed with PromQL over the store: the
 * JSON of {@code GET /api/metrics/dashboard?widget=W&timeframe=H} and of DinoAir's {@code
 * get_dashboard_data(widget, timeframe)}. {@code docs/api.md} documents every field.
 *
 * <pre>{@code
 * DashboardData d = new DashboardData(engine, "app_", recorders::recentErrors, System::currentTimeMillis);
 * Map<String, Object> overview = d.widget("overview", 1);
 * double cpu = (Double) ((Map<?, ?>) overview.get("resources")).get("cpu");
 * }</pre>
 *
 * <p>Thread-safe. Counts over the timeframe use {@code increase(...[H h])}; rates use a 5 minute
 * window; time series have about 120 points.
 */
public final class DashboardData {
  /** The widgets, in the seeds' order. */
  public static final Set<String> WIDGETS =
      Set.of(
          "overview",
          "resources",
          "api",
          "models",
          "errors",
          "users",
          "agents",
          "files",
          "quality");

  /** Health score at or above which the status is "healthy"; below 50 it is "critical". */
  static final double HEALTHY = 80;

  static final double CRITICAL = 50;

  private final PromQuery q;
  private final Supplier<Engine> engine;
  private final Supplier<List<ErrorLog.Entry>> recentErrors;
  private final LongSupplier clock;
  private volatile Supplier<List<dev.vigil.collectors.recorders.QualityEvent>> recentQuality =
      List::of;

  /**
   * @param namespacePrefix the recorders' metric prefix, e.g. {@code app_} or {@code dinoair_}
   * @param recentErrors the recorders' recent error log (empty list when none)
   */
  public DashboardData(
      Engine engine,
      String namespacePrefix,
      Supplier<List<ErrorLog.Entry>> recentErrors,
      LongSupplier clockMillis) {
    this(() -> engine, namespacePrefix, recentErrors, clockMillis);
  }

  /**
   * With the engine looked up per call (it may not exist yet while storage opens; the supplier then
   * throws the server's 503).
   */
  public DashboardData(
      Supplier<Engine> engine,
      String namespacePrefix,
      Supplier<List<ErrorLog.Entry>> recentErrors,
      LongSupplier clockMillis) {
    this.q = new PromQuery(engine, namespacePrefix);
    this.engine = engine;
    this.recentErrors = recentErrors;
    this.clock = clockMillis;
  }

  /**
   * Sets where the {@code quality} widget reads the recorders' recent violations and findings
   * (default: none); returns this.
   */
  public DashboardData withQualityEvents(
      Supplier<List<dev.vigil.collectors.recorders.QualityEvent>> events) {
    this.recentQuality = events;
    return this;
  }

  PromQuery query() {
    return q;
  }

  /** The engine (may throw while Vigil starts). */
  /** The recorders' namespace prefix that query templates write as {@code {ns}}. */
  String namespace() {
    return q.expand("{ns}");
  }

  Engine engine() {
    return engine.get();
  }

  long now() {
    return clock.getAsLong();
  }

  /**
   * One widget's data.
   *
   * @param timeframeHours the window for counts and time series, in hours (fractions allowed)
   * @throws IllegalArgumentException for an unknown widget or a timeframe outside (0, 8760]
   */
  public Map<String, Object> widget(String widget, double timeframeHours) {
    if (widget == null || !WIDGETS.contains(widget)) {
      throw new IllegalArgumentException(
          "unknown widget \""
              + widget
              + "\": one of overview, resources, api, models, errors, users, agents, files,"
              + " quality");
    }
    if (!(timeframeHours > 0 && timeframeHours <= 8760)) {
      throw new IllegalArgumentException(
          "timeframe must be a number of hours in (0, 8760], got " + timeframeHours);
    }
    long now = clock.getAsLong();
    Window w = new Window(now, timeframeHours);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("widget", widget);
    out.put("timeframe", timeframeHours);
    out.put("timestamp", Instant.ofEpochMilli(now).toString());
    switch (widget) {
      case "overview" -> overview(w, out);
      case "resources" -> resources(w, out);
      case "api" -> api(w, out);
      case "models" -> models(w, out);
      case "errors" -> errors(w, out);
      case "users" -> users(w, out);
      case "agents" -> agents(w, out);
      case "quality" -> QualityWidget.fill(q, w, recentQuality.get(), out);
      default -> files(w, out);
    }
    return out;
  }

  /** The query window: now, the range selector text and the range-query step. */
  record Window(long now, double hours) {
    long start() {
      return now - (long) (hours * 3_600_000);
    }

    long step() {
      return Math.max(15_000, (long) (hours * 3_600_000 / 120));
    }

    /** A PromQL duration for the whole window, in seconds. */
    String range() {
      return Math.max(1, Math.round(hours * 3600)) + "s";
    }
  }

  static final String CPU = "avg(vigil_cpu_usage_ratio) * 100";
  static final String MEMORY = "avg(vigil_memory_usage_ratio) * 100";
  static final String DISK = "max(vigil_filesystem_fullest_usage_ratio) * 100";
  static final String NET_RX = "sum(rate(node_network_receive_bytes_total{device!=\"lo\"}[5m]))";
  static final String NET_TX = "sum(rate(node_network_transmit_bytes_total{device!=\"lo\"}[5m]))";
  static final String ERRORS_PER_MINUTE = "sum(rate({ns}errors_total[5m])) * 60";

  private void overview(Window w, Map<String, Object> out) {
    long t = w.now;
    double health = q.scalar("max(vigil_health_score)", t, Double.NaN);
    out.put(
        "status",
        Double.isNaN(health)
            ? "unknown"
            : health >= HEALTHY ? "healthy" : health >= CRITICAL ? "degraded" : "critical");
    out.put("health_score", PromQuery.round(health));
    List<Map<String, Object>> inputs = new ArrayList<>();
    Map<String, Double> penalties = q.byLabel("vigil_health_score_penalty", t, "input");
    Map<String, Double> values = q.byLabel("vigil_health_input", t, "input");
    for (Map.Entry<String, Double> e : penalties.entrySet()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("input", e.getKey());
      m.put("value", PromQuery.round(values.getOrDefault(e.getKey(), Double.NaN)));
      m.put("penalty", PromQuery.round(e.getValue()));
      inputs.add(m);
    }
    out.put("health_inputs", inputs);
    Map<String, Object> res = new LinkedHashMap<>();
    res.put("cpu", PromQuery.round(q.scalar(CPU, t, Double.NaN)));
    res.put("memory", PromQuery.round(q.scalar(MEMORY, t, Double.NaN)));
    res.put("disk", PromQuery.round(q.scalar(DISK, t, Double.NaN)));
    out.put("resources", res);
    out.put("active_sessions", (long) q.scalar("sum({ns}active_sessions)", t, 0));
    out.put("total_requests", (long) q.scalar("sum({ns}api_requests_total)", t, 0));
    out.put("error_rate", PromQuery.round(q.scalar(ERRORS_PER_MINUTE, t, 0)));
    Map<String, Double> rps =
        q.byLabel("sum by (service) (rate({ns}api_requests_total[5m]))", t, "service");
    Map<String, Double> eps =
        q.byLabel("sum by (service) (rate({ns}api_errors_total[5m]))", t, "service");
    List<Map<String, Object>> services = new ArrayList<>();
    for (String s : new TreeSet<>(rps.keySet())) {
      double r = rps.get(s);
      double e = eps.getOrDefault(s, 0.0);
      double ratio = r > 0 ? e / r : 0;
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("service", s);
      m.put("status", ratio >= 0.25 ? "down" : ratio >= 0.05 ? "degraded" : "up");
      m.put("requests_per_second", PromQuery.round(r));
      m.put("error_ratio", PromQuery.round(ratio));
      services.add(m);
    }
    out.put("services", services);
  }

  private void resources(Window w, Map<String, Object> out) {
    String[][] series = {
      {"cpu", CPU, "percent"},
      {"memory", MEMORY, "percent"},
      {"disk", DISK, "percent"},
      {"network_receive", NET_RX, "bytes_per_second"},
      {"network_transmit", NET_TX, "bytes_per_second"}
    };
    for (String[] s : series) {
      List<Object[]> points = q.points(s[1], w.start(), w.now, w.step());
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("unit", s[2]);
      m.putAll(PromQuery.stats(points));
      m.put("values", points);
      out.put(s[0], m);
    }
  }

  private static final String LATENCY =
      "histogram_quantile(%s, sum by (service, le) (rate({ns}api_request_duration_seconds_bucket[5m])))";

  private void api(Window w, Map<String, Object> out) {
    long t = w.now;
    String r = w.range();
    Map<String, Double> total =
        q.byLabel("sum by (service) (increase({ns}api_requests_total[" + r + "]))", t, "service");
    Map<String, Double> errors =
        q.byLabel("sum by (service) (increase({ns}api_errors_total[" + r + "]))", t, "service");
    Map<String, Double> rps =
        q.byLabel("sum by (service) (rate({ns}api_requests_total[5m]))", t, "service");
    Map<String, Double> eps =
        q.byLabel("sum by (service) (rate({ns}api_errors_total[5m]))", t, "service");
    Map<String, Double> p50 = q.byLabel(LATENCY.formatted("0.5"), t, "service");
    Map<String, Double> p95 = q.byLabel(LATENCY.formatted("0.95"), t, "service");
    Map<String, Double> p99 = q.byLabel(LATENCY.formatted("0.99"), t, "service");
    List<Map<String, Object>> services = new ArrayList<>();
    Set<String> names = new TreeSet<>(total.keySet());
    names.addAll(rps.keySet());
    for (String s : names) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("service", s);
      m.put("requests", Math.round(total.getOrDefault(s, 0.0)));
      m.put("errors", Math.round(errors.getOrDefault(s, 0.0)));
      m.put("requests_per_second", PromQuery.round(rps.getOrDefault(s, 0.0)));
      m.put("errors_per_second", PromQuery.round(eps.getOrDefault(s, 0.0)));
      Map<String, Object> lat = new LinkedHashMap<>();
      lat.put("p50", PromQuery.round(p50.getOrDefault(s, Double.NaN)));
      lat.put("p95", PromQuery.round(p95.getOrDefault(s, Double.NaN)));
      lat.put("p99", PromQuery.round(p99.getOrDefault(s, Double.NaN)));
      m.put("latency_seconds", lat);
      services.add(m);
    }
    out.put("services", services);
    out.put(
        "request_rate", q.points("sum(rate({ns}api_requests_total[5m]))", w.start(), t, w.step()));
    out.put("error_rate", q.points("sum(rate({ns}api_errors_total[5m]))", w.start(), t, w.step()));
  }

  private void models(Window w, Map<String, Object> out) {
    long t = w.now;
    String r = w.range();
    String by = "sum by (model, provider) ";
    Map<String, Double> gens =
        q.byLabels(
            by + "(increase({ns}model_generations_total[" + r + "]))", t, "model", "provider");
    Map<String, Double> ok =
        q.byLabels(
            by + "(increase({ns}model_generations_total{status=\"success\"}[" + r + "]))",
            t,
            "model",
            "provider");
    Map<String, Double> dsum =
        q.byLabels(
            by + "(increase({ns}model_generation_duration_seconds_sum[" + r + "]))",
            t,
            "model",
            "provider");
    Map<String, Double> dcount =
        q.byLabels(
            by + "(increase({ns}model_generation_duration_seconds_count[" + r + "]))",
            t,
            "model",
            "provider");
    Map<String, Double> prompt =
        q.byLabels(
            by + "(increase({ns}model_tokens_total{type=\"prompt\"}[" + r + "]))",
            t,
            "model",
            "provider");
    Map<String, Double> output =
        q.byLabels(
            by + "(increase({ns}model_tokens_total{type=\"output\"}[" + r + "]))",
            t,
            "model",
            "provider");
    Map<String, Double> cost =
        q.byLabels(by + "(increase({ns}model_cost_total[" + r + "]))", t, "model", "provider");
    Map<String, Double> queue = q.byLabel("sum by (model) ({ns}model_queue_size)", t, "model");
    List<Map<String, Object>> models = new ArrayList<>();
    double totalCost = 0;
    long totalGens = 0;
    for (String k : new TreeSet<>(gens.keySet())) {
      String[] mp = k.split("\u0000", -1);
      double g = gens.get(k);
      double c = cost.getOrDefault(k, 0.0);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("model", mp[0]);
      m.put("provider", mp.length > 1 ? mp[1] : "");
      m.put("generations", Math.round(g));
      m.put("success_rate", g > 0 ? PromQuery.round(ok.getOrDefault(k, 0.0) / g) : null);
      double n = dcount.getOrDefault(k, 0.0);
      m.put("average_time_seconds", n > 0 ? PromQuery.round(dsum.getOrDefault(k, 0.0) / n) : null);
      m.put("prompt_tokens", Math.round(prompt.getOrDefault(k, 0.0)));
      m.put("output_tokens", Math.round(output.getOrDefault(k, 0.0)));
      m.put("cost", PromQuery.round(c));
      m.put("queue_size", Math.round(queue.getOrDefault(mp[0], 0.0)));
      models.add(m);
      totalCost += c;
      totalGens += Math.round(g);
    }
    out.put("models", models);
    out.put("total_generations", totalGens);
    out.put("total_cost", PromQuery.round(totalCost));
  }

  private void errors(Window w, Map<String, Object> out) {
    long t = w.now;
    String r = w.range();
    List<Map<String, Object>> byKind =
        q.vector(
            "sum by (type, service, severity) (increase({ns}errors_total[" + r + "])) > 0",
            t,
            "count",
            "type",
            "service",
            "severity");
    for (Map<String, Object> m : byKind) {
      m.put("count", m.get("count") == null ? 0 : Math.round((Double) m.get("count")));
    }
    out.put("total", byKind.stream().mapToLong(m -> (Long) m.get("count")).sum());
    out.put("by_type", group(byKind, "type"));
    out.put("by_service", group(byKind, "service"));
    out.put("by_severity", group(byKind, "severity"));
    out.put("errors", byKind);
    long since = w.start();
    List<Map<String, Object>> recent = new ArrayList<>();
    for (ErrorLog.Entry e : recentErrors.get()) {
      if (e.timestampMillis() >= since) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("timestamp", Instant.ofEpochMilli(e.timestampMillis()).toString());
        m.put("type", e.type());
        m.put("service", e.service());
        m.put("severity", e.severity());
        m.put("message", e.message());
        recent.add(m);
      }
    }
    out.put("recent", recent);
    out.put("error_rate_per_minute", q.points(ERRORS_PER_MINUTE, w.start(), t, w.step()));
  }

  private static Map<String, Long> group(List<Map<String, Object>> rows, String key) {
    Map<String, Long> m = new java.util.TreeMap<>();
    for (Map<String, Object> row : rows) {
      m.merge((String) row.get(key), (Long) row.get("count"), Long::sum);
    }
    return m;
  }

  private void users(Window w, Map<String, Object> out) {
    long t = w.now;
    String r = w.range();
    out.put("active_sessions", (long) q.scalar("sum({ns}active_sessions)", t, 0));
    out.put(
        "sessions_started",
        Math.round(q.scalar("sum(increase({ns}sessions_started_total[" + r + "]))", t, 0)));
    out.put(
        "sessions_ended",
        Math.round(q.scalar("sum(increase({ns}sessions_ended_total[" + r + "]))", t, 0)));
    double n = q.scalar("sum(increase({ns}session_duration_seconds_count[" + r + "]))", t, 0);
    double sum = q.scalar("sum(increase({ns}session_duration_seconds_sum[" + r + "]))", t, 0);
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("count", Math.round(n));
    d.put("average", n > 0 ? PromQuery.round(sum / n) : null);
    String quantile =
        "histogram_quantile(%s, sum by (le) (increase({ns}session_duration_seconds_bucket["
            + r
            + "])))";
    d.put(
        "p50", n > 0 ? PromQuery.round(q.scalar(quantile.formatted("0.5"), t, Double.NaN)) : null);
    d.put(
        "p95", n > 0 ? PromQuery.round(q.scalar(quantile.formatted("0.95"), t, Double.NaN)) : null);
    out.put("session_duration_seconds", d);
    out.put("timeline", q.points("sum({ns}active_sessions)", w.start(), t, w.step()));
  }

  private void agents(Window w, Map<String, Object> out) {
    long t = w.now;
    String r = w.range();
    String stateLabel = q.expand("{ns}agent_status");
    Map<String, Double> heartbeat =
        q.byLabel("max by (agent) ({ns}agent_last_heartbeat_timestamp_seconds)", t, "agent");
    Map<String, Double> queue = q.byLabel("sum by (agent) ({ns}agent_queue_depth)", t, "agent");
    Map<String, Double> runs =
        q.byLabels(
            "sum by (agent, status) (increase({ns}agent_runs_total[" + r + "]))",
            t,
            "agent",
            "status");
    Map<String, Double> errs =
        q.byLabel("sum by (agent) (increase({ns}agent_errors_total[" + r + "]))", t, "agent");
    // Recovery (recordIncidentStart/recordRecovered, recordAgentRecovery) and resources (the
    // thread group named after the agent: vigil_thread_group_*).
    Map<String, Double> recoveries =
        q.byLabel("sum by (agent) (increase({ns}agent_recoveries_total[" + r + "]))", t, "agent");
    Map<String, Double> recoverySeconds =
        q.byLabel(
            "sum by (agent) (increase({ns}agent_recovery_duration_seconds_sum[" + r + "]))",
            t,
            "agent");
    Map<String, Double> recoveryCount =
        q.byLabel(
            "sum by (agent) (increase({ns}agent_recovery_duration_seconds_count[" + r + "]))",
            t,
            "agent");
    Map<String, Double> incidentOpen =
        q.byLabel("max by (name) ({ns}incidents_open{scope=\"agent\"})", t, "name");
    Map<String, Double> cpu =
        q.byLabel(
            "100 * sum by (group) (rate(vigil_thread_group_cpu_seconds_total[5m]))", t, "group");
    Map<String, Double> alloc =
        q.byLabel(
            "sum by (group) (rate(vigil_thread_group_allocated_bytes_total[5m]))", t, "group");
    Map<String, String> status = new LinkedHashMap<>();
    for (var s : q.vector("{ns}agent_status == 1", t, "v", "agent", stateLabel)) {
      status.put((String) s.get("agent"), (String) s.get(stateLabel));
    }
    Set<String> names = new TreeSet<>(heartbeat.keySet());
    names.addAll(status.keySet());
    names.addAll(queue.keySet());
    List<Map<String, Object>> agents = new ArrayList<>();
    double nowSec = t / 1000.0;
    for (String a : names) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("agent", a);
      m.put("status", status.getOrDefault(a, "unknown"));
      Double hb = heartbeat.get(a);
      m.put(
          "last_heartbeat",
          hb == null ? null : Instant.ofEpochMilli((long) (hb * 1000)).toString());
      m.put("seconds_since_heartbeat", hb == null ? null : PromQuery.round(nowSec - hb));
      Map<String, Long> byStatus = new java.util.TreeMap<>();
      runs.forEach(
          (k, v) -> {
            String[] as = k.split("\u0000", -1);
            if (as[0].equals(a)) {
              byStatus.put(as.length > 1 ? as[1] : "", Math.round(v));
            }
          });
      m.put("runs", byStatus);
      m.put("errors", Math.round(errs.getOrDefault(a, 0.0)));
      m.put("queue_depth", Math.round(queue.getOrDefault(a, 0.0)));
      m.put("recoveries", Math.round(recoveries.getOrDefault(a, 0.0)));
      double n = recoveryCount.getOrDefault(a, 0.0);
      m.put(
          "mttr_seconds", n > 0 ? PromQuery.round(recoverySeconds.getOrDefault(a, 0.0) / n) : null);
      m.put("incident_open", incidentOpen.getOrDefault(a, 0.0) > 0);
      Double c = cpu.get(a);
      m.put("cpu_percent", c == null ? null : PromQuery.round(c));
      Double b = alloc.get(a);
      m.put("allocated_bytes_per_second", b == null ? null : PromQuery.round(b));
      agents.add(m);
    }
    out.put("agents", agents);
  }

  private void files(Window w, Map<String, Object> out) {
    long t = w.now;
    String r = w.range();
    Map<String, Double> ops =
        q.byLabels(
            "sum by (operation, status) (increase({ns}file_operations_total[" + r + "]))",
            t,
            "operation",
            "status");
    Map<String, Double> rate =
        q.byLabel("sum by (operation) (rate({ns}file_operations_total[5m]))", t, "operation");
    String dq =
        "histogram_quantile(%s, sum by (operation, le) (increase({ns}file_operation_duration_seconds_bucket["
            + r
            + "])))";
    Map<String, Double> p50 = q.byLabel(dq.formatted("0.5"), t, "operation");
    Map<String, Double> p95 = q.byLabel(dq.formatted("0.95"), t, "operation");
    Map<String, Double> bytes =
        q.byLabel(
            "sum by (operation) (increase({ns}file_size_bytes_sum[" + r + "]))", t, "operation");
    Map<String, Double> sizes =
        q.byLabel(
            "sum by (operation) (increase({ns}file_size_bytes_count[" + r + "]))", t, "operation");
    Set<String> names = new TreeSet<>();
    ops.keySet().forEach(k -> names.add(k.split("\u0000", -1)[0]));
    List<Map<String, Object>> list = new ArrayList<>();
    for (String op : names) {
      long okN = Math.round(ops.getOrDefault(op + "\u0000success", 0.0));
      long failN = Math.round(ops.getOrDefault(op + "\u0000failure", 0.0));
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("operation", op);
      m.put("success", okN);
      m.put("failure", failN);
      m.put("success_rate", okN + failN > 0 ? PromQuery.round((double) okN / (okN + failN)) : null);
      m.put("per_second", PromQuery.round(rate.getOrDefault(op, 0.0)));
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("p50", PromQuery.round(p50.getOrDefault(op, Double.NaN)));
      d.put("p95", PromQuery.round(p95.getOrDefault(op, Double.NaN)));
      m.put("duration_seconds", d);
      double n = sizes.getOrDefault(op, 0.0);
      m.put("bytes", Math.round(bytes.getOrDefault(op, 0.0)));
      m.put("average_size_bytes", n > 0 ? PromQuery.round(bytes.getOrDefault(op, 0.0) / n) : null);
      list.add(m);
    }
    out.put("operations", list);
    out.put("queue_length", Math.round(q.scalar("sum({ns}file_operation_queue_length)", t, 0)));
  }
}
