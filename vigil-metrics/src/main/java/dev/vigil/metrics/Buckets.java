package dev.vigil.metrics;

import java.util.Arrays;

/**
 * Classic histogram bucket layouts. Bounds are upper bounds, inclusive; {@code +Inf} is added by
 * the histogram and need not be given.
 *
 * <pre>{@code
 * Buckets.DEFAULT                    // .005 .01 .025 .05 .1 .25 .5 1 2.5 5 10 (seconds)
 * Buckets.linear(100, 100, 5)        // 100 200 300 400 500
 * Buckets.exponential(0.001, 2, 10)  // 0.001 0.002 ... 0.512
 * }</pre>
 */
public final class Buckets {
  private static final double[] DEFAULT_BOUNDS = {.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10};

  /** The Prometheus client default, suited to request latencies in seconds. */
  public static final Buckets DEFAULT = new Buckets(DEFAULT_BOUNDS);

  private final double[] bounds;

  private Buckets(double[] bounds) {
    this.bounds = bounds;
  }

  /**
   * Explicit bounds; they must be finite and increasing strictly. A trailing {@code +Inf} is
   * allowed and ignored.
   */
  public static Buckets of(double... bounds) {
    double[] b = bounds.clone();
    int n = b.length;
    if (n > 0 && b[n - 1] == Double.POSITIVE_INFINITY) {
      n--;
    }
    b = Arrays.copyOf(b, n);
    for (int i = 0; i < n; i++) {
      if (!Double.isFinite(b[i])) {
        throw new IllegalArgumentException("bucket bound is not finite: " + b[i]);
      }
      if (i > 0 && !(b[i] > b[i - 1])) {
        throw new IllegalArgumentException(
            "bucket bounds must increase strictly: " + Arrays.toString(bounds));
      }
    }
    return new Buckets(b);
  }

  /** {@code count} bounds: {@code start, start + width, ...}. */
  public static Buckets linear(double start, double width, int count) {
    if (count < 1 || !(width > 0)) {
      throw new IllegalArgumentException(
          "linear buckets need count >= 1 and width > 0, got " + count + ", " + width);
    }
    double[] b = new double[count];
    for (int i = 0; i < count; i++) {
      b[i] = start + i * width;
    }
    return of(b);
  }

  /** {@code count} bounds: {@code start, start * factor, start * factor^2, ...}. */
  public static Buckets exponential(double start, double factor, int count) {
    if (count < 1 || !(start > 0) || !(factor > 1)) {
      throw new IllegalArgumentException(
          "exponential buckets need count >= 1, start > 0 and factor > 1, got "
              + count
              + ", "
              + start
              + ", "
              + factor);
    }
    double[] b = new double[count];
    double v = start;
    for (int i = 0; i < count; i++) {
      b[i] = v;
      v *= factor;
    }
    return of(b);
  }

  /** The bounds with {@code +Inf} appended. */
  public double[] upperBoundsWithInf() {
    double[] b = Arrays.copyOf(bounds, bounds.length + 1);
    b[bounds.length] = Double.POSITIVE_INFINITY;
    return b;
  }

  @Override
  public String toString() {
    return Arrays.toString(bounds) + "+Inf";
  }
}
