package dev.vigil.tsdb;

import static dev.vigil.tsdb.TestUtil.flat;
import static dev.vigil.tsdb.TestUtil.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.Appender;
import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.model.Resolution;
import dev.vigil.model.SelectHints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Tsdb#snapshot}: a copy that opens as a store of its own, rollups included. */
class SnapshotTest {
  @TempDir Path dir;

  private static Tsdb open(Path d) throws Exception {
    return Tsdb.builder(d).backgroundInterval(Duration.ZERO).log(m -> {}).open();
  }

  @Test
  void snapshotOfTheHead_opensWithTheSameSamples_andItsRollups() throws Exception {
    Path copy = dir.resolve("copy");
    Labels l = Labels.of("__name__", "m", "i", "1");
    SelectHints raw = SelectHints.range(0, 6 * 3600_000L - 1);
    SelectHints coarse =
        new SelectHints(0, 6 * 3600_000L - 1, 0, "max_over_time", 0, Resolution.FIVE_MINUTES);
    Object before;
    try (Tsdb db = open(dir.resolve("db"))) {
      Appender app = db.appender();
      long ref = 0;
      for (int i = 0; i < 720; i++) { // 6 h at 30 s, all in the head
        ref = app.append(ref, l, i * 30_000L, 1000 + i);
        app.commit();
      }
      before = flat(read(db, raw, LabelMatcher.equal("i", "1")));
      db.snapshot(copy);
      assertThatThrownBy(() -> db.snapshot(copy)).hasMessageContaining("is not empty");
    }
    // No maintenance runs on the copy: its rollups come from the snapshot itself.
    try (Tsdb db = open(copy)) {
      assertThat(flat(read(db, raw, LabelMatcher.equal("i", "1")))).isEqualTo(before);
      List<long[]> c = read(db, coarse, LabelMatcher.equal("i", "1")).get(l);
      assertThat(c).hasSize(72); // 6 h of 5 m windows, not the 720 raw samples
      assertThat(Double.longBitsToDouble(c.get(0)[1])).isEqualTo(1000 + 9);
    }
    try (var files = Files.list(copy)) {
      assertThat(files.count()).as("raw block plus 5 m and 1 h rollups").isGreaterThanOrEqualTo(3);
    }
  }
}
