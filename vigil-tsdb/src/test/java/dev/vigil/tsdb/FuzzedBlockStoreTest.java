package dev.vigil.tsdb;

import static dev.vigil.tsdb.TestUtil.flat;
import static dev.vigil.tsdb.TestUtil.name;
import static dev.vigil.tsdb.TestUtil.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Labels;
import dev.vigil.tsdb.block.Block;
import dev.vigil.tsdb.block.BlockMeta;
import dev.vigil.tsdb.block.BlockWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store holding a good block and a block whose index or meta.json was fuzzed: it opens, the
 * fuzzed block is either quarantined by name or opens, and the good block's data stays fully
 * queryable.
 */
class FuzzedBlockStoreTest {
  private static final long HOUR = 3_600_000;
  @TempDir Path tmp;

  /** Writes a block of {@code metric} with 3 series × 240 samples in [from, from + 2h). */
  private static Map<Labels, List<Long>> writeBlock(Path store, String metric, long from)
      throws Exception {
    BlockWriter w = new BlockWriter(store, from, from + 2 * HOUR, 1, List.of(), 0, from + 1);
    Map<Labels, List<Long>> want = new LinkedHashMap<>();
    for (int s = 0; s < 3; s++) {
      long[] ts = new long[240];
      double[] vs = new double[240];
      List<Long> flat = new ArrayList<>();
      for (int i = 0; i < ts.length; i++) {
        ts[i] = from + 30_000L * i;
        vs[i] = s == 0 ? i : Math.sin(i) * s;
        flat.add(ts[i]);
        flat.add(Double.doubleToRawLongBits(vs[i]));
      }
      Labels l = Labels.of("__name__", metric, "instance", "i" + s);
      w.add(l, ts, vs, ts.length);
      want.put(l, flat);
    }
    w.finish();
    return want;
  }

  private static Path blockDir(Path store, long minTime) throws Exception {
    try (Stream<Path> s = Files.list(store)) {
      for (Path p : s.filter(Files::isDirectory).toList()) {
        if (BlockMeta.read(p.resolve("meta.json")).minTime() == minTime) {
          return p;
        }
      }
    }
    throw new AssertionError("no block at " + minTime);
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void goodBlockStaysFullyQueryable_nextToAFuzzedOne() throws Exception {
    Path pristine = Files.createDirectories(tmp.resolve("pristine"));
    Map<Labels, List<Long>> good = writeBlock(pristine, "good", 0);
    writeBlock(pristine, "other", 2 * HOUR);
    String fuzzedId = blockDir(pristine, 2 * HOUR).getFileName().toString();
    String goodId = blockDir(pristine, 0).getFileName().toString();

    SplittableRandom rnd = new SplittableRandom(20261125);
    int quarantined = 0;
    int opened = 0;
    for (int i = 0; i < 40; i++) {
      Path store = tmp.resolve("run" + i);
      copyTree(pristine, store);
      boolean meta = i % 4 == 3;
      Path file = store.resolve(fuzzedId).resolve(meta ? "meta.json" : "index");
      byte[] b = Mutations.mutate(Files.readAllBytes(file), rnd);
      if (!meta && b.length > 4) { // a fresh CRC, so the damage reaches the parser
        CRC32 crc = new CRC32();
        crc.update(b, 0, b.length - 4);
        int c = (int) crc.getValue();
        for (int k = 0; k < 4; k++) {
          b[b.length - 4 + k] = (byte) (c >>> (24 - 8 * k));
        }
      }
      Files.write(file, b);
      List<String> log = new ArrayList<>();
      try (Tsdb db = Tsdb.builder(store).backgroundInterval(Duration.ZERO).log(log::add).open()) {
        assertThat(flat(read(db, Long.MIN_VALUE, Long.MAX_VALUE, name("good"))))
            .as("good data with %s", HexFormat.of().formatHex(b))
            .isEqualTo(good);
        assertThat(db.blocks()).anyMatch(x -> x.dir().getFileName().toString().equals(goodId));
        boolean in = db.blocks().stream().map(Block::dir).anyMatch(d -> d.endsWith(fuzzedId));
        if (in) {
          opened++;
        } else {
          quarantined++;
          assertThat(log).anyMatch(m -> m.startsWith("corrupt block " + fuzzedId + " moved to "));
          assertThat(store.resolve("corrupted").resolve(fuzzedId)).isDirectory();
        }
      }
    }
    assertThat(quarantined).as("quarantined").isPositive();
    assertThat(quarantined + opened).isEqualTo(40);
  }
}
