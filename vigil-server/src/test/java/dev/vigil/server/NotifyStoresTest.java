package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.notify.silence.Matchers;
import dev.vigil.notify.silence.Silence;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotifyStoresTest {
  @TempDir Path dir;

  @Test
  void maintenance_dropsSilencesAndLogEntriesPastRetention_onTheServersClock() throws Exception {
    Instant t0 = Instant.parse("2026-12-07T12:00:00Z");
    AtomicLong now = new AtomicLong(t0.toEpochMilli());
    try (NotifyStores n = NotifyStores.open(dir, now::get, Duration.ofDays(1))) {
      String id =
          n.silences.set(
              new Silence(null, Matchers.parse("a=b"), t0, t0.plusSeconds(60), null, "ops", "c"));
      n.nflog.record("g", "r", List.of(1L), List.of(), null);
      assertThat(Files.exists(dir.resolve("notify/silences.log"))).isTrue();
      now.set(t0.plus(Duration.ofHours(119)).toEpochMilli());
      n.maintain();
      assertThat(n.silences.get(id)).isPresent();
      assertThat(n.nflog.entries()).hasSize(1);
      now.set(t0.plus(Duration.ofHours(121)).toEpochMilli());
      n.maintain();
      assertThat(n.silences.get(id)).isEmpty();
      assertThat(n.nflog.entries()).isEmpty();
    }
  }
}
