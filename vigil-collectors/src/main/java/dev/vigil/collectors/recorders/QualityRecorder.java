package dev.vigil.collectors.recorders;

import dev.vigil.metrics.Buckets;
import dev.vigil.metrics.Counter;
import dev.vigil.metrics.Gauge;
import dev.vigil.metrics.Histogram;
import dev.vigil.metrics.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Quality metrics: VIBEZEN's sequential thinking (steps, confidence, revisions, spec violations)
 * and DevLoop's findings and value (issues found by severity, auto-fixed, false positives, open
 * issues, issues and CI failures prevented, time saved, pushes), each per agent; violations and
 * findings also as sampled events in a recent-events ring.
 */
final class QualityRecorder {
  /** Finding severities, most severe first (DevLoop's). */
  static final List<String> SEVERITIES = List.of("critical", "high", "medium", "low", "info");

  /** What saved time: DevLoop's build time and developer time. */
  static final List<String> SAVED = List.of("build", "developer");

  static final Buckets STEPS = Buckets.of(1, 2, 3, 5, 8, 13, 21, 34, 55);
  static final Buckets CONFIDENCE =
      Buckets.of(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1);

  final Histogram thinkingSteps;
  final Histogram confidence;
  final Counter revisions;
  final Counter violations;
  final Counter findings;
  final Counter autofixed;
  final Counter falsePositives;
  final Gauge openFindings;
  final Counter issuesPrevented;
  final Counter ciFailuresPrevented;
  final Counter timeSaved;
  final Counter pushes;
  final Log log;
  private final LongSupplier clockMillis;
  private final Sampler sampler;

  QualityRecorder(Names n, int logCapacity, LongSupplier clockMillis, Sampler sampler) {
    this.clockMillis = clockMillis;
    this.sampler = sampler;
    this.log = new Log(logCapacity);
    thinkingSteps =
        Histogram.builder()
            .name(n.of("quality_thinking_steps"))
            .help("Sequential thinking steps per solution, by agent.")
            .labelNames("agent")
            .buckets(STEPS)
            .build();
    confidence =
        Histogram.builder()
            .name(n.of("quality_confidence_ratio"))
            .help("The agent's confidence in its solution, 0-1.")
            .labelNames("agent")
            .buckets(CONFIDENCE)
            .build();
    revisions = counter(n, "quality_revisions_total", "Code revisions the agent needed.", "agent");
    violations =
        counter(n, "quality_violations_total", "Spec violations caught, by kind.", "agent", "kind");
    findings =
        counter(n, "quality_findings_total", "Issues found, by severity.", "agent", "severity");
    autofixed =
        counter(n, "quality_findings_autofixed_total", "Issues fixed automatically.", "agent");
    falsePositives =
        counter(
            n,
            "quality_findings_false_positives_total",
            "Findings dismissed as false positives.",
            "agent");
    openFindings =
        Gauge.builder()
            .name(n.of("quality_open_findings"))
            .help("Issues open now, by severity.")
            .labelNames("agent", "severity")
            .build();
    issuesPrevented =
        counter(
            n,
            "quality_issues_prevented_total",
            "Issues stopped before they were pushed.",
            "agent");
    ciFailuresPrevented =
        counter(
            n,
            "quality_ci_failures_prevented_total",
            "CI failures prevented by catching their cause first.",
            "agent");
    timeSaved =
        counter(
            n,
            "quality_time_saved_seconds_total",
            "Time saved, by kind (build or developer).",
            "agent",
            "kind");
    pushes =
        counter(n, "quality_pushes_total", "Pushes, by result (success or failure).", "result");
  }

  private static Counter counter(Names n, String name, String help, String... labels) {
    return Counter.builder().name(n.of(name)).help(help).labelNames(labels).build();
  }

  List<Metric> metrics() {
    return List.of(
        thinkingSteps,
        confidence,
        revisions,
        violations,
        findings,
        autofixed,
        falsePositives,
        openFindings,
        issuesPrevented,
        ciFailuresPrevented,
        timeSaved,
        pushes);
  }

  void thinking(String agent, int steps, double conf) {
    final String m = "recordThinking";
    Check.label(m, "agent", agent);
    Check.count(m, "steps", steps);
    ratio(m, conf);
    thinkingSteps.labelValues(Scratch.of(agent)).observe(steps);
    confidence.labelValues(Scratch.of(agent)).observe(conf);
  }

  void revisions(String agent, int n) {
    Check.label("recordRevisions", "agent", agent);
    Check.count("recordRevisions", "revisions", n);
    revisions.labelValues(Scratch.of(agent)).inc(n);
  }

  void violation(String agent, String kind, String detail) {
    final String m = "recordViolation";
    Check.label(m, "agent", agent);
    Check.label(m, "kind", kind);
    violations.labelValues(Scratch.of(agent, kind)).inc();
    event("violation", agent, kind, detail);
  }

  void finding(String agent, String severity, String detail) {
    final String m = "recordFinding";
    Check.label(m, "agent", agent);
    String sev = severity(m, severity);
    findings.labelValues(Scratch.of(agent, sev)).inc();
    event("finding", agent, sev, detail);
  }

  void autofixed(String agent) {
    autofixed.labelValues(Scratch.of(Check.label("recordFindingAutofixed", "agent", agent))).inc();
  }

  void falsePositive(String agent) {
    falsePositives
        .labelValues(Scratch.of(Check.label("recordFalsePositive", "agent", agent)))
        .inc();
  }

  void open(String agent, String severity, long n) {
    final String m = "setOpenFindings";
    Check.label(m, "agent", agent);
    String sev = severity(m, severity);
    Check.count(m, "count", n);
    openFindings.labelValues(Scratch.of(agent, sev)).set(n);
  }

  void prevented(String agent, long n) {
    Check.label("recordIssuesPrevented", "agent", agent);
    Check.count("recordIssuesPrevented", "issues", n);
    issuesPrevented.labelValues(Scratch.of(agent)).inc(n);
  }

  void ciFailurePrevented(String agent) {
    ciFailuresPrevented
        .labelValues(Scratch.of(Check.label("recordCiFailurePrevented", "agent", agent)))
        .inc();
  }

  void timeSaved(String agent, String kind, double seconds) {
    final String m = "recordTimeSaved";
    Check.label(m, "agent", agent);
    if (!SAVED.contains(kind)) {
      throw new IllegalArgumentException(
          m + ": unknown kind '" + kind + "'; use one of " + String.join(", ", SAVED));
    }
    Check.seconds(m, "seconds", seconds);
    timeSaved.labelValues(Scratch.of(agent, kind)).inc(seconds);
  }

  void push(boolean success) {
    pushes.labelValues(Scratch.of(success ? "success" : "failure")).inc();
  }

  private void event(String type, String agent, String kind, String detail) {
    if (sampler.sample()) {
      log.add(
          new QualityEvent(
              clockMillis.getAsLong(), type, agent, kind, detail == null ? "" : detail));
    }
  }

  private static double ratio(String m, double v) {
    if (!(v >= 0 && v <= 1)) {
      throw new IllegalArgumentException(m + ": confidence must be within 0-1, got " + v);
    }
    return v;
  }

  private static String severity(String m, String s) {
    if (s != null) {
      for (String known : SEVERITIES) {
        if (known.equals(s)) {
          return known;
        }
      }
      String lower = s.toLowerCase(java.util.Locale.ROOT);
      for (String known : SEVERITIES) {
        if (known.equals(lower)) {
          return known;
        }
      }
    }
    throw new IllegalArgumentException(
        m + ": unknown severity '" + s + "'; use one of " + String.join(", ", SEVERITIES));
  }

  /** The last N quality events (violations and findings kept by the sampler), newest last. */
  static final class Log {
    private final QualityEvent[] ring;
    private long written; // guarded by this

    Log(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("quality log capacity must be >= 1, got " + capacity);
      }
      ring = new QualityEvent[capacity];
    }

    synchronized void add(QualityEvent e) {
      ring[(int) (written % ring.length)] = e;
      written++;
    }

    synchronized List<QualityEvent> recent() {
      int n = (int) Math.min(written, ring.length);
      List<QualityEvent> out = new ArrayList<>(n);
      for (long i = written - n; i < written; i++) {
        out.add(ring[(int) (i % ring.length)]);
      }
      return out;
    }
  }
}
