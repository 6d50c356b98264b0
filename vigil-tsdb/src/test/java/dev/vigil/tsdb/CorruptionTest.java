package dev.vigil.tsdb;

import static dev.vigil.tsdb.TestUtil.name;
import static dev.vigil.tsdb.TestUtil.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.model.Querier;
import dev.vigil.model.SampleIterator;
import dev.vigil.model.SelectHints;
import dev.vigil.model.SeriesSet;
import dev.vigil.tsdb.block.Block;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged files: start-up succeeds, the damage is reported by file and offset, the rest is kept.
 */
class CorruptionTest {
  @TempDir Path dir;
  private final List<String> log = new ArrayList<>();

  private Tsdb open() throws Exception {
    return Tsdb.builder(dir).backgroundInterval(Duration.ZERO).log(log::add).open();
  }

  /** Commits {@code commits} transactions of 5 series, one sample each, t = 1000 * i. */
  private void write(int from, int commits) throws Exception {
    try (Tsdb db = open()) {
      Appender app = db.appender();
      for (int i = from; i < from + commits; i++) {
        for (int s = 0; s < 5; s++) {
          app.append(0, Labels.of("__name__", "c", "s", "" + s), i * 1000L, i);
        }
        app.commit();
      }
    }
  }

  private static Path lastSegment(Path wal) throws Exception {
    try (Stream<Path> s = Files.list(wal)) {
      return s.filter(p -> p.getFileName().toString().matches("\\d{8}"))
          .filter(p -> p.toFile().length() > 0)
          .sorted()
          .reduce((a, b) -> b)
          .orElseThrow();
    }
  }

  private static void flip(Path f, long offset) throws Exception {
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.seek(offset);
      int b = raf.read();
      raf.seek(offset);
      raf.write(b ^ 0x40);
    }
  }

  private int samples() throws Exception {
    try (Tsdb db = open()) {
      return read(db, 0, Long.MAX_VALUE, name("c")).values().stream().mapToInt(List::size).sum();
    }
  }

  @Test
  void flippedByteInWalTail_isCutAndReported_earlierCommitsKept() throws Exception {
    write(1, 100);
    Path seg = lastSegment(dir.resolve("wal"));
    long len = Files.size(seg);
    flip(seg, len - 3); // inside the last commit's samples record
    assertThat(samples()).isEqualTo(99 * 5);
    assertThat(log)
        .anyMatch(m -> m.contains(seg.toString()) && m.contains("torn record at offset"));
    assertThat(Files.size(seg)).isLessThan(len);
    write(101, 1); // the store keeps accepting writes after the cut
    assertThat(samples()).isEqualTo(100 * 5);
  }

  @Test
  void truncatedSegment_losesOnlyTheTornRecord() throws Exception {
    write(1, 50);
    Path seg = lastSegment(dir.resolve("wal"));
    try (FileChannel c = FileChannel.open(seg, StandardOpenOption.WRITE)) {
      c.truncate(c.size() - 10);
    }
    assertThat(samples()).isEqualTo(49 * 5);
    assertThat(log).anyMatch(m -> m.contains("runs past the end") || m.contains("incomplete"));
  }

  @Test
  void damageInAnOlderSegment_isReportedAndLaterSegmentsStillReplay() throws Exception {
    write(1, 50);
    Path first = lastSegment(dir.resolve("wal"));
    write(51, 50); // a second open writes a second segment
    flip(first, Files.size(first) / 2);
    int n = samples();
    assertThat(n).isGreaterThanOrEqualTo(50 * 5).isLessThan(100 * 5);
    assertThat(log)
        .anyMatch(m -> m.contains(first.toString()) && m.contains("damaged record at offset"));
  }

  @Test
  void damagedChunkInBlock_isSkippedAndReported_otherSeriesIntact() throws Exception {
    try (Tsdb db = open()) {
      Appender app = db.appender();
      for (int i = 0; i < 1000; i++) {
        for (int s = 0; s < 5; s++) {
          app.append(0, Labels.of("__name__", "c", "s", "" + s), i * 30_000L, i * (s + 1) * 0.37);
        }
        app.commit();
      }
      db.flushHead();
    }
    Block raw;
    try (Tsdb db = open()) {
      raw = db.blocks().stream().filter(b -> b.meta().resolution() == 0).findFirst().orElseThrow();
    }
    Path chunks = raw.dir().resolve("chunks").resolve("000001");
    long off = Files.size(chunks) - 40; // in the last series' value column
    flip(chunks, off);
    log.clear();
    try (Tsdb db = open()) {
      assertThat(log).anyMatch(m -> m.contains(chunks.toString()) && m.contains("offset"));
      Map<Labels, List<long[]>> all = read(db, 0, Long.MAX_VALUE, name("c"));
      assertThat(all.values().stream().filter(s -> s.size() == 1000)).hasSize(4);
      try (Querier q = db.querier(0, Long.MAX_VALUE)) {
        SeriesSet set = q.select(SelectHints.range(0, Long.MAX_VALUE), name("c"));
        while (set.next()) {
          SampleIterator it = set.at().iterator();
          while (it.next()) {}
        }
        assertThat(set.warnings()).anyMatch(w -> w.contains("damaged chunk"));
      }
    }
  }

  @Test
  void corruptIndex_quarantinesTheBlockByName_restOpens() throws Exception {
    try (Tsdb db = open()) {
      Appender app = db.appender();
      for (int i = 0; i < 1000; i++) {
        app.append(0, Labels.of("__name__", "c"), i * 30_000L, i);
        app.commit();
      }
      db.maintain(); // raw block of the first 2 hours plus rollups
    }
    Path rawDir;
    try (Tsdb db = open()) {
      rawDir =
          db.blocks().stream()
              .filter(b -> b.meta().resolution() == 0)
              .findFirst()
              .orElseThrow()
              .dir();
    }
    flip(rawDir.resolve("index"), 20);
    log.clear();
    try (Tsdb db = open()) {
      assertThat(log).anyMatch(m -> m.contains("corrupt block " + rawDir.getFileName()));
      assertThat(dir.resolve("corrupted").resolve(rawDir.getFileName())).exists();
      assertThat(db.blocks()).noneMatch(b -> b.dir().equals(rawDir));
      // The head (from the WAL checkpoint) is intact.
      List<long[]> s = read(db, 0, Long.MAX_VALUE, name("c")).values().iterator().next();
      assertThat(s.get(s.size() - 1)[0]).isEqualTo(999 * 30_000L);
      assertThat(db.metrics().snapshot().get("vigil_tsdb_blocks_quarantined_total")).isEqualTo(1.0);
    }
  }
}
