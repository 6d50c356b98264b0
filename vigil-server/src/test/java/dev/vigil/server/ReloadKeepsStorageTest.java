package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.VigilConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reload cannot reopen the store, so the storage section that runs stays as it was opened, and
 * the configuration Vigil reports is the one that runs, not what the file says now.
 */
class ReloadKeepsStorageTest {
  @TempDir Path dir;

  @Test
  void reload_ofChangedRetentionAndFsync_keepsTheRunningStorageSection() throws Exception {
    Path file = dir.resolve("vigil.yml");
    String data = dir.resolve("data").toString().replace("\\", "/");
    Files.writeString(
        file, "storage:\n  path: \"" + data + "\"\n  retention_time: 15d\n  wal_fsync: 1s\n");
    VigilConfig first = ConfigLoader.load(file, Map.of());
    try (Vigil v = Vigil.builder(first).http(false).configFile(file, Map.of()).start()) {
      Files.writeString(
          file, "storage:\n  path: \"" + data + "\"\n  retention_time: 1d\n  wal_fsync: 0s\n");

      assertThat(v.reload()).isNull();

      assertThat(v.config().storage().retentionTime()).isEqualTo(Duration.ofDays(15));
      assertThat(v.config().storage().walFsync()).isEqualTo(Duration.ofSeconds(1));
    }
  }
}
