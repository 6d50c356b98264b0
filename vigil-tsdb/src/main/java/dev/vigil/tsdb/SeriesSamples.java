package dev.vigil.tsdb;

import dev.vigil.model.SampleIterator;
import java.util.Arrays;

/** A growable pair of sample arrays, reused while writing blocks series by series. */
final class SeriesSamples {
  long[] ts = new long[256];
  double[] vs = new double[256];
  int n;

  void clear() {
    n = 0;
  }

  void add(long t, double v) {
    if (n == ts.length) {
      ts = Arrays.copyOf(ts, n * 2);
      vs = Arrays.copyOf(vs, n * 2);
    }
    ts[n] = t;
    vs[n] = v;
    n++;
  }

  /** Reads the iterator to its end. */
  SeriesSamples fill(SampleIterator it) {
    clear();
    while (it.next()) {
      add(it.timestamp(), it.value());
    }
    return this;
  }
}
