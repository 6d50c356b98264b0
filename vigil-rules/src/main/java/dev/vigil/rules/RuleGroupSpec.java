package dev.vigil.rules;

import java.time.Duration;
import java.util.List;

/**
 * One {@code groups[]} entry.
 *
 * @param interval the group's {@code interval}, or null for the global evaluation interval
 * @param limit the group's {@code limit} (0: none): an evaluation whose rule outputs more series
 *     (recording) or alerts (alerting) fails that rule
 * @param queryOffset the group's {@code query_offset}, or null for the global one
 * @param line 1-based line of the group's first key
 */
public record RuleGroupSpec(
    String name,
    Duration interval,
    int limit,
    Duration queryOffset,
    List<RuleSpec> rules,
    int line) {
  public RuleGroupSpec {
    rules = List.copyOf(rules);
  }
}
