package dev.vigil.model;

/**
 * Data resolution a reader accepts, like Thanos' {@code max_source_resolution}. Rollups keep min,
 * max, sum, count, last and counter increase per interval; only {@link #RAW} gives exact PromQL.
 */
public enum Resolution {
  RAW(0),
  FIVE_MINUTES(5 * 60_000L),
  ONE_HOUR(60 * 60_000L);

  private final long millis;

  Resolution(long millis) {
    this.millis = millis;
  }

  /** Rollup interval in milliseconds; 0 for raw data. */
  public long millis() {
    return millis;
  }
}
