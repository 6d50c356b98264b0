package dev.vigil.model;

import java.util.Iterator;
import java.util.List;

/**
 * A lazy sequence of series sorted by labels: call {@link #next()} then {@link #at()}.
 *
 * <p>Samples are decoded only when a series' iterator is used, chunk by chunk.
 */
public interface SeriesSet {
  /** Advances to the next series; false at the end. */
  boolean next();

  /** The current series; valid after {@link #next()} returned true. */
  Series at();

  /** Non-fatal problems met while selecting (e.g. a block that could not be read). */
  default List<String> warnings() {
    return List.of();
  }

  /** An empty set. */
  static SeriesSet empty() {
    return of(List.of());
  }

  /** A set over series already in memory, which must be sorted by labels. */
  static SeriesSet of(List<? extends Series> series) {
    Iterator<? extends Series> it = series.iterator();
    return new SeriesSet() {
      private Series cur;

      @Override
      public boolean next() {
        if (!it.hasNext()) {
          return false;
        }
        cur = it.next();
        return true;
      }

      @Override
      public Series at() {
        return cur;
      }
    };
  }
}
