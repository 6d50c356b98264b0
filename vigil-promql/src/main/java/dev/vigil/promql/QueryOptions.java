package dev.vigil.promql;

import java.time.Duration;

/**
 * Per-query settings a caller (an HTTP request, a rule) may narrow:
 *
 * <pre>{@code
 * QueryOptions o = QueryOptions.DEFAULT.withTimeout(Duration.ofSeconds(2))
 *     .withMaxSourceResolution(SourceResolution.AUTO);
 * engine.rangeQuery("rate(x[5m])", start, end, step, o);
 * }</pre>
 *
 * @param maxSourceResolution the coarsest stored data the query may read ({@code null}: the
 *     engine's default, see {@link Engine.Builder#maxSourceResolution})
 * @param timeout the query's timeout when shorter than the engine's ({@code null}: the engine's);
 *     zero or negative has expired already, as a request's {@code timeout=0} in Prometheus
 */
public record QueryOptions(SourceResolution maxSourceResolution, Duration timeout) {
  /** The engine's own settings. */
  public static final QueryOptions DEFAULT = new QueryOptions(null, null);

  /** These options with another timeout. */
  public QueryOptions withTimeout(Duration t) {
    return new QueryOptions(maxSourceResolution, t);
  }

  /** These options with another source resolution cap. */
  public QueryOptions withMaxSourceResolution(SourceResolution r) {
    return new QueryOptions(r, timeout);
  }
}
