package dev.vigil.rules.template;

import dev.vigil.model.Labels;
import dev.vigil.promql.Engine;
import dev.vigil.promql.QueryResult;
import dev.vigil.promql.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@code query} of templates over Vigil's PromQL engine, as Prometheus' {@code
 * rules.EngineQueryFunc}: a vector as is, a scalar as one sample without labels, anything else an
 * error ({@code rule result is not a vector or scalar}).
 */
public final class EngineQueryFunction {
  private EngineQueryFunction() {}

  /** A query function evaluating instant queries on {@code engine}. */
  public static QueryFunction of(Engine engine) {
    Objects.requireNonNull(engine, "engine");
    return (expr, timeMs) -> {
      QueryResult r = engine.instantQuery(expr, timeMs);
      return switch (r.type()) {
        case VECTOR -> {
          List<QueryResultSample> out = new ArrayList<>(r.vector().size());
          for (Sample s : r.vector()) {
            out.add(new QueryResultSample(s.labels(), s.value()));
          }
          yield out;
        }
        case SCALAR -> List.of(new QueryResultSample(Labels.EMPTY, r.scalar()));
        default -> throw new IllegalArgumentException("rule result is not a vector or scalar");
      };
    };
  }
}
