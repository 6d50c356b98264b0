package dev.vigil.tsdb.chunkenc;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the chunk decoders (docs/format/chunks.md): a head XOR chunk, a block timestamp column and
 * a block value column. Any bytes either decode (and what they decode to encodes and decodes back
 * to the same timestamps and value bits) or fail with an {@link IllegalStateException} whose
 * message names the problem; nothing else is thrown, nothing hangs, and no length field allocates
 * beyond the input.
 *
 * <p>{@code scripts/fuzz ChunkFuzzTest} fuzzes each target for its annotated duration; otherwise
 * the saved corpora under {@code ChunkFuzzTestInputs/<method>} run as regression tests, and the
 * {@code seededMutations_*} tests mutate seeds written by the encoders in every build.
 */
class ChunkFuzzTest {
  /** Upper bound on value-column lengths tried (a real chunk holds at most 4096 samples). */
  private static final int MAX_N = 5000;

  // No JUnit @Timeout on fuzz methods: in fuzzing mode it would bound the whole campaign.
  @FuzzTest(maxDuration = "5m")
  void xorChunk(byte[] data) {
    checkXorChunk(data);
  }

  @FuzzTest(maxDuration = "5m")
  void timestampColumn(byte[] data) {
    checkTimestampColumn(data);
  }

  /** Input: the sample count n as 2 bytes (taken modulo {@link #MAX_N}, plus 1), then a column. */
  @FuzzTest(maxDuration = "5m")
  void valueColumn(byte[] data) {
    checkValueColumn(data);
  }

  static void checkXorChunk(byte[] data) {
    List<long[]> samples = new ArrayList<>();
    try {
      ChunkIterator it = XorChunk.iterator(data, 0, data.length);
      while (it.next()) {
        samples.add(new long[] {it.timestamp(), Double.doubleToRawLongBits(it.value())});
      }
    } catch (IllegalStateException e) {
      assertClear(e);
      return;
    }
    assertThat(samples.size()).isEqualTo(XorChunk.sampleCount(data, 0));
    XorChunk c = new XorChunk();
    for (long[] s : samples) {
      c.append(s[0], Double.longBitsToDouble(s[1]));
    }
    ChunkIterator again = XorChunk.iterator(c.bytes(), 0, c.byteLength());
    for (long[] s : samples) {
      assertThat(again.next()).isTrue();
      assertThat(again.timestamp()).isEqualTo(s[0]);
      assertThat(Double.doubleToRawLongBits(again.value())).isEqualTo(s[1]);
    }
    assertThat(again.next()).isFalse();
  }

  static void checkTimestampColumn(byte[] data) {
    long[] ts;
    try {
      ts = ColdCodec.decodeTimestamps(data, 0, data.length);
    } catch (IllegalStateException e) {
      assertClear(e);
      return;
    }
    // A column decodes to at most 16 samples per 7 bits (a group of equal deltas) plus 2.
    assertThat((long) ts.length).isLessThanOrEqualTo(2 + 16L * data.length * 8 / 7 + 16);
    byte[] re = ColdCodec.encodeTimestamps(ts, ts.length);
    assertThat(ColdCodec.decodeTimestamps(re, 0, re.length)).isEqualTo(ts);
  }

  static void checkValueColumn(byte[] input) {
    if (input.length < 2) {
      return;
    }
    int n = 1 + (((input[0] & 0xff) << 8) | (input[1] & 0xff)) % MAX_N;
    byte[] data = Arrays.copyOfRange(input, 2, input.length);
    double[] vs;
    try {
      vs = ColdCodec.decodeValues(data, 0, data.length, n);
    } catch (IllegalStateException e) {
      assertClear(e);
      return;
    }
    assertThat(vs).hasSize(n);
    byte[] re = ColdCodec.encodeValues(vs, n);
    double[] back = ColdCodec.decodeValues(re, 0, re.length, n);
    for (int i = 0; i < n; i++) {
      assertThat(Double.doubleToRawLongBits(back[i]))
          .as("value %d", i)
          .isEqualTo(Double.doubleToRawLongBits(vs[i]));
    }
  }

  private static void assertClear(IllegalStateException e) {
    assertThat(e.getMessage()).as("message of %s", e).isNotBlank();
  }

  // ---- seeds: small valid encodings written by the project's own encoders ----

  static byte[] xorSeed(int variant) {
    XorChunk c = new XorChunk();
    SplittableRandom r = new SplittableRandom(variant);
    long t = 1_700_000_000_000L;
    double v = variant * 1.5;
    for (int i = 0; i < 3 + variant * 5; i++) {
      t += 15_000 + (variant % 2 == 0 ? 0 : r.nextInt(-50, 50));
      v = variant % 3 == 0 ? v : v + r.nextDouble();
      c.append(t, v);
    }
    return Arrays.copyOf(c.bytes(), c.byteLength());
  }

  static long[] times(int variant) {
    SplittableRandom r = new SplittableRandom(variant);
    long[] ts = new long[2 + variant * 7];
    long t = 1_700_000_000_000L;
    for (int i = 0; i < ts.length; i++) {
      t += variant % 2 == 0 ? 30_000 : 30_000 + r.nextInt(-200, 200);
      ts[i] = t;
    }
    return ts;
  }

  /** A valueColumn input: n as 2 bytes, then the encoded column. */
  static byte[] valueInput(int variant) {
    double[] vs = values(variant);
    byte[] col = ColdCodec.encodeValues(vs, vs.length);
    byte[] out = new byte[col.length + 2];
    out[0] = (byte) ((vs.length - 1) >>> 8);
    out[1] = (byte) (vs.length - 1);
    System.arraycopy(col, 0, out, 2, col.length);
    return out;
  }

  static double[] values(int variant) {
    SplittableRandom r = new SplittableRandom(variant);
    double[] vs = new double[3 + variant * 6];
    for (int i = 0; i < vs.length; i++) {
      vs[i] =
          switch (variant % 3) {
            case 0 -> 42; // CONST
            case 1 -> i * 12.5 + 0.25; // SCALED
            default -> r.nextDouble() * 1e6; // XOR
          };
    }
    return vs;
  }

  static List<byte[]> corpus(String method) throws Exception {
    List<byte[]> out = new ArrayList<>();
    Path dir = Path.of(ChunkFuzzTest.class.getResource("ChunkFuzzTestInputs/" + method).toURI());
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.sorted().toList()) {
        out.add(Files.readAllBytes(p));
      }
    }
    return out;
  }

  private static void mutate(List<byte[]> seeds, long seed, int rounds, Consumer<byte[]> check) {
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = 0; i < rounds; i++) {
      byte[] b = dev.vigil.tsdb.Mutations.mutate(seeds.get(rnd.nextInt(seeds.size())), rnd);
      try {
        check.accept(b);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("input " + java.util.HexFormat.of().formatHex(b), e);
      }
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void seededMutations_xorChunk_decodesOrFailsClearly() throws Exception {
    List<byte[]> seeds = corpus("xorChunk");
    for (int v = 0; v < 6; v++) {
      seeds.add(xorSeed(v));
    }
    mutate(seeds, 20261125, 30_000, ChunkFuzzTest::checkXorChunk);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void seededMutations_timestampColumn_decodesOrFailsClearly() throws Exception {
    List<byte[]> seeds = corpus("timestampColumn");
    for (int v = 0; v < 6; v++) {
      long[] ts = times(v);
      seeds.add(ColdCodec.encodeTimestamps(ts, ts.length));
    }
    mutate(seeds, 20261126, 30_000, ChunkFuzzTest::checkTimestampColumn);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void seededMutations_valueColumn_decodesOrFailsClearly() throws Exception {
    List<byte[]> seeds = corpus("valueColumn");
    for (int v = 0; v < 6; v++) {
      seeds.add(valueInput(v));
    }
    mutate(seeds, 20261127, 30_000, ChunkFuzzTest::checkValueColumn);
  }
}
