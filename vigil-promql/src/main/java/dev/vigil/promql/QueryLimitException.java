package dev.vigil.promql;

/**
 * A query stopped by a limit: too many samples, the timeout, or too many concurrent queries. The
 * memory the query held is released when this is thrown.
 */
public final class QueryLimitException extends PromqlException {
  /** Which limit was hit. */
  public enum Kind {
    SAMPLES,
    TIMEOUT,
    CONCURRENCY
  }

  private final Kind kind;

  public QueryLimitException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
