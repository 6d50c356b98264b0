package dev.vigil.rules;

import java.util.Map;

/** One rule as written in a rule file: a recording rule or an alerting rule. */
public sealed interface RuleSpec permits RecordingRuleSpec, AlertingRuleSpec {
  /** The {@code record} or {@code alert} name. */
  String name();

  /** The PromQL expression, as written. */
  String expr();

  /**
   * Labels added to (recording) or templated onto (alerting) every output series, in file order.
   */
  Map<String, String> labels();

  /** 1-based line of the rule's first key in its file. */
  int line();
}
