package dev.vigil.promql;

import dev.vigil.model.Labels;
import java.util.Arrays;

/** Raw samples of one series (timestamps in ms, ascending), as read from storage or a subquery. */
final class RawSeries {
  final Labels labels;
  boolean dropName;
  long[] ts;
  double[] vals;
  int size;

  RawSeries(Labels labels, int capacity) {
    this.labels = labels;
    int c = Math.max(4, capacity);
    this.ts = new long[c];
    this.vals = new double[c];
  }

  /**
   * {@code drops[i]}: the first index {@code j >= max(i, 1)} with {@code vals[j] < vals[j - 1]}.
   */
  private int[] drops;

  void add(long t, double v) {
    drops = null;
    if (size == ts.length) {
      ts = Arrays.copyOf(ts, size * 2);
      vals = Arrays.copyOf(vals, size * 2);
    }
    ts[size] = t;
    vals[size] = v;
    size++;
  }

  /**
   * Index of the first sample with timestamp {@code > t}, searching from {@code from}. Gallops from
   * {@code from} before bisecting: range evaluation moves each window a few samples forward per
   * step, so the answer is usually close.
   */
  int firstAfter(long t, int from) {
    if (from >= size || ts[from] > t) {
      return from;
    }
    int lo = from + 1; // ts[lo - 1] <= t
    int bound = 1;
    while (lo + bound < size && ts[lo + bound - 1] <= t) {
      lo += bound;
      bound <<= 1;
    }
    int hi = Math.min(size, lo + bound);
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ts[mid] <= t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * The first index {@code j >= from} (and {@code >= 1}) where the value drops below the one
   * before, as a counter reset does, or {@link #size} if none: lets {@code rate} skip scanning
   * windows that hold no reset. Computed once per series, in one pass.
   */
  int nextDrop(int from) {
    if (drops == null) {
      int[] d = new int[size + 1];
      d[size] = size;
      for (int j = size - 1; j >= 0; j--) {
        d[j] = j >= 1 && vals[j] < vals[j - 1] ? j : d[j + 1];
      }
      drops = d;
    }
    return drops[Math.min(from, size)];
  }
}
