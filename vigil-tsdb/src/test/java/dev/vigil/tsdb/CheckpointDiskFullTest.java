package dev.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A head cut on a disk with room for the (small) block but not for the (large) checkpoint, on an 8
 * MiB tmpfs: maintenance fails, leaves no {@code checkpoint.N.tmp} holding space, and once space is
 * freed writes go on and a reopened store has every acknowledged sample.
 */
class CheckpointDiskFullTest {
  private static final int SERIES = 100;
  private static final long HOUR = 3_600_000;

  @TempDir Path tmp;

  @Test
  void checkpointThatDoesNotFit_leavesNoTempFile_andLosesNothing() throws Exception {
    try (Tmpfs fs = Tmpfs.mount(tmp.resolve("fs"), 8)) {
      Path store = fs.dir().resolve("store");
      Random rnd = new Random(13);
      Map<Labels, List<long[]>> expected = new java.util.HashMap<>();
      List<String> log = new ArrayList<>();
      try (Tsdb db =
          Tsdb.builder(store)
              .blockRange(Duration.ofHours(1))
              .rollups(false)
              .backgroundInterval(Duration.ZERO)
              .log(log::add)
              .open()) {
        Appender app = db.appender();
        for (int s = 0; s < SERIES; s++) {
          Labels l = Labels.of("__name__", "cp", "s", Integer.toString(s));
          List<long[]> samples = expected.computeIfAbsent(l, k -> new ArrayList<>());
          // One sample in the first hour (the block), 2,000 after it (the checkpoint).
          long t = 1_000;
          for (int k = 0; k <= 2_000; k++) {
            double v = rnd.nextDouble();
            app.append(0, l, t, v);
            samples.add(new long[] {t, Double.doubleToRawLongBits(v)});
            t = HOUR + 100_000 + k * 1_150L;
          }
        }
        app.commit();
        Path ballast = fs.dir().resolve("ballast");
        long free = Files.getFileStore(fs.dir()).getUsableSpace();
        try (OutputStream out = Files.newOutputStream(ballast)) {
          out.write(new byte[(int) (free - (256 << 10))]); // 256 KiB left: a block, no checkpoint
        }
        assertThatThrownBy(db::maintain).hasStackTraceContaining("No space left on device");
        try (Stream<Path> wal = Files.list(store.resolve("wal"))) {
          assertThat(wal.map(p -> p.getFileName().toString()))
              .as("files of the WAL after the failed checkpoint")
              .noneMatch(n -> n.endsWith(".tmp"));
        }
        Files.delete(ballast);
        Appender more = db.appender();
        for (int s = 0; s < SERIES; s++) {
          Labels l = Labels.of("__name__", "cp", "s", Integer.toString(s));
          long t = HOUR + 100_000 + 2_001 * 1_150L;
          more.append(0, l, t, s);
          expected.get(l).add(new long[] {t, Double.doubleToRawLongBits(s)});
        }
        more.commit();
      }
      try (Tsdb db = Tsdb.builder(store).backgroundInterval(Duration.ZERO).log(log::add).open()) {
        Map<Labels, List<long[]>> got = TestUtil.read(db, 0, Long.MAX_VALUE, TestUtil.name("cp"));
        assertThat(TestUtil.flat(got)).isEqualTo(TestUtil.flat(expected));
      }
    }
  }
}
