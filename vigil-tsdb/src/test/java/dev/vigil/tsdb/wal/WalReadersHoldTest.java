package dev.vigil.tsdb.wal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.tsdb.Tsdb;
import dev.vigil.tsdb.wal.WalReaders.WalPosition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint deletes no segment a WAL reader (a remote write queue) still needs, and a tail reads
 * every record from the reader's position across the segments the writer rolled, then reports when
 * it caught up.
 */
class WalReadersHoldTest {
  private static final long HOUR = 3_600_000;

  @TempDir Path dir;

  private static void fill(Tsdb db) {
    Appender a = db.appender();
    for (int k = 0; k < 400; k++) {
      a.append(0, Labels.of("__name__", "held", "k", "v"), 1_000 + k * 30_000L, k);
      if (k % 50 == 49) {
        a.commit(); // several records
        a = db.appender();
      }
    }
    a.commit();
  }

  private Tsdb open(Path store) throws Exception {
    return Tsdb.builder(store)
        .blockRange(Duration.ofHours(1))
        .rollups(false)
        .walSegmentBytes(4096)
        .backgroundInterval(Duration.ZERO)
        .open();
  }

  @Test
  void checkpoint_keepsTheSegmentsAReaderHasNotRead_andDeletesThemWithoutReader() throws Exception {
    Path held = dir.resolve("held");
    Path free = dir.resolve("free");
    WalReaders.in(held).save("queue", new WalPosition(1, 0));
    for (Path store : List.of(held, free)) {
      try (Tsdb db = open(store)) {
        fill(db);
        assertThat(db.maintain()).as("blocks cut").isPositive();
      }
    }
    assertThat(WalFiles.latestCheckpoint(held.resolve("wal"))).isPositive();
    assertThat(WalFiles.segments(held.resolve("wal"))).contains(1);
    assertThat(WalFiles.segments(free.resolve("wal"))).doesNotContain(1);

    // The tail reads all 400 samples from the held position, across the rolled segments.
    List<Long> times = new ArrayList<>();
    WalTail tail = WalTail.at(held.resolve("wal"), new WalPosition(1, 0), m -> {});
    WalReader.Handler h =
        (type, b, off, len) -> {
          if (type == RecordType.SAMPLES) {
            RecordDecoder d = new RecordDecoder(b, off, len);
            int n = d.count("samples", 10);
            d.uvarint();
            long t0 = d.varint();
            for (int i = 0; i < n; i++) {
              d.varint();
              times.add(t0 + d.varint());
              d.long64();
            }
          }
        };
    while (tail.read(h, 1024) > 0) {
      // reading on
    }
    assertThat(times).hasSize(400).doesNotHaveDuplicates();
    assertThat(tail.position())
        .isEqualTo(WalTail.end(held.resolve("wal")))
        .as("caught up at the end of the newest segment");

    WalReaders.in(held).retainOnly(Set.of());
    assertThat(WalReaders.in(held).lowestSegment()).isEqualTo(Integer.MAX_VALUE);
    assertThat(Files.exists(held.resolve("wal_readers").resolve("queue"))).isFalse();
  }
}
