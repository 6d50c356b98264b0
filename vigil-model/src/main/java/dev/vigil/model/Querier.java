package dev.vigil.model;

import java.util.List;

/**
 * A view of storage over a fixed time range, from {@link Queryable#querier}. Not thread-safe: one
 * query uses one querier from one thread. Close it to release the blocks it pins.
 */
public interface Querier extends AutoCloseable {
  /**
   * The series matching all matchers, sorted by labels. At least one matcher must not match the
   * empty string (as in Prometheus); otherwise an {@link IllegalArgumentException}.
   */
  SeriesSet select(SelectHints hints, List<LabelMatcher> matchers);

  default SeriesSet select(SelectHints hints, LabelMatcher... matchers) {
    return select(hints, List.of(matchers));
  }

  /** Sorted label names of the series that match (all series when no matchers are given). */
  List<String> labelNames(List<LabelMatcher> matchers);

  /** Sorted distinct values of a label over the series that match (all series when none given). */
  List<String> labelValues(String name, List<LabelMatcher> matchers);

  @Override
  void close();
}
