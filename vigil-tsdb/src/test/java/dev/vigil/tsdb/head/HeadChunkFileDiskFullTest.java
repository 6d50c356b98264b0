package dev.vigil.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.StorageWriteException;
import dev.vigil.tsdb.Tmpfs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The head chunk file on a file system that fills up (a 2 MiB tmpfs): every chunk written stays
 * readable, the ones the disk refused are kept in memory, and the failure is reported as "no space
 * left on device" once rather than as a SIGBUS from a store into a mapped hole.
 */
class HeadChunkFileDiskFullTest {
  @TempDir Path tmp;

  @Test
  void chunksBeyondAFullDisk_areKeptInMemory_andEveryChunkReadsBack() throws Exception {
    try (Tmpfs fs = Tmpfs.mount(tmp.resolve("fs"), 2)) {
      List<StorageWriteException> failures = new ArrayList<>();
      List<Boolean> firsts = new ArrayList<>();
      Random rnd = new Random(13);
      List<byte[]> chunks = new ArrayList<>();
      List<Long> refs = new ArrayList<>();
      try (HeadChunkFile f = new HeadChunkFile(fs.dir().resolve("chunks_head"))) {
        f.onWriteFailure(
            (e, first) -> {
              failures.add(e);
              firsts.add(first);
            });
        for (int i = 0; i < 120; i++) { // 120 × 30,000 bytes: well past the 2 MiB disk
          byte[] c = new byte[30_000];
          rnd.nextBytes(c);
          chunks.add(c);
          refs.add(f.write(c, c.length, i));
        }
        for (int i = 0; i < chunks.size(); i++) {
          assertThat(HeadChunkFile.read(f.segment(refs.get(i)), refs.get(i)))
              .as("chunk %d", i)
              .isEqualTo(chunks.get(i));
        }
        assertThat(f.heapBytes()).isPositive();
      }
      assertThat(failures).isNotEmpty();
      assertThat(failures.get(0).noSpace()).isTrue();
      assertThat(failures.get(0).getMessage())
          .startsWith("head chunk file: write of 30000 bytes to ")
          .contains("no space left on device");
      assertThat(firsts.get(0)).isTrue();
    }
  }
}
