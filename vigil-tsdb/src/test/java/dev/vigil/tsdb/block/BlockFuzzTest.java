package dev.vigil.tsdb.block;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vigil.model.Labels;
import dev.vigil.model.SampleIterator;
import dev.vigil.tsdb.Mutations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes opening a block (docs/format/block.md, index.md) whose {@code index} or {@code meta.json}
 * holds arbitrary bytes: {@link Block#open} either fails with an {@link IOException} naming the
 * file and the problem (no bare exception class for a message), so the store can quarantine the
 * block, or opens a block whose every series can be selected and read to the end, a damaged chunk
 * failing only with an {@link IllegalStateException} naming the problem.
 *
 * <p>For the index target the first input byte chooses whether the harness recomputes the file's
 * CRC (odd), so the bytes reach the parser, or leaves them as they are (even). {@code scripts/fuzz
 * BlockFuzzTest} fuzzes for the annotated duration; otherwise the saved corpora under {@code
 * BlockFuzzTestInputs/<method>} run as regression tests.
 */
class BlockFuzzTest {
  private static Path template;

  // No JUnit @Timeout on fuzz methods: in fuzzing mode it would bound the whole campaign.
  @FuzzTest(maxDuration = "5m")
  void index(byte[] data) throws IOException {
    Path dir = Files.createTempDirectory("blockfuzz");
    try {
      checkIndex(dir, data);
    } finally {
      BlockWriter.deleteTree(dir);
    }
  }

  @FuzzTest(maxDuration = "5m")
  void meta(byte[] data) throws IOException {
    Path dir = Files.createTempDirectory("blockfuzz");
    try {
      checkMeta(dir, data);
    } finally {
      BlockWriter.deleteTree(dir);
    }
  }

  static void checkIndex(Path dir, byte[] input) throws IOException {
    if (input.length == 0) {
      return;
    }
    byte[] index = Arrays.copyOfRange(input, 1, input.length);
    if ((input[0] & 1) == 1) {
      fixCrc(index);
    }
    Path block = copyTemplate(dir);
    Files.write(block.resolve("index"), index);
    open(block, block.resolve("index"));
  }

  static void checkMeta(Path dir, byte[] meta) throws IOException {
    Path block = copyTemplate(dir);
    Files.write(block.resolve("meta.json"), meta);
    open(block, block.resolve("meta.json"));
  }

  /** Opens {@code block} (whose {@code damaged} file was replaced) and reads all of it. */
  private static void open(Path block, Path damaged) {
    Block b;
    try {
      b = Block.open(block);
    } catch (IOException e) {
      assertThat(e.getMessage()).as("message of %s", e).contains(damaged.toString());
      assertThat(e.getMessage()).as("message of %s", e).doesNotContainPattern("[A-Za-z]Exception");
      return;
    }
    assertThat(b.meta().maxTime()).isGreaterThanOrEqualTo(b.meta().minTime());
    int[] ids = b.select(List.of());
    for (int id : ids) {
      assertThat(id).isBetween(0, b.numSeries() - 1);
    }
    for (String name : b.labelNames(List.of())) {
      assertThat(b.labelValues(name, List.of())).isNotNull();
    }
    for (int id = 0; id < b.numSeries(); id++) {
      Labels l = b.labels(id);
      assertThat(l.isEmpty()).isFalse();
      List<String> warnings = new ArrayList<>();
      try {
        SampleIterator it = b.iterator(id, Long.MIN_VALUE, Long.MAX_VALUE, warnings);
        while (it.next()) {
          it.timestamp();
        }
      } catch (IllegalStateException e) {
        assertThat(e.getMessage()).as("message of %s", e).isNotBlank();
      }
    }
  }

  private static void fixCrc(byte[] index) {
    if (index.length < 4) {
      return;
    }
    CRC32 crc = new CRC32();
    crc.update(index, 0, index.length - 4);
    int c = (int) crc.getValue();
    for (int i = 0; i < 4; i++) {
      index[index.length - 4 + i] = (byte) (c >>> (24 - 8 * i));
    }
  }

  /** A small valid block written once by {@link BlockWriter}: 3 series, 2 sharing timestamps. */
  static synchronized Path template() throws IOException {
    if (template == null) {
      Path parent = Files.createTempDirectory("blockfuzz-template");
      BlockWriter w = new BlockWriter(parent, 0, 7_200_000, 1, List.of(), 0, 1_700_000_000_000L);
      long[] ts = new long[20];
      double[] vs = new double[20];
      for (int i = 0; i < ts.length; i++) {
        ts[i] = 15_000L * i;
        vs[i] = i * 2;
      }
      long[] jitter = ts.clone();
      jitter[19] = 300_001;
      w.add(Labels.of("__name__", "rate", "job", "a", "le", "0.5"), jitter, vs, 20);
      w.add(Labels.of("__name__", "up", "job", "a"), ts, vs, ts.length);
      for (int i = 0; i < ts.length; i++) {
        vs[i] = i * 0.1 + Math.sqrt(i);
      }
      w.add(Labels.of("__name__", "up", "job", "b"), ts, vs, ts.length);
      BlockMeta m = w.finish();
      template = parent.resolve(m.id());
      parent.toFile().deleteOnExit();
    }
    return template;
  }

  static Path copyTemplate(Path dir) throws IOException {
    Path src = template();
    Path to = dir.resolve(src.getFileName());
    try (Stream<Path> s = Files.walk(src)) {
      for (Path p : s.toList()) {
        Files.copy(p, to.resolve(src.relativize(p).toString()));
      }
    }
    return to;
  }

  private static List<byte[]> corpus(String method) throws Exception {
    List<byte[]> out = new ArrayList<>();
    Path dir = Path.of(BlockFuzzTest.class.getResource("BlockFuzzTestInputs/" + method).toURI());
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.sorted().toList()) {
        out.add(Files.readAllBytes(p));
      }
    }
    return out;
  }

  @FunctionalInterface
  interface Check {
    void run(Path dir, byte[] input) throws IOException;
  }

  private void mutate(List<byte[]> seeds, long seed, int rounds, Check check) throws IOException {
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = 0; i < rounds; i++) {
      byte[] b = Mutations.mutate(seeds.get(rnd.nextInt(seeds.size())), rnd);
      Path d = Files.createDirectories(tmp.resolve("run" + i));
      try {
        check.run(d, b);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("input " + HexFormat.of().formatHex(b), e);
      }
      BlockWriter.deleteTree(d);
    }
  }

  @TempDir Path tmp;

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void seededMutations_index_opensOrFailsByName() throws Exception {
    List<byte[]> seeds = corpus("index");
    byte[] index = Files.readAllBytes(template().resolve("index"));
    byte[] in = new byte[index.length + 1];
    in[0] = 1;
    System.arraycopy(index, 0, in, 1, index.length);
    seeds.add(in);
    mutate(seeds, 20261125, 500, BlockFuzzTest::checkIndex);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void seededMutations_meta_opensOrFailsByName() throws Exception {
    List<byte[]> seeds = corpus("meta");
    seeds.add(Files.readAllBytes(template().resolve("meta.json")));
    mutate(seeds, 20261126, 150, BlockFuzzTest::checkMeta);
  }
}
