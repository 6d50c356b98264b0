package dev.vigil.model;

/**
 * What a select is for, so storage can read less: the time range actually needed, the query step
 * and function, and the coarsest resolution the caller accepts.
 *
 * @param start first timestamp needed (ms)
 * @param end last timestamp needed (ms)
 * @param step query step (ms), 0 for an instant query
 * @param func the function around the selector (e.g. {@code rate}), or {@code null}
 * @param range the range of a range selector (ms), 0 for an instant selector
 * @param resolution the coarsest data the caller accepts; {@link Resolution#RAW} keeps answers
 *     exact
 */
public record SelectHints(
    long start, long end, long step, String func, long range, Resolution resolution) {

  public SelectHints {
    if (resolution == null) {
      resolution = Resolution.RAW;
    }
  }

  /** Raw samples in {@code [start, end]}. */
  public static SelectHints range(long start, long end) {
    return new SelectHints(start, end, 0, null, 0, Resolution.RAW);
  }

  /** The same hints accepting rollups up to {@code r}. */
  public SelectHints withResolution(Resolution r) {
    return new SelectHints(start, end, step, func, range, r);
  }
}
