package dev.vigil.model;

/**
 * A read stopped by its {@link QueryDeadline}: the deadline passed ({@link #isTimeout()}) or the
 * thread was interrupted. Storage is unchanged; the caller answers "timeout" or "canceled".
 */
public final class QueryCanceledException extends RuntimeException {
  private final boolean timeout;

  public QueryCanceledException(boolean timeout, String message) {
    super(message, null, false, false);
    this.timeout = timeout;
  }

  /** True when the deadline passed; false when the query was cancelled (interrupted). */
  public boolean isTimeout() {
    return timeout;
  }
}
