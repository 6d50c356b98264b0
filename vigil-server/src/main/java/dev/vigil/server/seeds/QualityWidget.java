package dev.vigil.server.seeds;

import dev.vigil.collectors.recorders.QualityEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The {@code quality} widget of {@code /api/metrics/dashboard}: the quality recorder's figures over
 * the timeframe, per agent, and its recent violations and findings (those the sampler kept).
 * Separate from {@link DashboardData} so the seeds' widgets stay as they are.
 */
final class QualityWidget {
  private QualityWidget() {}

  static void fill(
      PromQuery q, DashboardData.Window w, List<QualityEvent> events, Map<String, Object> out) {
    long t = w.now();
    String r = w.range();
    Map<String, Double> solutions =
        q.byLabel(
            "sum by (agent) (increase({ns}quality_thinking_steps_count[" + r + "]))", t, "agent");
    Map<String, Double> steps =
        q.byLabel(
            "sum by (agent) (increase({ns}quality_thinking_steps_sum[" + r + "]))", t, "agent");
    Map<String, Double> confidence =
        q.byLabel(
            "sum by (agent) (increase({ns}quality_confidence_ratio_sum[" + r + "]))", t, "agent");
    Map<String, Double> revisions = perAgent(q, "quality_revisions_total", r, t);
    Map<String, Double> violations = perAgent(q, "quality_violations_total", r, t);
    Map<String, Double> findings = perAgent(q, "quality_findings_total", r, t);
    Map<String, Double> autofixed = perAgent(q, "quality_findings_autofixed_total", r, t);
    TreeSet<String> names = new TreeSet<>(solutions.keySet());
    names.addAll(revisions.keySet());
    names.addAll(violations.keySet());
    names.addAll(findings.keySet());
    List<Map<String, Object>> agents = new ArrayList<>();
    for (String a : names) {
      double n = solutions.getOrDefault(a, 0.0);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("agent", a);
      m.put("solutions", Math.round(n));
      m.put("average_steps", n > 0 ? PromQuery.round(steps.getOrDefault(a, 0.0) / n) : null);
      m.put(
          "average_confidence",
          n > 0 ? PromQuery.round(confidence.getOrDefault(a, 0.0) / n) : null);
      m.put("revisions", Math.round(revisions.getOrDefault(a, 0.0)));
      m.put("violations", Math.round(violations.getOrDefault(a, 0.0)));
      m.put("findings", Math.round(findings.getOrDefault(a, 0.0)));
      m.put("autofixed", Math.round(autofixed.getOrDefault(a, 0.0)));
      agents.add(m);
    }
    out.put("agents", agents);
    out.put("findings_by_severity", rounded(q, "quality_findings_total", "severity", r, t));
    out.put("violations_by_kind", rounded(q, "quality_violations_total", "kind", r, t));
    out.put("issues_prevented", total(q, "quality_issues_prevented_total", "", r, t));
    out.put("ci_failures_prevented", total(q, "quality_ci_failures_prevented_total", "", r, t));
    out.put(
        "build_time_saved_seconds",
        total(q, "quality_time_saved_seconds_total", "{kind=\"build\"}", r, t));
    out.put(
        "developer_time_saved_seconds",
        total(q, "quality_time_saved_seconds_total", "{kind=\"developer\"}", r, t));
    long pushes = total(q, "quality_pushes_total", "", r, t);
    long passed = total(q, "quality_pushes_total", "{result=\"success\"}", r, t);
    out.put("pushes", pushes);
    out.put("push_success_ratio", pushes > 0 ? PromQuery.round((double) passed / pushes) : null);
    long since = w.start();
    List<Map<String, Object>> recent = new ArrayList<>();
    for (QualityEvent e : events) {
      if (e.timestampMillis() >= since) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("timestamp", Instant.ofEpochMilli(e.timestampMillis()).toString());
        m.put("type", e.type());
        m.put("agent", e.agent());
        m.put("kind", e.kind());
        m.put("detail", e.detail());
        recent.add(m);
      }
    }
    out.put("recent", recent);
  }

  private static Map<String, Double> perAgent(PromQuery q, String family, String r, long t) {
    return q.byLabel("sum by (agent) (increase({ns}" + family + "[" + r + "]))", t, "agent");
  }

  private static Map<String, Long> rounded(
      PromQuery q, String family, String label, String r, long t) {
    Map<String, Long> out = new TreeMap<>();
    q.byLabel("sum by (" + label + ") (increase({ns}" + family + "[" + r + "]))", t, label)
        .forEach((k, v) -> out.put(k, Math.round(v)));
    return out;
  }

  private static long total(PromQuery q, String family, String selector, String r, long t) {
    return Math.round(q.scalar("sum(increase({ns}" + family + selector + "[" + r + "]))", t, 0));
  }
}
