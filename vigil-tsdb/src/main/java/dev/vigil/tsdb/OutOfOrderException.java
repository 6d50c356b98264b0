package dev.vigil.tsdb;

/** A sample older than its series' newest, outside the accepted out-of-order window. */
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
