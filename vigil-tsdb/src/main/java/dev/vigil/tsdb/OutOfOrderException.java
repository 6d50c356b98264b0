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
