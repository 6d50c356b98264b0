package dev.vigil.rules.template;

import java.util.List;

/**
 * Runs the PromQL query of a template's {@code query} function at the evaluation time. The rule
 * engine implements it with the PromQL engine; an instant vector result becomes the list of
 * samples, any other result type or error is thrown and reported as Prometheus reports it.
 */
@FunctionalInterface
public interface QueryFunction {
  /**
   * Evaluates {@code expr} at {@code timeMs} (Unix milliseconds).
   *
   * @throws Exception whose message becomes the template error ({@code error calling query: ...})
   */
  List<QueryResultSample> query(String expr, long timeMs) throws Exception;
}
