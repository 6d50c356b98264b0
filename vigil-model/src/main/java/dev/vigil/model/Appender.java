package dev.vigil.model;

/**
 * Adds samples in a transaction: appends are invisible until {@link #commit()}, discarded by {@link
 * #rollback()}. One appender serves one thread; take a new one per batch from {@link
 * Appendable#appender()}.
 *
 * <pre>{@code
 * Appender app = db.appender();
 * long ref = app.append(0, Labels.of("__name__", "up", "job", "node"), ts, 1);
 * app.append(ref, null, ts + 15_000, 1);   // later appends reuse the ref: no label hashing
 * app.commit();                             // returns once the WAL has the records
 * }</pre>
 */
public interface Appender {
  /**
   * Appends one sample. Pass the ref returned by an earlier append of the same series (then {@code
   * labels} may be null), or 0 and the series' labels.
   *
   * @return the series ref to use for later appends of this series
   * @throws OutOfOrderException when {@code t} is older than the series' newest sample beyond the
   *     configured out-of-order window
   */
  long append(long ref, Labels labels, long t, double v);

  /**
   * Appends an exemplar of a series next to its samples (same ref rules as {@link #append}). A
   * duplicate of the series' newest exemplar is ignored, as is every exemplar when the store keeps
   * none (exemplar storage disabled, or a store without exemplar support: this default).
   *
   * @return the series ref
   * @throws ExemplarException when older than the series' newest exemplar, or when its label set is
   *     longer than {@link Exemplar#MAX_LABEL_SET_CHARS} characters
   */
  default long appendExemplar(long ref, Labels labels, Exemplar e) {
    return ref;
  }

  /** Makes every append since the last commit durable (as configured) and visible. */
  void commit();

  /** Discards every append since the last commit. */
  void rollback();
}
