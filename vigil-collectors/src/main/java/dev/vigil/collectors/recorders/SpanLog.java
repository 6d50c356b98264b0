package dev.vigil.collectors.recorders;

import java.util.ArrayList;
import java.util.List;

/**
 * The last N finished spans, newest last, for the dashboard.
 *
 * <p>Thread-safe; adding stores one reference under a short lock.
 */
public final class SpanLog {
  private final Span[] ring;
  private long written; // guarded by this

  /**
   * Creates a log keeping {@code capacity} spans.
   *
   * @throws IllegalArgumentException when capacity is below 1
   */
  public SpanLog(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("span log capacity must be >= 1, got " + capacity);
    }
    ring = new Span[capacity];
  }

  /** Adds a finished span, dropping the oldest when full. */
  public synchronized void add(Span s) {
    ring[(int) (written % ring.length)] = s;
    written++;
  }

  /** Returns the kept spans, oldest first. */
  public synchronized List<Span> recent() {
    int n = (int) Math.min(written, ring.length);
    List<Span> out = new ArrayList<>(n);
    for (long i = written - n; i < written; i++) {
      out.add(ring[(int) (i % ring.length)]);
    }
    return out;
  }
}
