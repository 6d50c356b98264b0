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
 */
public record StorageConfig(
    Path path, Duration retentionTime, long retentionSize, Duration walFsync) {

  /** The defaults: {@code ./data}, 15 days, no size limit, fsync every second. */
  public static StorageConfig defaults() {
    return new StorageConfig(Path.of("data"), Duration.ofDays(15), 0, Duration.ofSeconds(1));
  }

  /** A copy with another path. */
  public StorageConfig withPath(Path p) {
    return new StorageConfig(p, retentionTime, retentionSize, walFsync);
  }
}
