package dev.vigil.server.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The {@code storage} section.
 *
 * @param path data directory (default {@code ./data})
 * @param retentionTime age after which blocks are dropped (default 15 d)
 * @param retentionSize total size after which the oldest blocks are dropped; 0 for no limit
 * @param walFsync how often the WAL is fsynced; 0 fsyncs every commit
 * @param maxExemplars {@code exemplars.max_exemplars}: exemplars kept in memory (and the WAL)
 *     across all series, the oldest overwritten first (default 100000 as in Prometheus); 0 disables
 *     exemplar storage
 * @param maxAheadTime how far ahead of the server's clock a sample may lie (default 10 min, as
 *     Prometheus' remote-write receiver; at most 1 h, half the block range); later ones are refused
 */
public record StorageConfig(
    Path path,
    Duration retentionTime,
    long retentionSize,
    Duration walFsync,
    int maxExemplars,
    Duration maxAheadTime) {

  /** Default of {@code storage.exemplars.max_exemplars}, as Prometheus'. */
  public static final int DEFAULT_MAX_EXEMPLARS = 100_000;

  /** Default of {@code storage.max_ahead_time}. */
  public static final Duration DEFAULT_MAX_AHEAD_TIME = Duration.ofMinutes(10);

  /** Largest {@code storage.max_ahead_time}: half the 2 h block range. */
  public static final Duration MAX_MAX_AHEAD_TIME = Duration.ofHours(1);

  /**
   * The defaults: {@code ./data}, 15 days, no size limit, fsync every second, 100000 exemplars,
   * samples up to 10 minutes ahead.
   */
  public static StorageConfig defaults() {
    return new StorageConfig(
        Path.of("data"),
        Duration.ofDays(15),
        0,
        Duration.ofSeconds(1),
        DEFAULT_MAX_EXEMPLARS,
        DEFAULT_MAX_AHEAD_TIME);
  }

  /** A copy with another path. */
  public StorageConfig withPath(Path p) {
    return new StorageConfig(p, retentionTime, retentionSize, walFsync, maxExemplars, maxAheadTime);
  }

  /** A copy keeping at most {@code n} exemplars (0 disables exemplar storage). */
  public StorageConfig withMaxExemplars(int n) {
    return new StorageConfig(path, retentionTime, retentionSize, walFsync, n, maxAheadTime);
  }
}
