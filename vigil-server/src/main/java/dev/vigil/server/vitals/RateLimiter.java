package dev.vigil.server.vitals;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per client address: {@code burst} beacons at once, then {@code perMinute}.
 *
 * <p>Thread-safe: each bucket is updated under its own lock (a beacon is a few microseconds of
 * work; contention on one address is that address's own problem).
 */
final class RateLimiter {
  /*
   * Bounded: at most MAX_CLIENTS buckets. When full, buckets that have refilled (their clients
   * idle long enough to be at the burst again) are dropped, which forgets nothing that matters;
   * if none has, new addresses share one overflow bucket, so a flood from many addresses is
   * limited as one client rather than growing the map.
   */
  static final int MAX_CLIENTS = 10_000;

  private static final String OVERFLOW = "\0overflow";

  private final double tokensPerNano;
  private final double tokensPerSecond;
  private final double burst;
  private final LongSupplier nanos;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  RateLimiter(int perMinute, int burst, LongSupplier nanos) {
    this.tokensPerNano = perMinute / 60e9;
    this.tokensPerSecond = perMinute / 60.0;
    this.burst = burst;
    this.nanos = nanos;
  }

  private final class Bucket {
    private double tokens = burst;
    private long last = nanos.getAsLong();

    synchronized long take(long now) {
      refill(now);
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return (long) Math.ceil((1 - tokens) / tokensPerSecond);
    }

    synchronized boolean full(long now) {
      refill(now);
      return tokens >= burst;
    }

    private void refill(long now) {
      if (now > last) {
        tokens = Math.min(burst, tokens + (now - last) * tokensPerNano);
        last = now;
      }
    }
  }

  /**
   * Takes one beacon's token for {@code client}.
   *
   * @return 0 when the beacon may pass, else the whole seconds until it would
   */
  long acquire(String client) {
    long now = nanos.getAsLong();
    Bucket b = buckets.get(client);
    if (b == null) {
      if (buckets.size() >= MAX_CLIENTS) {
        buckets.entrySet().removeIf(e -> !e.getKey().equals(OVERFLOW) && e.getValue().full(now));
      }
      b =
          buckets.size() >= MAX_CLIENTS
              ? buckets.computeIfAbsent(OVERFLOW, k -> new Bucket())
              : buckets.computeIfAbsent(client, k -> new Bucket());
    }
    return Math.max(0, b.take(now));
  }

  /** Buckets held (for tests). */
  int clients() {
    return buckets.size();
  }
}
