package dev.vigil.rules;

import dev.vigil.model.Labels;
import dev.vigil.promql.Engine;
import dev.vigil.promql.QueryResult;
import dev.vigil.promql.Sample;
import java.util.List;

/** Runs a rule's expression at one time: Prometheus' {@code EngineQueryFunc}. */
@FunctionalInterface
interface QueryFunction {
  /**
   * The instant vector {@code expr} gives at {@code timeMs}; a scalar becomes one sample without
   * labels.
   *
   * @throws RuntimeException when the query fails, times out, or gives a string or a matrix
   */
  List<Sample> query(String expr, long timeMs);

  static QueryFunction of(Engine engine) {
    return (expr, t) -> {
      QueryResult r = engine.instantQuery(expr, t);
      return switch (r.type()) {
        case VECTOR -> r.vector();
        case SCALAR -> List.of(new Sample(Labels.EMPTY, t, r.scalar()));
        default -> throw new IllegalStateException("rule result is not a vector or scalar");
      };
    };
  }
}
