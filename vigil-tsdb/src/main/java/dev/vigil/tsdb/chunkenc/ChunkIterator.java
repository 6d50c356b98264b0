package dev.vigil.tsdb.chunkenc;

/** Iterates the samples of one encoded chunk in time order. Not thread-safe. */
public interface ChunkIterator {
  /** Advances to the next sample; false at the end. */
  boolean next();

  long timestamp();

  double value();
}
