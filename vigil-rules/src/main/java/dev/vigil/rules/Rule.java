package dev.vigil.rules;

import dev.vigil.model.Labels;
import dev.vigil.promql.parser.Parser;
import dev.vigil.promql.parser.Printer;
import java.time.Instant;
import java.util.List;

/**
 * One rule of a running group: its spec, its health, and (alerting) its alerts. Evaluated by one
 * group thread at a time; status reads come from any thread, so the mutable fields are guarded by
 * the rule's monitor.
 */
abstract sealed class Rule permits RecordingRule, AlertingRule {
  /** One output sample of an evaluation. */
  record Out(Labels labels, long t, double v) {}

  /** Thrown by an evaluation that failed: recorded as the rule's lastError. */
  static final class EvalException extends RuntimeException {
    EvalException(String message) {
      super(message);
    }
  }

  final String name;
  final String query;

  /** The rule's labels as written, in file order. */
  final java.util.Map<String, String> labels;

  private String health = "unknown";
  private String lastError = "";
  private double evaluationSeconds;
  private Instant lastEvaluation;

  Rule(RuleSpec spec) {
    this.name = spec.name();
    this.query = Printer.print(Parser.parse(spec.expr()));
    this.labels = spec.labels();
  }

  /**
   * Evaluates at {@code ts} (the group's evaluation time), querying at {@code queryTs}.
   *
   * @throws RuntimeException when the query fails or a limit is exceeded
   */
  abstract List<Out> eval(long ts, long queryTs, QueryFunction q, int limit, Context ctx);

  /** Prometheus' identity of a rule across reloads: name and labels. */
  String identity() {
    return name + new java.util.TreeMap<>(labels);
  }

  synchronized void recordResult(String error, double seconds, Instant started) {
    health = error == null ? "ok" : "err";
    lastError = error == null ? "" : error;
    evaluationSeconds = seconds;
    lastEvaluation = started;
  }

  synchronized void copyHealth(Rule from) {
    synchronized (from) {
      health = from.health;
      lastError = from.lastError;
      evaluationSeconds = from.evaluationSeconds;
      lastEvaluation = from.lastEvaluation;
    }
  }

  abstract RuleStatus status();

  synchronized String health() {
    return health;
  }

  synchronized String lastError() {
    return lastError;
  }

  synchronized double evaluationSeconds() {
    return evaluationSeconds;
  }

  synchronized Instant lastEvaluation() {
    return lastEvaluation;
  }
}
