package dev.vigil.metrics;

import java.util.Arrays;

/**
 * A relative-error quantile sketch over doubles. Not thread safe (the summary locks around it).
 *
 * <p>Error bound: for any rank q, the returned value v' and the exact value v of the observation of
 * rank {@code floor(q * (n - 1))} satisfy {@code |v' - v| <= alpha * |v|} (values whose magnitude
 * is below {@link #MIN_MAGNITUDE} are reported as 0).
 */
final class QuantileSketch {
  /*
   * Design: the logarithmic mapping of DDSketch (Masson, Rim, Lee: "DDSketch: A Fast and Fully-
   * Mergeable Quantile Sketch with Relative-Error Guarantees", VLDB 2019). A positive value v goes
   * to bucket i = ceil(log_gamma(v)) with gamma = (1 + alpha) / (1 - alpha); bucket i covers
   * (gamma^(i-1), gamma^i] and reports 2 gamma^i / (gamma + 1), within alpha of anything in it.
   * Negative values use a mirrored store. Memory is one long per occupied bucket range: with
   * alpha = 1% values from 1 ms to 1 hour span ~750 buckets (6 KB).
   */
  static final double MIN_MAGNITUDE = 1e-9;

  private final double gamma;
  private final double logGamma;
  private final Store positive = new Store();
  private final Store negative = new Store();
  private long zeroCount;
  private long count;

  QuantileSketch(double alpha) {
    this.gamma = (1 + alpha) / (1 - alpha);
    this.logGamma = Math.log(gamma);
  }

  void add(double v) {
    if (v > MIN_MAGNITUDE) {
      positive.add(index(v));
    } else if (v < -MIN_MAGNITUDE) {
      negative.add(index(-v));
    } else {
      zeroCount++;
    }
    count++;
  }

  private int index(double magnitude) {
    return (int) Math.ceil(Math.log(magnitude) / logGamma);
  }

  private double value(int index) {
    return 2 * Math.pow(gamma, index) / (gamma + 1);
  }

  long count() {
    return count;
  }

  void reset() {
    positive.reset();
    negative.reset();
    zeroCount = 0;
    count = 0;
  }

  /** The estimate of quantile q in [0, 1], or NaN when empty. */
  double quantile(double q) {
    if (count == 0) {
      return Double.NaN;
    }
    long rank = (long) Math.floor(q * (count - 1));
    long seen = 0;
    // Most negative first: the negative store's highest index.
    for (int i = negative.counts.length - 1; i >= 0; i--) {
      seen += negative.counts[i];
      if (seen > rank) {
        return -value(i + negative.offset);
      }
    }
    seen += zeroCount;
    if (seen > rank) {
      return 0;
    }
    for (int i = 0; i < positive.counts.length; i++) {
      seen += positive.counts[i];
      if (seen > rank) {
        return value(i + positive.offset);
      }
    }
    return value(positive.counts.length - 1 + positive.offset);
  }

  /** Counts per bucket index, in one array grown on both ends. */
  private static final class Store {
    long[] counts = new long[0];
    int offset;

    void add(int index) {
      if (counts.length == 0) {
        counts = new long[16];
        offset = index - 8;
      }
      int i = index - offset;
      if (i < 0) {
        int grow = Math.max(-i, counts.length / 2);
        long[] c = new long[counts.length + grow];
        System.arraycopy(counts, 0, c, grow, counts.length);
        counts = c;
        offset -= grow;
        i = index - offset;
      } else if (i >= counts.length) {
        counts = Arrays.copyOf(counts, Math.max(i + 1, counts.length + counts.length / 2));
      }
      counts[i]++;
    }

    void reset() {
      Arrays.fill(counts, 0);
    }
  }
}
