package dev.vigil.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Rule evaluation's self-metrics, Prometheus' {@code prometheus_rule_*} under {@code vigil_} names,
 * per group labelled {@code rule_group="file;name"} as Prometheus labels them. Read with {@link
 * #collect()}; the server exposes them on {@code /metrics}.
 *
 * <p>Thread-safe: groups update their own children; adders make concurrent updates cheap.
 */
public final class RuleMetrics {
  /** The kind of a family, as the exposition formats name it. */
  public enum Type {
    COUNTER,
    GAUGE,
    SUMMARY
  }

  /**
   * One point: {@code value} for counters and gauges, {@code count} and {@code sum} for summaries.
   */
  public record Point(Map<String, String> labels, double value, long count, double sum) {}

  /** One metric family; counter names carry no {@code _total} (the exposition adds it). */
  public record Family(String name, String help, Type type, List<Point> points) {}

  /** Per-group metrics. */
  static final class Group {
    final LongAdder evaluations = new LongAdder();
    final LongAdder failures = new LongAdder();
    final LongAdder missed = new LongAdder();
    final LongAdder iterations = new LongAdder();
    volatile double lastEvaluationSeconds;
    volatile double lastDurationSeconds;
    volatile double intervalSeconds;
    volatile int rules;
    volatile long lastSamples;
    private final RuleMetrics parent;

    Group(RuleMetrics parent) {
      this.parent = parent;
    }

    void observeRule(double seconds) {
      parent.ruleCount.increment();
      parent.ruleSum.add(seconds);
    }

    void finish(double seconds, long evalTsMs, long samples) {
      iterations.increment();
      lastDurationSeconds = seconds;
      lastEvaluationSeconds = evalTsMs / 1000.0;
      lastSamples = samples;
      parent.groupCount.increment();
      parent.groupSum.add(seconds);
    }
  }

  private final Map<String, Group> groups = new ConcurrentHashMap<>();
  private final LongAdder ruleCount = new LongAdder();
  private final DoubleAdder ruleSum = new DoubleAdder();
  private final LongAdder groupCount = new LongAdder();
  private final DoubleAdder groupSum = new DoubleAdder();
  private volatile boolean lastReloadSuccessful = true;
  private volatile double lastReloadSuccessSeconds;

  /** The group's child, created on first use; interval and rule count updated. */
  Group group(String key, long intervalMs, int rules) {
    Group g = groups.computeIfAbsent(key, k -> new Group(this));
    g.intervalSeconds = intervalMs / 1000.0;
    g.rules = rules;
    return g;
  }

  /** Forgets a group a reload removed. */
  void remove(String key) {
    groups.remove(key);
  }

  void reloaded(boolean ok, long nowMs) {
    lastReloadSuccessful = ok;
    if (ok) {
      lastReloadSuccessSeconds = nowMs / 1000.0;
    }
  }

  /** Whether the last load of the rule files succeeded. */
  public boolean lastReloadSuccessful() {
    return lastReloadSuccessful;
  }

  /** Every family, in a fixed order, each with HELP text. */
  public List<Family> collect() {
    List<Family> out = new ArrayList<>();
    out.add(
        new Family(
            "vigil_rule_evaluation_duration_seconds",
            "The duration for a rule to execute.",
            Type.SUMMARY,
            List.of(new Point(Map.of(), 0, ruleCount.sum(), ruleSum.sum()))));
    out.add(
        new Family(
            "vigil_rule_group_duration_seconds",
            "The duration of rule group evaluations.",
            Type.SUMMARY,
            List.of(new Point(Map.of(), 0, groupCount.sum(), groupSum.sum()))));
    out.add(
        perGroup(
            "vigil_rule_evaluations",
            "The total number of rule evaluations.",
            Type.COUNTER,
            g -> g.evaluations.sum()));
    out.add(
        perGroup(
            "vigil_rule_evaluation_failures",
            "The total number of rule evaluation failures.",
            Type.COUNTER,
            g -> g.failures.sum()));
    out.add(
        perGroup(
            "vigil_rule_group_iterations_missed",
            "The total number of rule group evaluations missed due to slow rule group evaluation.",
            Type.COUNTER,
            g -> g.missed.sum()));
    out.add(
        perGroup(
            "vigil_rule_group_iterations",
            "The total number of scheduled rule group evaluations, whether executed or missed.",
            Type.COUNTER,
            g -> g.iterations.sum()));
    out.add(
        perGroup(
            "vigil_rule_group_last_evaluation_timestamp_seconds",
            "The timestamp of the last rule group evaluation in seconds.",
            Type.GAUGE,
            g -> g.lastEvaluationSeconds));
    out.add(
        perGroup(
            "vigil_rule_group_last_duration_seconds",
            "The duration of the last rule group evaluation.",
            Type.GAUGE,
            g -> g.lastDurationSeconds));
    out.add(
        perGroup(
            "vigil_rule_group_interval_seconds",
            "The interval of a rule group.",
            Type.GAUGE,
            g -> g.intervalSeconds));
    out.add(perGroup("vigil_rule_group_rules", "The number of rules.", Type.GAUGE, g -> g.rules));
    out.add(
        perGroup(
            "vigil_rule_group_last_evaluation_samples",
            "The number of samples returned during the last rule group evaluation.",
            Type.GAUGE,
            g -> g.lastSamples));
    out.add(
        new Family(
            "vigil_rule_config_last_reload_successful",
            "Whether the last rule files reload attempt was successful (1) or kept the old rules"
                + " because a file was invalid (0).",
            Type.GAUGE,
            List.of(new Point(Map.of(), lastReloadSuccessful ? 1 : 0, 0, 0))));
    out.add(
        new Family(
            "vigil_rule_config_last_reload_success_timestamp_seconds",
            "Timestamp of the last successful rule files reload.",
            Type.GAUGE,
            List.of(new Point(Map.of(), lastReloadSuccessSeconds, 0, 0))));
    return out;
  }

  private Family perGroup(
      String name, String help, Type type, java.util.function.ToDoubleFunction<Group> f) {
    List<Point> ps = new ArrayList<>();
    new java.util.TreeMap<>(groups)
        .forEach((k, g) -> ps.add(new Point(Map.of("rule_group", k), f.applyAsDouble(g), 0, 0)));
    return new Family(name, help, type, ps);
  }
}
