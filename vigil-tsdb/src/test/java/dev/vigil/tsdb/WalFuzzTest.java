package dev.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vigil.model.Appender;
import dev.vigil.model.Exemplar;
import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.tsdb.block.BlockWriter;
import dev.vigil.tsdb.head.Head;
import dev.vigil.tsdb.wal.RecordEncoder;
import dev.vigil.tsdb.wal.WalReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes WAL replay (docs/format/wal.md) over a last segment holding arbitrary bytes: replay
 * finishes (no hang, no allocation beyond the file), every problem is a warning naming the file and
 * offset, a record's payload fails only with the documented {@link IllegalStateException} naming
 * the problem, and a torn tail is cut so that a second replay reads the same records without a
 * warning.
 *
 * <p>The first input byte chooses whether the harness recomputes every complete frame's CRC (odd)
 * so payloads reach the decoder, or leaves the bytes as they are (even) to fuzz the framing. {@code
 * scripts/fuzz WalFuzzTest} fuzzes for the annotated duration; otherwise the saved corpus in {@code
 * WalFuzzTestInputs/replay} runs as a regression test.
 */
class WalFuzzTest {
  // No JUnit @Timeout on the fuzz method: in fuzzing mode it would bound the whole campaign.
  @FuzzTest(maxDuration = "5m")
  void replay(byte[] data) throws IOException {
    Path dir = Files.createTempDirectory("walfuzz");
    try {
      check(dir, data);
    } finally {
      BlockWriter.deleteTree(dir);
    }
  }

  /** Replays {@code input} (mode byte, then the segment) under {@code dir}, asserting the above. */
  static void check(Path dir, byte[] input) throws IOException {
    if (input.length == 0) {
      return;
    }
    byte[] seg = Arrays.copyOfRange(input, 1, input.length);
    if ((input[0] & 1) == 1) {
      reframe(seg);
    }
    Path wal = dir.resolve("wal");
    Files.createDirectories(wal);
    Path file = wal.resolve("00000001");
    Files.write(file, seg);
    List<String> warnings = new ArrayList<>();
    long records = replayOnce(dir.resolve("head1"), wal, warnings);
    for (String w : warnings) {
      assertThat(w).as("warning").contains(file.toString()).contains("offset");
    }
    long kept = Files.size(file);
    assertThat(kept).isLessThanOrEqualTo(seg.length);
    List<String> again = new ArrayList<>();
    assertThat(replayOnce(dir.resolve("head2"), wal, again)).isEqualTo(records);
    assertThat(again).noneMatch(w -> w.contains("torn"));
    assertThat(Files.size(file)).isEqualTo(kept);
  }

  private static long replayOnce(Path chunks, Path wal, List<String> warnings) throws IOException {
    Head head = new Head(chunks, 0);
    try {
      WalReplay r = new WalReplay(head, new ExemplarStore(64));
      List<RuntimeException> unexpected = new ArrayList<>();
      long n =
          WalReader.replay(
              wal,
              (type, b, off, len) -> {
                try {
                  r.record(type, b, off, len);
                } catch (IllegalStateException e) {
                  assertThat(e.getMessage()).as("message of %s", e).isNotBlank();
                  throw e;
                } catch (RuntimeException e) {
                  unexpected.add(e);
                  throw e;
                }
              },
              warnings::add);
      if (!unexpected.isEmpty()) {
        throw new AssertionError("undocumented exception from a record", unexpected.get(0));
      }
      return n;
    } finally {
      head.close();
    }
  }

  /** Recomputes the CRC of every complete frame in place. */
  static void reframe(byte[] b) {
    CRC32C crc = new CRC32C();
    int pos = 0;
    while (b.length - pos >= RecordEncoder.HEADER) {
      int len =
          ((b[pos + 1] & 0xff) << 24)
              | ((b[pos + 2] & 0xff) << 16)
              | ((b[pos + 3] & 0xff) << 8)
              | (b[pos + 4] & 0xff);
      if (len < 0 || len > b.length - pos - RecordEncoder.HEADER) {
        return;
      }
      crc.reset();
      crc.update(b, pos + RecordEncoder.HEADER, len);
      int c = (int) crc.getValue();
      b[pos + 5] = (byte) (c >>> 24);
      b[pos + 6] = (byte) (c >>> 16);
      b[pos + 7] = (byte) (c >>> 8);
      b[pos + 8] = (byte) c;
      pos += RecordEncoder.HEADER + len;
    }
  }

  /** A valid WAL segment written by the store: series, samples, exemplars and a deletion. */
  static byte[] seedSegment(Path dir, int variant) throws IOException {
    try (Tsdb db = Tsdb.builder(dir).backgroundInterval(Duration.ZERO).log(m -> {}).open()) {
      Appender app = db.appender();
      for (int i = 0; i < 2 + variant; i++) {
        for (int s = 0; s <= variant; s++) {
          Labels l = Labels.of("__name__", "up", "job", "j" + s);
          long ref = app.append(0, l, 1000L * i, i * 0.5 + s);
          if (variant > 0 && i == 1) {
            app.appendExemplar(ref, l, new Exemplar(Labels.of("trace_id", "t" + s), 1.5, 1000));
          }
        }
        app.commit();
      }
      if (variant > 1) {
        db.delete(0, 1000, List.of(LabelMatcher.equal("job", "j0")));
      }
    }
    Path seg;
    try (Stream<Path> s = Files.list(dir.resolve("wal"))) {
      seg =
          s.filter(p -> p.getFileName().toString().matches("\\d{8}"))
              .filter(p -> p.toFile().length() > 0)
              .max(Comparator.naturalOrder())
              .orElseThrow();
    }
    return Files.readAllBytes(seg);
  }

  @TempDir Path tmp;

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void seededMutations_replayWarnsAndCutsButNeverThrows() throws Exception {
    List<byte[]> seeds = new ArrayList<>();
    Path dir = Path.of(WalFuzzTest.class.getResource("WalFuzzTestInputs/replay").toURI());
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.sorted().toList()) {
        seeds.add(Files.readAllBytes(p));
      }
    }
    for (int v = 0; v < 3; v++) {
      byte[] seg = seedSegment(tmp.resolve("seed" + v), v);
      byte[] in = new byte[seg.length + 1];
      in[0] = 1;
      System.arraycopy(seg, 0, in, 1, seg.length);
      seeds.add(in);
    }
    SplittableRandom rnd = new SplittableRandom(20261125);
    for (int i = 0; i < 600; i++) {
      byte[] b = Mutations.mutate(seeds.get(rnd.nextInt(seeds.size())), rnd);
      Path d = tmp.resolve("run" + i);
      try {
        check(d, b);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("input " + HexFormat.of().formatHex(b), e);
      }
      BlockWriter.deleteTree(d);
    }
  }
}
