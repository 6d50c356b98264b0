package dev.vigil.rules.packs;

import dev.vigil.rules.AlertingRuleSpec;
import dev.vigil.rules.RuleFile;
import dev.vigil.rules.RuleGroupSpec;
import dev.vigil.rules.RuleSpec;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Simple thresholds from {@code vigil.yml}'s {@code alerts} section, compiled to ordinary alerting
 * rules in one group, {@code thresholds}, of the synthetic file {@code vigil.yml#thresholds}.
 *
 * <pre>{@code
 * alerts:
 *   error_rate_threshold: 0.05        # VIBEZEN: share of operations that failed, above
 *   response_time_threshold_ms: 1000  # VIBEZEN: mean operation duration, above
 *   cache_hit_rate_threshold: 0.7     # VIBEZEN: cache hits / lookups, below
 *   critical:                         # DevLoop: page on-call
 *     success_rate: 0.98              # agent runs that succeeded, below
 *     p95_latency: 2s                 # p95 agent execution time, above
 *     cpu: 0.8                        # host CPU busy share, above
 *     memory: 1GB                     # resident memory of the process, above
 *   warning:                          # DevLoop: ticket
 *     success_rate: 0.99
 *     p95_latency: 1s
 *     cpu: 0.6
 *     memory: 500MB
 *   for: 5m
 * }</pre>
 *
 * @param errorRate VIBEZEN {@code error_rate_threshold} (0-1), or null
 * @param responseTimeMs VIBEZEN {@code response_time_threshold_ms}, or null
 * @param cacheHitRate VIBEZEN {@code cache_hit_rate_threshold} (0-1), or null
 * @param critical DevLoop's critical tier (severity {@code critical})
 * @param warning DevLoop's warning tier (severity {@code warning})
 * @param forDuration how long a threshold must be crossed before the alert fires
 * @param namespace the application metrics' prefix ({@code collect.namespace})
 */
public record Thresholds(
    Double errorRate,
    Double responseTimeMs,
    Double cacheHitRate,
    Tier critical,
    Tier warning,
    Duration forDuration,
    String namespace) {

  /** The file name the thresholds' rules carry in the API. */
  public static final String FILE = "vigil.yml#thresholds";

  /** The group they run in. */
  public static final String GROUP = "thresholds";

  /** {@code for} when the section sets none. */
  public static final Duration DEFAULT_FOR = Duration.ofMinutes(5);

  /** No thresholds. */
  public static final Thresholds NONE =
      new Thresholds(
          null, null, null, Tier.NONE, Tier.NONE, DEFAULT_FOR, RulePacks.DEFAULT_NAMESPACE);

  /**
   * One of DevLoop's tiers; each field null when not set.
   *
   * @param successRate agent success rate (0-1) to alert below
   * @param p95LatencySeconds p95 agent execution time to alert above
   * @param cpu host CPU busy share (0-1) to alert above
   * @param memoryBytes resident memory to alert above
   */
  public record Tier(Double successRate, Double p95LatencySeconds, Double cpu, Double memoryBytes) {
    public static final Tier NONE = new Tier(null, null, null, null);

    boolean isEmpty() {
      return successRate == null && p95LatencySeconds == null && cpu == null && memoryBytes == null;
    }
  }

  public Thresholds {
    critical = critical == null ? Tier.NONE : critical;
    warning = warning == null ? Tier.NONE : warning;
    forDuration = forDuration == null ? DEFAULT_FOR : forDuration;
    namespace = namespace == null ? RulePacks.DEFAULT_NAMESPACE : namespace;
  }

  /** True when no threshold is set: then there is no thresholds group. */
  public boolean isEmpty() {
    return errorRate == null
        && responseTimeMs == null
        && cacheHitRate == null
        && critical.isEmpty()
        && warning.isEmpty();
  }

  /** The alerting rules, in the order of the section's keys above. */
  public List<RuleSpec> rules() {
    List<RuleSpec> out = new ArrayList<>();
    String ns = namespace;
    if (errorRate != null) {
      out.add(
          rule(
              "ErrorRateHigh",
              "sum(rate("
                  + ns
                  + "operation_duration_seconds_count{status=\"error\"}[5m])) / sum(rate("
                  + ns
                  + "operation_duration_seconds_count[5m])) > "
                  + num(errorRate),
              "warning",
              "Error rate {{ $value | humanizePercentage }} is above "
                  + percent(errorRate)
                  + " (alerts.error_rate_threshold)"));
    }
    if (responseTimeMs != null) {
      out.add(
          rule(
              "ResponseTimeHigh",
              "sum by (operation) (rate("
                  + ns
                  + "operation_duration_seconds_sum[5m])) / sum by (operation) (rate("
                  + ns
                  + "operation_duration_seconds_count[5m])) > "
                  + num(responseTimeMs / 1000),
              "warning",
              "Operation {{ $labels.operation }} takes {{ $value | humanizeDuration }} on average,"
                  + " above "
                  + num(responseTimeMs)
                  + " ms (alerts.response_time_threshold_ms)"));
    }
    if (cacheHitRate != null) {
      out.add(
          rule(
              "CacheHitRateLow",
              "sum by (cache) (rate("
                  + ns
                  + "cache_requests_total{result=\"hit\"}[5m])) / sum by (cache) (rate("
                  + ns
                  + "cache_requests_total[5m])) < "
                  + num(cacheHitRate),
              "warning",
              "Cache {{ $labels.cache }} hit rate {{ $value | humanizePercentage }} is below "
                  + percent(cacheHitRate)
                  + " (alerts.cache_hit_rate_threshold)"));
    }
    tier(out, critical, "critical");
    tier(out, warning, "warning");
    return out;
  }

  private void tier(List<RuleSpec> out, Tier t, String severity) {
    String ns = namespace;
    String key = "alerts." + severity + ".";
    if (t.successRate() != null) {
      out.add(
          rule(
              "SuccessRateLow",
              "sum(rate("
                  + ns
                  + "agent_runs_total{status=\"success\"}[5m])) / sum(rate("
                  + ns
                  + "agent_runs_total[5m])) < "
                  + num(t.successRate()),
              severity,
              "Agent success rate {{ $value | humanizePercentage }} is below "
                  + percent(t.successRate())
                  + " ("
                  + key
                  + "success_rate)"));
    }
    if (t.p95LatencySeconds() != null) {
      out.add(
          rule(
              "P95LatencyHigh",
              "histogram_quantile(0.95, sum by (le) (rate("
                  + ns
                  + "agent_execution_duration_seconds_bucket[5m]))) > "
                  + num(t.p95LatencySeconds()),
              severity,
              "P95 agent execution time {{ $value | humanizeDuration }} is above "
                  + num(t.p95LatencySeconds())
                  + "s ("
                  + key
                  + "p95_latency)"));
    }
    if (t.cpu() != null) {
      out.add(
          rule(
              "CpuUsageHigh",
              "vigil_cpu_usage_ratio > " + num(t.cpu()),
              severity,
              "CPU usage {{ $value | humanizePercentage }} is above "
                  + percent(t.cpu())
                  + " ("
                  + key
                  + "cpu)"));
    }
    if (t.memoryBytes() != null) {
      out.add(
          rule(
              "MemoryUsageHigh",
              "process_resident_memory_bytes > " + num(t.memoryBytes()),
              severity,
              "Resident memory {{ $value | humanize1024 }}B is above "
                  + bytes(t.memoryBytes())
                  + " ("
                  + key
                  + "memory)"));
    }
  }

  private AlertingRuleSpec rule(String name, String expr, String severity, String summary) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("severity", severity);
    labels.put("source", "thresholds");
    return new AlertingRuleSpec(
        name, expr, forDuration, Duration.ZERO, labels, Map.of("summary", summary), 0);
  }

  /** The group of the rules, or none when {@link #isEmpty()}. */
  public List<RuleGroupSpec> groups() {
    if (isEmpty()) {
      return List.of();
    }
    return List.of(new RuleGroupSpec(GROUP, null, 0, null, rules(), 0));
  }

  /** The rules as the synthetic rule file {@link #FILE}. */
  public RuleFile toRuleFile() {
    return new RuleFile(FILE, groups());
  }

  /** A PromQL number: {@code 0.05}, {@code 1000000000}, never {@code 1.0E9}. */
  static String num(double v) {
    return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
  }

  /** {@code 1GiB}, {@code 500MiB}, {@code 1000 bytes}: the size as the user wrote it. */
  static String bytes(double v) {
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    if (v != Math.rint(v) || v <= 0 || v >= 0x1p62) {
      return num(v) + " bytes";
    }
    long n = (long) v;
    String unit = " bytes";
    for (int i = 0; i < units.length && n % 1024 == 0; i++) {
      n /= 1024;
      unit = units[i];
    }
    return n + unit;
  }

  private static String percent(double ratio) {
    return num(new BigDecimal(Double.toString(ratio)).movePointRight(2).doubleValue()) + "%";
  }
}
