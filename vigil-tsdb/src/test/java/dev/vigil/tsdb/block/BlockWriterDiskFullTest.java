package dev.vigil.tsdb.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.Labels;
import dev.vigil.tsdb.Tmpfs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A block that does not fit on the disk (its chunks fit on a 2 MiB tmpfs, its index does not):
 * {@code finish()} fails and leaves no partial block behind, so failed compactions on a full disk
 * do not pile up directories that keep the disk full after space was freed.
 */
class BlockWriterDiskFullTest {
  @TempDir Path tmp;

  @Test
  void finishOnAFullDisk_failsAndRemovesThePartialBlock() throws Exception {
    try (Tmpfs fs = Tmpfs.mount(tmp.resolve("fs"), 2)) {
      Path dir = Files.createDirectories(fs.dir().resolve("store"));
      BlockWriter w = new BlockWriter(dir, 0, 7_200_000, 1, List.of(), 0, 1_000);
      // Label values that do not compress (the index is deflated): 300 random characters each.
      SplittableRandom rnd = new SplittableRandom(20261208);
      String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
      for (int i = 0; i < 20_000; i++) { // one sample each: small chunks, a large index
        StringBuilder pad = new StringBuilder();
        for (int k = 0; k < 300; k++) {
          pad.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        w.add(
            Labels.of("__name__", "wide", "id", String.format("%06d", i) + pad),
            new long[] {1_000},
            new double[] {i},
            1);
      }
      assertThatThrownBy(w::finish)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("No space left on device");
      try (Stream<Path> left = Files.list(dir)) {
        assertThat(left).as("what the failed block left in %s", dir).isEmpty();
      }
    }
  }
}
