package dev.vigil.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of one rule for the API: what {@code /api/v1/rules} shows per rule.
 *
 * @param alerting true for an alerting rule, false for a recording rule
 * @param query the expression as Prometheus prints it
 * @param forDuration {@code for} (zero for recording rules)
 * @param keepFiringFor {@code keep_firing_for} (zero for recording rules)
 * @param labels the rule's labels as written (templates unexpanded)
 * @param annotations the rule's annotations as written (empty for recording rules)
 * @param alerts the rule's pending and firing alerts
 * @param state the highest state of its alerts (inactive for recording rules)
 * @param health {@code ok}, {@code err}, or {@code unknown} before the first evaluation
 * @param lastError the last evaluation's error, or "" when it succeeded
 * @param evaluationSeconds how long the last evaluation took
 * @param lastEvaluation when the last evaluation started, or null before the first
 */
public record RuleStatus(
    boolean alerting,
    String name,
    String query,
    Duration forDuration,
    Duration keepFiringFor,
    Map<String, String> labels,
    Map<String, String> annotations,
    List<Alert> alerts,
    AlertState state,
    String health,
    String lastError,
    double evaluationSeconds,
    Instant lastEvaluation) {}
