package dev.vigil.model;

/**
 * Prometheus' staleness marker: a NaN with a fixed bit pattern, appended when a series disappears.
 * It differs from every other NaN, so compare bits, never values.
 */
public final class StaleMarker {
  /** The bit pattern Prometheus uses ({@code value.StaleNaN}). */
  public static final long BITS = 0x7ff0000000000002L;

  /** The stale marker as a double. */
  public static final double VALUE = Double.longBitsToDouble(BITS);

  private StaleMarker() {}

  /** Whether {@code v} is the stale marker (and not any other NaN). */
  public static boolean is(double v) {
    return Double.doubleToRawLongBits(v) == BITS;
  }
}
