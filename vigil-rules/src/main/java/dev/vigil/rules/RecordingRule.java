package dev.vigil.rules;

import dev.vigil.model.Labels;
import dev.vigil.promql.Sample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code record:}: stores the expression's result under a new name, with the rule's labels. */
final class RecordingRule extends Rule {
  RecordingRule(RecordingRuleSpec spec) {
    super(spec);
  }

  @Override
  List<Out> eval(long ts, long queryTs, QueryFunction q, int limit, Context ctx) {
    List<Sample> res = q.query(query, queryTs);
    List<Out> out = new ArrayList<>(res.size());
    Set<Labels> seen = new HashSet<>();
    for (Sample s : res) {
      Labels.Builder b = s.labels().toBuilder().set(Labels.METRIC_NAME, name);
      labels.forEach(b::set);
      Labels l = b.build();
      if (!seen.add(l)) {
        throw new EvalException(
            "vector contains metrics with the same labelset after applying rule labels");
      }
      out.add(new Out(l, s.timestamp(), s.value()));
    }
    if (limit > 0 && out.size() > limit) {
      throw new EvalException("exceeded limit of " + limit + " with " + out.size() + " series");
    }
    return out;
  }

  @Override
  RuleStatus status() {
    return new RuleStatus(
        false,
        name,
        query,
        Duration.ZERO,
        Duration.ZERO,
        labels,
        Map.of(),
        List.of(),
        AlertState.INACTIVE,
        health(),
        lastError(),
        evaluationSeconds(),
        lastEvaluation());
  }
}
