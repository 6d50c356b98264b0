package dev.vigil.ingest;

import java.util.function.LongSupplier;

/**
 * A token bucket of samples: {@code rate} tokens per second, at most {@code burst} saved up. A
 * request takes all its samples' tokens or none, so a request over the rate stores nothing and its
 * sender retries it later (429).
 *
 * <p>Thread-safe (synchronized: one short critical section per request, not per sample).
 */
final class RateLimiter {
  private final long rate;
  private final long burst;
  private final LongSupplier nanoClock;
  private double tokens;
  private long last;

  /**
   * @param rate tokens per second; 0 disables the limit
   * @param burst bucket size in tokens
   * @param nanoClock monotonic nanoseconds ({@code System::nanoTime} outside tests)
   */
  public RateLimiter(long rate, long burst, LongSupplier nanoClock) {
    this.rate = rate;
    this.burst = Math.max(burst, rate);
    this.nanoClock = nanoClock;
    this.tokens = this.burst;
    this.last = nanoClock.getAsLong();
  }

  /** Takes {@code n} tokens if available; false (taking none) otherwise. */
  public synchronized boolean tryAcquire(long n) {
    if (rate == 0) {
      return true;
    }
    long now = nanoClock.getAsLong();
    tokens = Math.min(burst, tokens + (now - last) * (rate / 1e9));
    last = now;
    if (n > tokens) {
      return false;
    }
    tokens -= n;
    return true;
  }

  /** Sustained tokens per second (0: unlimited). */
  public long rate() {
    return rate;
  }
}
