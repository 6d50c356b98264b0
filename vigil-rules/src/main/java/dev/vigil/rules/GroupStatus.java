package dev.vigil.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A snapshot of one rule group for the API.
 *
 * @param interval the interval it runs on (its own, or the global default)
 * @param queryOffset the offset its queries run at (its own, or the global default)
 * @param evaluationSeconds how long its last evaluation took
 * @param lastEvaluation when its last evaluation started, or null before the first
 */
public record GroupStatus(
    String name,
    String file,
    Duration interval,
    int limit,
    Duration queryOffset,
    List<RuleStatus> rules,
    double evaluationSeconds,
    Instant lastEvaluation) {}
