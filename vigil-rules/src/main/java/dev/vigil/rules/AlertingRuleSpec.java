package dev.vigil.rules;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code - alert: NAME / expr: / for: / keep_firing_for: / labels: / annotations:}. Durations
 * absent from the file are {@link Duration#ZERO}.
 */
public record AlertingRuleSpec(
    String alert,
    String expr,
    Duration forDuration,
    Duration keepFiringFor,
    Map<String, String> labels,
    Map<String, String> annotations,
    int line)
    implements RuleSpec {
  public AlertingRuleSpec {
    labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    annotations = Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
  }

  @Override
  public String name() {
    return alert;
  }
}
