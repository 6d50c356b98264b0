package dev.vigil.model;

/**
 * A sample the head refuses by time: older than its series' newest beyond the out-of-order window,
 * older than the head ({@link #outOfBounds}), or too far ahead of the clock ({@link #tooFarAhead}).
 */
public final class OutOfOrderException extends IllegalArgumentException {
  private final Labels series;
  private final long sampleTime;
  private final long newestTime;

  public OutOfOrderException(Labels series, long sampleTime, long newestTime) {
    super(
        "out-of-order sample for "
            + series
            + ": timestamp "
            + sampleTime
            + " is older than the series' newest sample at "
            + newestTime);
    this.series = series;
    this.sampleTime = sampleTime;
    this.newestTime = newestTime;
  }

  private OutOfOrderException(String message, Labels series, long sampleTime, long newestTime) {
    super(message);
    this.series = series;
    this.sampleTime = sampleTime;
    this.newestTime = newestTime;
  }

  /**
   * A sample older than the head's minimum valid time: that time range is persisted in blocks
   * already. {@link #newestTime()} is the minimum valid time.
   */
  public static OutOfOrderException outOfBounds(Labels series, long sampleTime, long minValidTime) {
    return new OutOfOrderException(
        "out-of-bounds sample for "
            + series
            + ": timestamp "
            + sampleTime
            + " is older than "
            + minValidTime
            + ", the start of the in-memory head (older data is in blocks already)",
        series,
        sampleTime,
        minValidTime);
  }

  /**
   * A sample further ahead of the store's clock than the configured limit: accepting it would move
   * the head into the future and refuse every present sample after the next cut. {@link
   * #newestTime()} is the newest time accepted now.
   */
  public static OutOfOrderException tooFarAhead(
      Labels series, long sampleTime, long maxValidTime, long maxAheadMs) {
    return new OutOfOrderException(
        "too-far-in-future sample for "
            + series
            + ": timestamp "
            + sampleTime
            + " is after "
            + maxValidTime
            + ", the store's clock plus the "
            + maxAheadMs
            + " ms it accepts ahead (max ahead time)",
        series,
        sampleTime,
        maxValidTime);
  }

  public Labels series() {
    return series;
  }

  public long sampleTime() {
    return sampleTime;
  }

  public long newestTime() {
    return newestTime;
  }
}
