package dev.vigil.promql;

/**
 * Kahan-Babuška compensated summation, as Prometheus' {@code kahanSumInc}, without allocating: the
 * caller adds, this gives the new compensation.
 *
 * <pre>{@code
 * double t = sum + x;
 * c = Kahan.comp(x, sum, t, c);
 * sum = t;              // the compensated total is sum + c
 * }</pre>
 */
final class Kahan {
  private Kahan() {}

  /** The compensation {@code c} becomes when {@code inc} is added to {@code sum}. */
  static double comp(double inc, double sum, double c) {
    double t = sum + inc;
    if (Double.isInfinite(t)) {
      return 0;
    }
    return Math.abs(sum) >= Math.abs(inc) ? c + ((sum - t) + inc) : c + ((inc - t) + sum);
  }
}
