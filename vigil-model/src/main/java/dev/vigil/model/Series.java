package dev.vigil.model;

/** One series of a {@link SeriesSet}: its labels and a fresh iterator over its samples. */
public interface Series {
  Labels labels();

  /** A new iterator over this series' samples in the querier's range, in time order. */
  SampleIterator iterator();
}
