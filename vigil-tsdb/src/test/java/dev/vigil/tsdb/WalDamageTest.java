package dev.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Labels;
import dev.vigil.tsdb.head.Head;
import dev.vigil.tsdb.wal.RecordEncoder;
import dev.vigil.tsdb.wal.RecordType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed WAL records found by {@link WalFuzzTest}: each is skipped with a warning naming the
 * file, the offset and the problem, and the records around it are still replayed.
 */
class WalDamageTest {
  @TempDir Path dir;

  /** Replays a segment of: a good series record, the bad record, then good samples. */
  private List<String> replay(Consumer<RecordEncoder> bad) throws Exception {
    RecordEncoder e = new RecordEncoder();
    e.begin(RecordType.SERIES);
    e.series(1, Labels.of("__name__", "up"));
    e.end();
    int badAt = e.length();
    e.begin(RecordType.SERIES);
    bad.accept(e);
    e.end();
    e.begin(RecordType.SAMPLES);
    e.uvarint(1);
    e.uvarint(1);
    e.varint(5000);
    e.varint(0);
    e.varint(0);
    e.long64(Double.doubleToRawLongBits(2.5));
    e.end();
    Path wal = Files.createDirectories(dir.resolve("wal"));
    Files.write(wal.resolve("00000001"), Arrays.copyOf(e.buffer(), e.length()));
    List<String> warnings = new ArrayList<>();
    try (Head head = new Head(dir.resolve("chunks_head"), 0)) {
      String summary = WalReplay.replay(wal, head, new ExemplarStore(16), warnings::add, null);
      assertThat(summary).startsWith("replayed 3 WAL records: 1 series, 1 samples");
    }
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0))
        .startsWith("WAL " + wal.resolve("00000001") + ": unreadable record at offset " + badAt);
    return warnings;
  }

  @Test
  void seriesWhoseLabelsAreAllEmpty_isSkippedByName() throws Exception {
    assertThat(replay(e -> e.series(2, Labels.of())))
        .singleElement()
        .asString()
        .endsWith(": series ref 2 has no labels");
  }

  @Test
  void seriesRefZeroOrBeyondAnInt_isSkippedByName() throws Exception {
    assertThat(replay(e -> e.series(0, Labels.of("a", "b"))))
        .singleElement()
        .asString()
        .endsWith(": series ref 0 out of range");
  }

  @Test
  void seriesRefBeyondAnInt_isSkippedByName() throws Exception {
    assertThat(replay(e -> e.series(1L << 32, Labels.of("a", "b"))))
        .singleElement()
        .asString()
        .endsWith(": series ref 4294967296 out of range");
  }

  @Test
  void labelCountBeyondTheRecord_isRefusedBeforeAllocating() throws Exception {
    assertThat(
            replay(
                e -> {
                  e.uvarint(2);
                  e.uvarint(Integer.MAX_VALUE); // 2 Gi labels: 16 GiB of references
                  e.string("a");
                }))
        .singleElement()
        .asString()
        .endsWith(": record claims 2147483647 labels at byte 1 but has 2 bytes left");
  }

  @Test
  void duplicateLabelName_isSkippedByName() throws Exception {
    assertThat(
            replay(
                e -> {
                  e.uvarint(2);
                  e.uvarint(2);
                  e.string("a");
                  e.string("x");
                  e.string("a");
                  e.string("y");
                }))
        .singleElement()
        .asString()
        .endsWith(": labels at byte 1: duplicate label name a");
  }

  @Test
  void stringLongerThanTheRecord_isSkippedByName() throws Exception {
    assertThat(
            replay(
                e -> {
                  e.uvarint(2);
                  e.uvarint(1);
                  e.uvarint(-1L); // 2^64 - 1 bytes
                }))
        .singleElement()
        .asString()
        .endsWith(": string of 18446744073709551615 bytes at byte 2 runs past the record");
  }
}
