package dev.vigil.promql;

import dev.vigil.tsdb.Labels;
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

  void add(long t, double v) {
    if (size == ts.length) {
      ts = Arrays.copyOf(ts, size * 2);
      vals = Arrays.copyOf(vals, size * 2);
    }
    ts[size] = t;
    vals[size] = v;
    size++;
  }

  /** Index of the first sample with timestamp {@code > t}, searching from {@code from}. */
  int firstAfter(long t, int from) {
    int lo = from;
    int hi = size;
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
}
