package dev.vigil.promql;

/** Kahan-Babuška compensated summation, as Prometheus' {@code kahanSumInc}. */
final class Kahan {
  private Kahan() {}

  /** Adds {@code inc} to {@code sum} with compensation {@code c}; returns {new sum, new c}. */
  static double[] inc(double inc, double sum, double c) {
    double t = sum + inc;
    if (Double.isInfinite(t)) {
      c = 0;
    } else if (Math.abs(sum) >= Math.abs(inc)) {
      c += (sum - t) + inc;
    } else {
      c += (inc - t) + sum;
    }
    return new double[] {t, c};
  }
}
