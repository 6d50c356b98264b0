package dev.vigil.model;

/**
 * Iterates one series' float samples in increasing time order. Not thread-safe.
 *
 * <p>Values are bit-exact as stored, including the stale marker ({@link StaleMarker}).
 */
public interface SampleIterator {
  /** Advances to the next sample; false when exhausted. */
  boolean next();

  /**
   * Advances to the first sample with timestamp {@code >= t}; stays put if the current sample
   * already qualifies. Returns false when no such sample exists.
   */
  boolean seek(long t);

  /** Timestamp in milliseconds since the epoch of the current sample. */
  long timestamp();

  /** Value of the current sample. */
  double value();

  /** An iterator with no samples. */
  SampleIterator EMPTY =
      new SampleIterator() {
        @Override
        public boolean next() {
          return false;
        }

        @Override
        public boolean seek(long t) {
          return false;
        }

        @Override
        public long timestamp() {
          throw new IllegalStateException("empty iterator");
        }

        @Override
        public double value() {
          throw new IllegalStateException("empty iterator");
        }
      };
}
