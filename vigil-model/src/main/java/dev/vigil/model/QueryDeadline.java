package dev.vigil.model;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The deadline of the query running on the current thread, checked inside storage's own loops
 * (postings selection over many label values, series and label listings), so a query that selects
 * from millions of values stops at its timeout rather than after the loop.
 *
 * <pre>{@code
 * try (QueryDeadline.Scope s = QueryDeadline.after(timeout).enter()) {
 *   querier.labelValues("instance", matchers); // QueryCanceledException once past the deadline
 * }
 * }</pre>
 *
 * <p>A thread without a scope has no deadline. A deadline is read by the one thread that entered
 * it; the interrupt flag of that thread cancels as well (a pool cancelling a task).
 */
public final class QueryDeadline {
  /* A thread-local rather than a parameter of every Querier method: the deadline crosses the
   * Queryable seam (the engine, the HTTP API and embedders' storages) without widening it, and
   * the engine's evaluation and the metadata endpoints both run a query on one thread. */

  private static final ThreadLocal<QueryDeadline> CURRENT = new ThreadLocal<>();
  private static final QueryDeadline NONE = new QueryDeadline(0, null);

  /** How many loop iterations run between two clock reads in {@link #checkEvery}. */
  static final int CHECK_INTERVAL = 16;

  private final long deadlineNanos;
  private final LongSupplier nanoClock;
  private int ticks;

  private QueryDeadline(long deadlineNanos, LongSupplier nanoClock) {
    this.deadlineNanos = deadlineNanos;
    this.nanoClock = nanoClock;
  }

  /** A deadline {@code timeout} from now (zero or negative: expired already). */
  public static QueryDeadline after(Duration timeout) {
    // Capped at ~73 years so the clock arithmetic cannot overflow.
    long nanos =
        timeout.compareTo(Duration.ofNanos(Long.MAX_VALUE / 4)) > 0
            ? Long.MAX_VALUE / 4
            : Math.max(0, timeout.toNanos());
    return at(System.nanoTime() + nanos, System::nanoTime);
  }

  /** A deadline at {@code deadlineNanos} on {@code nanoClock} (a test's clock, or nanoTime). */
  public static QueryDeadline at(long deadlineNanos, LongSupplier nanoClock) {
    return new QueryDeadline(deadlineNanos, java.util.Objects.requireNonNull(nanoClock));
  }

  /** The deadline entered on this thread, or one that never expires. */
  public static QueryDeadline current() {
    QueryDeadline d = CURRENT.get();
    return d == null ? NONE : d;
  }

  /** Makes this the current thread's deadline until the scope closes. */
  public Scope enter() {
    QueryDeadline previous = CURRENT.get();
    CURRENT.set(this);
    return new Scope(previous);
  }

  /**
   * Throws when the deadline has passed or the thread was interrupted.
   *
   * @throws QueryCanceledException saying which
   */
  public void check() {
    if (nanoClock == null) {
      return;
    }
    if (nanoClock.getAsLong() - deadlineNanos >= 0) {
      throw new QueryCanceledException(true, "query timed out in series selection");
    }
    if (Thread.currentThread().isInterrupted()) {
      throw new QueryCanceledException(false, "query canceled");
    }
  }

  /**
   * Time left before the deadline ({@link Duration#ZERO} once past), or null when there is no
   * deadline: what a call leaving the process (a remote backend's request) may wait at most.
   */
  public Duration remaining() {
    if (nanoClock == null) {
      return null;
    }
    return Duration.ofNanos(Math.max(0, deadlineNanos - nanoClock.getAsLong()));
  }

  /** {@link #check()} on every {@value #CHECK_INTERVAL}th call: cheap enough per label value. */
  public void checkEvery() {
    if (nanoClock != null && (++ticks & (CHECK_INTERVAL - 1)) == 0) {
      check();
    }
  }

  /** Restores the previous deadline of the thread when closed. */
  public static final class Scope implements AutoCloseable {
    private final QueryDeadline previous;

    private Scope(QueryDeadline previous) {
      this.previous = previous;
    }

    @Override
    public void close() {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    }
  }
}
