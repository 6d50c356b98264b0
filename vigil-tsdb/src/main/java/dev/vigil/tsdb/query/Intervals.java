package dev.vigil.tsdb.query;

import java.util.Arrays;

/**
 * A set of closed time intervals {@code [min, max]} (ms): the deleted ranges (tombstones) of one
 * series. Immutable; {@link #add} returns a new set.
 */
public final class Intervals {
  public static final Intervals NONE = new Intervals(new long[0]);

  private final long[] bounds; // min0, max0, min1, max1, ...

  private Intervals(long[] bounds) {
    this.bounds = bounds;
  }

  public static Intervals of(long min, long max) {
    return NONE.add(min, max);
  }

  public Intervals add(long min, long max) {
    long[] b = Arrays.copyOf(bounds, bounds.length + 2);
    b[bounds.length] = min;
    b[bounds.length + 1] = max;
    return new Intervals(b);
  }

  public Intervals addAll(Intervals o) {
    Intervals r = this;
    for (int i = 0; i < o.bounds.length; i += 2) {
      r = r.add(o.bounds[i], o.bounds[i + 1]);
    }
    return r;
  }

  public boolean isEmpty() {
    return bounds.length == 0;
  }

  public int size() {
    return bounds.length / 2;
  }

  public long min(int i) {
    return bounds[2 * i];
  }

  public long max(int i) {
    return bounds[2 * i + 1];
  }

  /** Whether {@code t} lies in a deleted interval. */
  public boolean contains(long t) {
    for (int i = 0; i < bounds.length; i += 2) {
      if (t >= bounds[i] && t <= bounds[i + 1]) {
        return true;
      }
    }
    return false;
  }

  /** Whether the whole of {@code [min, max]} is deleted by one interval. */
  public boolean covers(long min, long max) {
    for (int i = 0; i < bounds.length; i += 2) {
      if (min >= bounds[i] && max <= bounds[i + 1]) {
        return true;
      }
    }
    return false;
  }
}
