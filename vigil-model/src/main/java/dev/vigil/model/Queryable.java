package dev.vigil.model;

/**
 * The read side of storage: everything that queries data (the PromQL engine, exports, the
 * dashboard) sees storage only through this interface.
 *
 * <pre>{@code
 * try (Querier q = db.querier(mint, maxt)) {
 *   SeriesSet set = q.select(SelectHints.range(mint, maxt), LabelMatcher.equal("__name__", "up"));
 *   while (set.next()) {
 *     Series s = set.at();
 *     SampleIterator it = s.iterator();
 *     while (it.next()) { use(it.timestamp(), it.value()); }
 *   }
 * }
 * }</pre>
 */
public interface Queryable {
  /**
   * Opens a consistent view of the samples with timestamps in {@code [mint, maxt]} (milliseconds,
   * both inclusive). The view stays valid until closed, even while appends and compactions go on.
   */
  Querier querier(long mint, long maxt);
}
