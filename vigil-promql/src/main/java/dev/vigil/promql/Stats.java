package dev.vigil.promql;

import java.util.Arrays;

/** Order statistics and regressions shared by aggregations and functions. */
final class Stats {
  private Stats() {}

  /**
   * The q-quantile of values with linear interpolation, as Prometheus' {@code quantile}: NaN for
   * NaN q or no values, -Inf for q &lt; 0, +Inf for q &gt; 1. Sorts {@code values} in place.
   */
  static double quantile(double q, double[] values) {
    int n = values.length;
    if (n == 0 || Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    goSort(values);
    double rank = q * (n - 1);
    int lower = (int) Math.max(0, Math.floor(rank));
    int upper = Math.min(n - 1, lower + 1);
    double weight = rank - Math.floor(rank);
    return values[lower] * (1 - weight) + values[upper] * weight;
  }

  /** Sorts ascending with NaN first, as Go's {@code sort.Float64s}. */
  static void goSort(double[] v) {
    Arrays.sort(v);
    int nan = 0;
    for (int i = v.length - 1; i >= 0 && Double.isNaN(v[i]); i--) {
      nan++;
    }
    if (nan > 0 && nan < v.length) {
      double[] copy = Arrays.copyOf(v, v.length - nan);
      Arrays.fill(v, 0, nan, Double.NaN);
      System.arraycopy(copy, 0, v, nan, copy.length);
    }
  }

  /**
   * Least-squares slope and intercept at {@code interceptTime} over samples {@code [lo, hi)}, with
   * Kahan sums, as Prometheus' {@code linearRegression}.
   */
  static double[] linearRegression(long[] ts, double[] vs, int lo, int hi, long interceptTime) {
    double n = 0;
    double sumX = 0;
    double cX = 0;
    double sumY = 0;
    double cY = 0;
    double sumXY = 0;
    double cXY = 0;
    double sumX2 = 0;
    double cX2 = 0;
    double initY = vs[lo];
    boolean constY = true;
    for (int i = lo; i < hi; i++) {
      double f = vs[i];
      if (constY && i > lo && f != initY) {
        constY = false;
      }
      n += 1;
      double x = (ts[i] - interceptTime) / 1e3;
      cX = Kahan.comp(x, sumX, cX);
      sumX += x;
      cY = Kahan.comp(f, sumY, cY);
      sumY += f;
      double xf = x * f;
      cXY = Kahan.comp(xf, sumXY, cXY);
      sumXY += xf;
      double xx = x * x;
      cX2 = Kahan.comp(xx, sumX2, cX2);
      sumX2 += xx;
    }
    if (constY) {
      if (Double.isInfinite(initY)) {
        return new double[] {Double.NaN, Double.NaN};
      }
      return new double[] {0, initY};
    }
    sumX += cX;
    sumY += cY;
    sumXY += cXY;
    sumX2 += cX2;
    double covXY = sumXY - sumX * sumY / n;
    double varX = sumX2 - sumX * sumX / n;
    double slope = covXY / varX;
    double intercept = sumY / n - slope * sumX / n;
    return new double[] {slope, intercept};
  }
}
