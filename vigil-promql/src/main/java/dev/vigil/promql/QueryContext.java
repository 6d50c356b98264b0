package dev.vigil.promql;

import dev.vigil.tsdb.Querier;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-query state shared by the evaluators of one query: limits, the samples currently held, the
 * queriers to close and the annotations. Not thread-safe: one query runs on one thread.
 */
final class QueryContext {
  final long maxSamples;
  final long deadlineNanos;
  final Annotations annotations;
  final long queryStart;
  final long queryEnd;
  boolean rangeQuery;
  final List<Querier> queriers = new ArrayList<>();
  private long currentSamples;
  private long peakSamples;
  private int checks;

  QueryContext(
      long maxSamples,
      long deadlineNanos,
      Annotations annotations,
      long queryStart,
      long queryEnd) {
    this.maxSamples = maxSamples;
    this.deadlineNanos = deadlineNanos;
    this.annotations = annotations;
    this.queryStart = queryStart;
    this.queryEnd = queryEnd;
  }

  /** Accounts for samples taken into memory; throws when the limit is exceeded. */
  void addSamples(long n) {
    currentSamples += n;
    if (currentSamples > peakSamples) {
      peakSamples = currentSamples;
    }
    if (currentSamples > maxSamples) {
      throw new QueryLimitException(
          QueryLimitException.Kind.SAMPLES,
          "query processing would load too many samples into memory in query execution (limit "
              + maxSamples
              + " samples; narrow the time range, raise the step or select fewer series)");
    }
  }

  /** Releases samples no longer held. */
  void releaseSamples(long n) {
    currentSamples -= n;
  }

  long peakSamples() {
    return peakSamples;
  }

  /**
   * Throws when the query ran past its deadline, whatever the sampling in {@link #checkDeadline}
   * saw: called once when evaluation ends, so a query that overran is never answered.
   */
  void checkDeadlineNow() {
    if (System.nanoTime() - deadlineNanos > 0) {
      throw new QueryLimitException(
          QueryLimitException.Kind.TIMEOUT, "query timed out in query execution");
    }
  }

  /** Throws when the query ran past its deadline; cheap enough to call per series. */
  void checkDeadline() {
    if ((++checks & 63) == 0 && System.nanoTime() - deadlineNanos > 0) {
      throw new QueryLimitException(
          QueryLimitException.Kind.TIMEOUT, "query timed out in query execution");
    }
  }

  void closeAll() {
    for (Querier q : queriers) {
      try {
        q.close();
      } catch (RuntimeException e) {
        // Closing must not hide the query's own outcome.
      }
    }
    queriers.clear();
  }
}
