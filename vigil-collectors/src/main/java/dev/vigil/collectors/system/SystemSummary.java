package dev.vigil.collectors.system;

/**
 * The headline numbers of the latest system collection, for the health score and the overview
 * widget.
 *
 * @param cpuRatio busy share of all CPUs, 0-1 (NaN before the first collection)
 * @param memoryRatio used share of memory, 0-1
 * @param diskRatio the fullest filesystem's used share, 0-1 (NaN when none is readable)
 * @param collectedAtMillis when it was collected, epoch milliseconds (0 before the first)
 */
public record SystemSummary(
    double cpuRatio, double memoryRatio, double diskRatio, long collectedAtMillis) {

  /** The summary before any collection. */
  public static final SystemSummary NONE = new SystemSummary(Double.NaN, Double.NaN, Double.NaN, 0);
}
