package dev.vigil.promql;

/**
 * A query stopped by a limit: too many samples (or steps), the timeout, too many concurrent
 * queries, or its caller interrupting the thread that evaluates it. The memory the query held is
 * released when this is thrown.
 */
public final class QueryLimitException extends PromqlException {
  /** Which limit was hit. */
  public enum Kind {
    SAMPLES,
    TIMEOUT,
    CONCURRENCY,
    /** The evaluating thread was interrupted: the caller no longer wants the answer. */
    CANCELED
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
