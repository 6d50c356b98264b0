package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.server.config.CollectConfig;
import dev.vigil.server.config.VigilConfig;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A start that fails has released everything when it throws, the store's lock included. */
class VigilStartFailureTest {
  @Test
  void failedStart_releasesTheStore_soThatARetryWithTheSameDirectoryStarts(@TempDir Path dir)
      throws Exception {
    VigilConfig c =
        VigilConfig.defaults()
            .withStoragePath(dir.resolve("data"))
            .withCollect(
                new CollectConfig(Duration.ofSeconds(1), false, false, false, false, "app_"));
    // A WAL to replay, so that the store is still opening when the HTTP port fails to bind.
    try (Vigil v = Vigil.builder(c).http(false).start()) {
      var app = v.storage().appender();
      long t0 = 1_000_000_000_000L;
      for (int s = 0; s < 50; s++) {
        var labels = dev.vigil.model.Labels.of("__name__", "replayed", "s", Integer.toString(s));
        long ref = 0;
        for (int i = 0; i < 4000; i++) {
          ref = app.append(ref, labels, t0 + i * 1000L, i);
        }
      }
      app.commit();
    }
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(() -> Vigil.start(c.withListen("127.0.0.1", taken.getLocalPort())))
            .isInstanceOf(RuntimeException.class);
        try (Vigil v = Vigil.start(c.withListen("127.0.0.1", 0))) {
          assertThat(v.ready()).isTrue();
        }
      }
    }
  }
}
