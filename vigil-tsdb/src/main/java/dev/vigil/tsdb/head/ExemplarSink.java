package dev.vigil.tsdb.head;

import dev.vigil.model.Exemplar;
import dev.vigil.model.ExemplarException;
import dev.vigil.model.Labels;

/**
 * Where a head's appenders put exemplars: checked at append, stored at commit after the WAL write.
 * Implementations are thread-safe.
 */
public interface ExemplarSink {
  /**
   * Checks an exemplar without storing it.
   *
   * @return whether it would be stored (false: a duplicate of the series' newest, or storage off)
   * @throws ExemplarException when it is refused (counted by the sink)
   */
  boolean check(Labels series, Exemplar e);

  /**
   * Stores an exemplar unless it is a duplicate or out of order by now.
   *
   * @return whether it was stored
   */
  boolean add(Labels series, Exemplar e);
}
