package dev.vigil.rules;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code - record: NAME / expr: / labels:}: stores the result of {@code expr} under {@code NAME}.
 */
public record RecordingRuleSpec(String record, String expr, Map<String, String> labels, int line)
    implements RuleSpec {
  public RecordingRuleSpec {
    labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
  }

  @Override
  public String name() {
    return record;
  }
}
