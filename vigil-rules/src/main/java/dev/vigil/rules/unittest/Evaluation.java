package dev.vigil.rules.unittest;

import dev.vigil.model.Appendable;
import dev.vigil.model.Labels;
import dev.vigil.promql.Engine;
import dev.vigil.rules.RuleGroupSpec;
import java.util.List;
import java.util.Map;

/**
 * The rule groups of one unit test, evaluated step by step: the seam between the test runner and
 * the rule evaluator.
 */
interface Evaluation {

  /** One rule that failed at an evaluation. */
  record Failure(String rule, String error) {}

  /** A firing alert's labels (with {@code alertname}) and annotations. */
  record Firing(Labels labels, Map<String, String> annotations) {}

  /** Evaluates every group at {@code ts} (ms), in order; the rules that failed. */
  List<Failure> evaluate(long ts);

  /** The firing alerts of every alerting rule named {@code alertname}, in every group. */
  List<Firing> firing(String alertname);

  /** Builds the evaluation of some groups. */
  interface Factory {
    /**
     * @param groups with the file each comes from, in evaluation order
     * @param storage where rule outputs ({@code ALERTS} included) are written
     * @param engine what rule expressions and template queries run on
     */
    Evaluation create(
        List<Map.Entry<String, RuleGroupSpec>> groups,
        Appendable storage,
        Engine engine,
        long intervalMs,
        Map<String, String> externalLabels,
        String externalUrl);
  }
}
