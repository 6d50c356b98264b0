package dev.vigil.model;

import java.util.List;

/**
 * The read side of exemplar storage ({@code /api/v1/query_exemplars}): exemplars of the series that
 * match any of several matcher sets, in a time range.
 */
public interface ExemplarQueryable {
  /**
   * Exemplars with timestamps in {@code [mint, maxt]} (ms, inclusive) of every series matching all
   * matchers of at least one set; series without such exemplars are left out. Sorted by series
   * labels; each series' exemplars oldest first.
   */
  List<SeriesExemplars> selectExemplars(long mint, long maxt, List<List<LabelMatcher>> matcherSets);
}
