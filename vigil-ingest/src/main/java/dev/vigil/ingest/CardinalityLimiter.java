package dev.vigil.ingest;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the distinct series that push ingest may create. A series seen before always passes; a new
 * one passes while fewer than {@code maxSeries} are known.
 *
 * <p>Series are identified by their 64-bit label hash ({@link dev.vigil.model.Labels#hash64()}): 8
 * bytes of key per series instead of the labels. Thread-safe.
 */
final class CardinalityLimiter {
  private final int maxSeries;
  private final ConcurrentHashMap<Long, Boolean> known = new ConcurrentHashMap<>();
  private final AtomicInteger size = new AtomicInteger();

  public CardinalityLimiter(int maxSeries) {
    this.maxSeries = maxSeries;
  }

  /** Whether the series with this hash may be written; admits it when new and under the limit. */
  public boolean admit(long seriesHash) {
    Long key = seriesHash;
    if (known.containsKey(key)) {
      return true;
    }
    while (true) {
      int n = size.get();
      if (n >= maxSeries) {
        return known.containsKey(key);
      }
      if (size.compareAndSet(n, n + 1)) {
        if (known.putIfAbsent(key, Boolean.TRUE) != null) {
          size.decrementAndGet();
        }
        return true;
      }
    }
  }

  /** Distinct series admitted so far. */
  public int size() {
    return size.get();
  }

  public int maxSeries() {
    return maxSeries;
  }
}
