package dev.vigil.promql;

import dev.vigil.model.Querier;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-query state shared by the evaluators of one query: limits, the samples currently held, the
 * queriers to close and the annotations. Not thread-safe: one query runs on one thread.
 */
final class QueryContext {
  /*
   * Every evaluator holds at least one value per step (a scalar is a double[numSteps]), so its step
   * count is checked against the step and sample limits before anything is allocated, in long: a
   * subquery such as [25d:1ms] has 2,160,000,000 steps, which wrapped to a negative int (a
   * NegativeArraySizeException) or, past 2^32, to a small positive one (a silently empty answer),
   * and below that allocated gigabytes before the sample limit saw anything.
   */
  /** Largest Java array: the step count can never exceed it, whatever the sample limit. */
  static final long MAX_STEPS = Integer.MAX_VALUE - 8;

  final long maxSamples;
  final long maxSteps;
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
      long maxSteps,
      long deadlineNanos,
      Annotations annotations,
      long queryStart,
      long queryEnd) {
    this.maxSamples = maxSamples;
    this.maxSteps = maxSteps;
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

  /**
   * The step count of an evaluation, checked before it allocates anything.
   *
   * @param steps the number of steps, saturated at {@link Long#MAX_VALUE}
   * @param what what evaluates them, for the message ({@code subquery [1d:1ms]})
   * @param advice what to change, for the message
   * @throws QueryLimitException SAMPLES when there are more steps than allowed per evaluation or
   *     than samples allowed per query
   */
  int checkSteps(long steps, String what, String advice) {
    boolean bySamples = maxSamples < Math.min(maxSteps, MAX_STEPS);
    long limit = bySamples ? maxSamples : Math.min(maxSteps, MAX_STEPS);
    if (steps > limit) {
      throw new QueryLimitException(
          QueryLimitException.Kind.SAMPLES,
          String.format(
              "%s would evaluate %s steps, more than the limit of %,d %s; %s",
              what,
              steps == Long.MAX_VALUE ? "more than 2^63" : String.format("%,d", steps),
              limit,
              bySamples ? "samples per query" : "steps per range query or subquery",
              advice));
    }
    return (int) steps;
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

  /**
   * Throws when the query ran past its deadline or its thread was interrupted (the caller gave up
   * on it); cheap enough to call per series and per step.
   */
  void checkDeadline() {
    if ((++checks & 63) == 0) {
      if (System.nanoTime() - deadlineNanos > 0) {
        throw new QueryLimitException(
            QueryLimitException.Kind.TIMEOUT, "query timed out in query execution");
      }
      if (Thread.currentThread().isInterrupted()) {
        throw new QueryLimitException(
            QueryLimitException.Kind.CANCELED, "query was canceled in query execution");
      }
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
