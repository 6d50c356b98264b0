package dev.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The segment numbers a WAL replay reports, as Prometheus' {@code /api/v1/status/walreplay}. */
class WalReplayProgressTest {
  @TempDir Path dir;

  private Tsdb open(WalReplayProgress p) throws Exception {
    return Tsdb.builder(dir)
        .backgroundInterval(Duration.ZERO)
        .walSegmentBytes(4096)
        .walReplayProgress(p)
        .log(m -> {})
        .open();
  }

  @Test
  void replayOfSeveralSegments_reportsFirstLastAndEndsOnTheLast() throws Exception {
    WalReplayProgress fresh = new WalReplayProgress();
    assertThat(fresh.done()).isFalse();
    try (Tsdb db = open(fresh)) {
      assertThat(fresh.done()).isTrue();
      assertThat(fresh.max()).isZero();
      Appender app = db.appender();
      for (int i = 0; i < 2000; i++) {
        app.append(0, Labels.of("__name__", "m", "i", "" + (i % 7)), i * 1000L, i);
        app.commit();
      }
    }
    int segments;
    try (Stream<Path> s = Files.list(dir.resolve("wal"))) {
      segments = (int) s.filter(p -> p.getFileName().toString().matches("\\d+")).count();
    }
    assertThat(segments).as("small segments: several files").isGreaterThan(2);
    WalReplayProgress p = new WalReplayProgress();
    try (Tsdb db = open(p)) {
      assertThat(p.done()).isTrue();
      assertThat(p.max() - p.min() + 1).isEqualTo(segments);
      assertThat(p.current()).isEqualTo(p.max());
      assertThat(db.headSeries()).isEqualTo(7);
    }
  }
}
