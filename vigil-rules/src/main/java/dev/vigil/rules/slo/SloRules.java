package dev.vigil.rules.slo;

import dev.vigil.rules.AlertingRuleSpec;
import dev.vigil.rules.RecordingRuleSpec;
import dev.vigil.rules.RuleFile;
import dev.vigil.rules.RuleGroupSpec;
import dev.vigil.rules.RuleSpec;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Generates an SLO's rules in Sloth's shape: three ordinary rule groups for the {@code RuleManager}
 * or a Prometheus rule file.
 *
 * <ul>
 *   <li>{@code sloth-slo-sli-recordings-<id>}: {@code slo:sli_error:ratio_rate<w>} for every alert
 *       window (5m, 30m, 1h, 2h, 6h, 1d, 3d for 30 days), and for the period, computed as Sloth
 *       does from the 5m recording ({@code sum_over_time / count_over_time}), never from a 30-day
 *       range of raw data;
 *   <li>{@code sloth-slo-meta-recordings-<id>}: {@code slo:objective:ratio}, {@code
 *       slo:error_budget:ratio}, {@code slo:time_period:days}, {@code slo:current_burn_rate:ratio},
 *       {@code slo:period_burn_rate:ratio}, {@code slo:period_error_budget_remaining:ratio}, {@code
 *       sloth_slo_info};
 *   <li>{@code sloth-slo-alerts-<id>}: the multi-window multi-burn-rate page and ticket alerts.
 * </ul>
 *
 * <p>Labels are Sloth's ({@code sloth_id}, {@code sloth_service}, {@code sloth_slo}, {@code
 * sloth_window}, {@code sloth_severity}), so Sloth's Grafana dashboards read Vigil's series.
 *
 * <pre>{@code
 * RuleFile f = SloRules.ruleFile("devloop.yml", SloSpecs.parse("devloop.yml", text));
 * }</pre>
 */
public final class SloRules {
  /* Expressions are Sloth's text, so they compare with Sloth's generated files modulo whitespace
   * (SlothGoldenTest). Vigil adds two things Sloth leaves to the user, only where the user set
   * nothing: a severity label (page or ticket) and a runbook_url annotation to the SLO page.
   *
   * Pyrra specs get the same recordings (so every SLO has the same series for the SLO page and the
   * Grafana dashboards) and Pyrra's alerts: its alert name (ErrorBudgetBurn), windows, factors,
   * 'for' and labels (slo, short, long, severity critical/warning, exhaustion), reading the
   * Sloth-named recordings instead of Pyrra's <metric>:burnrate<w> ones. */

  /** The metric of the SLI recordings, before the window. */
  public static final String SLI_ERROR = "slo:sli_error:ratio_rate";

  /** The version in {@code sloth_slo_info}'s {@code sloth_version}. */
  static final String VERSION = "vigil";

  private SloRules() {}

  /** One rule file holding every SLO's groups, named {@code file}. */
  public static RuleFile ruleFile(String file, List<Slo> slos) {
    List<RuleGroupSpec> groups = new ArrayList<>();
    for (Slo s : slos) {
      groups.addAll(groups(s));
    }
    return new RuleFile(file, groups);
  }

  /** The three rule groups of {@code slo} (two when it has no alerts). */
  public static List<RuleGroupSpec> groups(Slo slo) {
    List<RuleGroupSpec> out = new ArrayList<>();
    out.add(
        new RuleGroupSpec(
            "sloth-slo-sli-recordings-" + slo.id(), null, 0, null, sliRecordings(slo), 0));
    out.add(
        new RuleGroupSpec(
            "sloth-slo-meta-recordings-" + slo.id(), null, 0, null, metaRecordings(slo), 0));
    List<RuleSpec> alerts = alerts(slo);
    if (!alerts.isEmpty()) {
      out.add(new RuleGroupSpec("sloth-slo-alerts-" + slo.id(), null, 0, null, alerts, 0));
    }
    return out;
  }

  /** The alert windows of {@code slo}'s period and format. */
  static AlertWindows windows(Slo slo) {
    AlertWindows w =
        slo.format() == Slo.Format.PYRRA
            ? AlertWindows.pyrra(slo.period())
            : AlertWindows.sloth(slo.period());
    if (w == null) {
      throw new IllegalArgumentException("no alert windows for period " + slo.periodText());
    }
    return w;
  }

  /**
   * The multi-window alerts of {@code slo} as the SLO page draws them: per window pair its severity
   * ({@code page} or {@code ticket}), long and short window (as the recordings name them) and the
   * burn rate both must exceed.
   */
  public static List<Map<String, Object>> alertWindows(Slo slo) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (AlertWindows.Window w : windows(slo).windows()) {
      Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("severity", w.page() ? "page" : "ticket");
      m.put("long", window(w.longWindow()));
      m.put("short", window(w.shortWindow()));
      m.put("factor", w.factor());
      out.add(m);
    }
    return out;
  }

  /** Windows of the SLI recordings: the alerts' windows and 5m, shortest first. */
  static List<Duration> sliWindows(Slo slo) {
    TreeSet<Duration> s = new TreeSet<>(windows(slo).alertWindows());
    s.add(Duration.ofMinutes(5));
    return List.copyOf(s);
  }

  private static List<RuleSpec> sliRecordings(Slo slo) {
    List<RuleSpec> out = new ArrayList<>();
    for (Duration w : sliWindows(slo)) {
      String ws = window(w);
      Map<String, String> labels = ids(slo);
      labels.put("sloth_window", ws);
      out.add(new RecordingRuleSpec(SLI_ERROR + ws, slo.errorRatioOver(ws), labels, 0));
    }
    String p = window(slo.period());
    String five = SLI_ERROR + "5m{" + matchers(slo) + "}[" + p + "]";
    out.add(
        new RecordingRuleSpec(
            SLI_ERROR + p,
            "sum_over_time(" + five + ")\n/ ignoring (sloth_window)\ncount_over_time(" + five + ")",
            periodLabels(slo, p),
            0));
    return out;
  }

  /**
   * The period recording's labels. Sloth sets only {@code sloth_window} (the rest come from the 5m
   * series), so two SLOs in one file give two rules promtool's lint calls duplicates; Vigil sets
   * the SLO's labels too, which changes no series.
   */
  private static Map<String, String> periodLabels(Slo slo, String period) {
    Map<String, String> m = ids(slo);
    m.put("sloth_window", period);
    return m;
  }

  private static List<RuleSpec> metaRecordings(Slo slo) {
    String sel = "{" + matchers(slo) + "}";
    String objective = number(slo.objective() / 100);
    String p = window(slo.period());
    List<RuleSpec> out = new ArrayList<>();
    out.add(new RecordingRuleSpec("slo:objective:ratio", "vector(" + objective + ")", ids(slo), 0));
    out.add(
        new RecordingRuleSpec(
            "slo:error_budget:ratio", "vector(1-" + objective + ")", ids(slo), 0));
    out.add(
        new RecordingRuleSpec(
            "slo:time_period:days",
            "vector(" + number(slo.period().toSeconds() / 86400.0) + ")",
            ids(slo),
            0));
    String onBudget =
        "\n/ on(sloth_id, sloth_slo, sloth_service) group_left\nslo:error_budget:ratio" + sel;
    out.add(
        new RecordingRuleSpec(
            "slo:current_burn_rate:ratio", SLI_ERROR + "5m" + sel + onBudget, ids(slo), 0));
    out.add(
        new RecordingRuleSpec(
            "slo:period_burn_rate:ratio", SLI_ERROR + p + sel + onBudget, ids(slo), 0));
    out.add(
        new RecordingRuleSpec(
            "slo:period_error_budget_remaining:ratio",
            "1 - slo:period_burn_rate:ratio" + sel,
            ids(slo),
            0));
    Map<String, String> info = ids(slo);
    info.put("sloth_mode", "vigil");
    info.put("sloth_objective", number(slo.objective()));
    info.put("sloth_spec", slo.format().spec());
    info.put("sloth_version", VERSION);
    out.add(new RecordingRuleSpec("sloth_slo_info", "vector(1)", info, 0));
    return out;
  }

  private static List<RuleSpec> alerts(Slo slo) {
    return slo.format() == Slo.Format.PYRRA ? pyrraAlerts(slo) : slothAlerts(slo);
  }

  private static List<RuleSpec> slothAlerts(Slo slo) {
    List<RuleSpec> out = new ArrayList<>();
    List<AlertWindows.Window> ws = windows(slo).windows();
    Slo.Alerting a = slo.alerting();
    // Sloth's arithmetic: (100 - objective) / 100, printed in full (0.0009999999999999432).
    String budget = number((100 - slo.objective()) / 100);
    String sel = "{" + matchers(slo) + "}";
    for (boolean page : new boolean[] {true, false}) {
      Slo.Alert alert = page ? a.page() : a.ticket();
      if (alert.disabled()) {
        continue;
      }
      AlertWindows.Window quick = ws.get(page ? 0 : 2);
      AlertWindows.Window slow = ws.get(page ? 1 : 3);
      String expr =
          "(\n"
              + pair(quick, sel, budget)
              + ")\nor ignoring (sloth_window)\n(\n"
              + pair(slow, sel, budget)
              + ")";
      String severity = page ? "page" : "ticket";
      Map<String, String> labels = new TreeMap<>(a.labels());
      labels.putAll(alert.labels());
      labels.put("sloth_severity", severity);
      labels.putIfAbsent("severity", severity);
      Map<String, String> ann = new TreeMap<>();
      ann.put(
          "title",
          "("
              + severity
              + ") {{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is"
              + " too fast.");
      ann.put(
          "summary",
          "{{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is over"
              + " expected.");
      ann.putAll(a.annotations());
      ann.putAll(alert.annotations());
      runbook(ann, slo);
      out.add(new AlertingRuleSpec(a.name(), expr, Duration.ZERO, Duration.ZERO, labels, ann, 0));
    }
    return out;
  }

  private static String pair(AlertWindows.Window w, String sel, String budget) {
    String f = number(w.factor());
    return "    ("
        + SLI_ERROR
        + window(w.shortWindow())
        + sel
        + " > ("
        + f
        + " * "
        + budget
        + "))\n    and ignoring (sloth_window)\n    ("
        + SLI_ERROR
        + window(w.longWindow())
        + sel
        + " > ("
        + f
        + " * "
        + budget
        + "))\n";
  }

  private static List<RuleSpec> pyrraAlerts(Slo slo) {
    List<RuleSpec> out = new ArrayList<>();
    if (slo.alerting().name() == null) {
      return out;
    }
    String target = number(slo.objective() / 100);
    String sel = "{" + matchers(slo) + "}";
    for (AlertWindows.Window w : windows(slo).windows()) {
      String f = number(w.factor());
      String expr =
          SLI_ERROR
              + window(w.shortWindow())
              + sel
              + " > ("
              + f
              + " * (1-"
              + target
              + "))\n"
              + "and ignoring (sloth_window)\n"
              + SLI_ERROR
              + window(w.longWindow())
              + sel
              + " > ("
              + f
              + " * (1-"
              + target
              + "))";
      Map<String, String> labels = new TreeMap<>();
      labels.put("slo", slo.name());
      labels.put("short", window(w.shortWindow()));
      labels.put("long", window(w.longWindow()));
      labels.put("severity", w.page() ? "critical" : "warning");
      labels.put("sloth_severity", w.page() ? "page" : "ticket");
      labels.put("exhaustion", window(slo.period().dividedBy((long) w.factor())));
      Map<String, String> ann = new TreeMap<>();
      runbook(ann, slo);
      out.add(
          new AlertingRuleSpec(
              slo.alerting().name(), expr, w.forDuration(), Duration.ZERO, labels, ann, 0));
    }
    return out;
  }

  private static void runbook(Map<String, String> ann, Slo slo) {
    if (!ann.containsKey("runbook") && !ann.containsKey("runbook_url")) {
      ann.put("runbook_url", "{{ $externalURL }}/#page=slos&slo={{ $labels.sloth_id }}");
    }
  }

  /** The labels of every rule but the period ratio: the spec's, then Sloth's ids. */
  private static Map<String, String> ids(Slo slo) {
    Map<String, String> m = new TreeMap<>(slo.labels());
    m.put("sloth_id", slo.id());
    m.put("sloth_service", slo.service());
    m.put("sloth_slo", slo.name());
    return m;
  }

  /** Sloth's selector text: {@code sloth_id="…", sloth_service="…", sloth_slo="…"}. */
  private static String matchers(Slo slo) {
    return "sloth_id=\""
        + escape(slo.id())
        + "\", sloth_service=\""
        + escape(slo.service())
        + "\", sloth_slo=\""
        + escape(slo.name())
        + "\"";
  }

  /** A PromQL double-quoted string's content. */
  static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  /**
   * A number as Go's {@code strconv.FormatFloat(v, 'f', -1, 64)} prints it: shortest round-trip
   * digits, never an exponent ({@code 0.0009999999999999432}, {@code 14.4}, {@code 6}).
   */
  static String number(double v) {
    BigDecimal d = new BigDecimal(Double.toString(v));
    String s = d.stripTrailingZeros().toPlainString();
    return s.equals("-0") ? "0" : s;
  }

  /**
   * A window as Prometheus prints a duration ({@code model.Duration}): weeks only when exact, so 30
   * days is {@code 30d} and 28 days {@code 4w}.
   */
  static String window(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) {
      return "0s";
    }
    StringBuilder b = new StringBuilder();
    long[] mult = {365L * 86_400_000, 7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1};
    String[] unit = {"y", "w", "d", "h", "m", "s", "ms"};
    for (int i = 0; i < mult.length; i++) {
      if (i == 1 && ms % mult[i] != 0) {
        continue;
      }
      long n = ms / mult[i];
      if (n > 0) {
        b.append(n).append(unit[i]);
        ms -= n * mult[i];
      }
    }
    return b.toString();
  }
}
