package dev.vigil.ingest.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SnappyTest {
  private static byte[] compressible(int n, long seed) {
    Random r = new Random(seed);
    StringBuilder sb = new StringBuilder();
    while (sb.length() < n) {
      sb.append("http_requests_total{job=\"api\",instance=\"10.0.0.")
          .append(r.nextInt(20))
          .append(":8080\"} ")
          .append(r.nextInt(100000))
          .append('\n');
    }
    return sb.substring(0, n).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void roundTrip_compressibleAndRandomData_isBitExact() {
    Random r = new Random(1);
    for (int n : new int[] {0, 1, 3, 4, 5, 63, 64, 65, 1000, 65_535, 65_536, 65_537, 300_000}) {
      byte[] text = compressible(n, n);
      assertThat(Snappy.decompress(Snappy.compress(text), 1 << 20)).isEqualTo(text);
      byte[] noise = new byte[n];
      r.nextBytes(noise);
      assertThat(Snappy.decompress(Snappy.compress(noise), 1 << 20)).isEqualTo(noise);
    }
  }

  @Test
  void compress_repetitiveData_shrinks() {
    byte[] text = compressible(100_000, 7);
    assertThat(Snappy.compress(text).length).isLessThan(text.length / 3);
  }

  /** The pure-Java codec's decoder on a whole block, preamble included. */
  static byte[] pureDecompress(byte[] in, int maxLength) {
    int len = Snappy.uncompressedLength(in, maxLength);
    int pos = 0;
    while ((in[pos] & 0x80) != 0) {
      pos++;
    }
    return PureSnappy.decompress(in, pos + 1, len);
  }

  @Test
  void codec_isSnappyJavasNativeLibrary_onThisPlatform() {
    assertThat(Snappy.codec()).matches("snappy-java 1\\.1\\.10(\\.\\d+)* \\(native\\)");
  }

  @Test
  void pureJavaDecoder_readsTheReferenceImplementationsOutput() throws Exception {
    for (int n : new int[] {0, 1, 100, 70_000, 500_000}) {
      byte[] text = compressible(n, n);
      byte[] packed = org.xerial.snappy.Snappy.compress(text);
      assertThat(pureDecompress(packed, 1 << 20)).isEqualTo(text);
      assertThat(Snappy.decompress(packed, 1 << 20)).isEqualTo(text);
    }
  }

  @Test
  void pureJavaEncoder_isReadByTheReferenceImplementation_andBothCodecsReadEachOther()
      throws Exception {
    Random r = new Random(5);
    for (int n : new int[] {0, 1, 100, 70_000, 500_000}) {
      byte[] text = compressible(n, n + 1);
      byte[] pure = PureSnappy.compress(text, 0, text.length);
      assertThat(org.xerial.snappy.Snappy.uncompress(pure)).isEqualTo(text);
      assertThat(Snappy.decompress(pure, 1 << 20)).isEqualTo(text);
      assertThat(pureDecompress(Snappy.compress(text), 1 << 20)).isEqualTo(text);
      byte[] noise = new byte[n];
      r.nextBytes(noise);
      assertThat(pureDecompress(Snappy.compress(noise), 1 << 20)).isEqualTo(noise);
    }
  }

  @Test
  void compress_aSliceOfTheInput_compressesOnlyThatSlice() {
    byte[] text = compressible(10_000, 9);
    byte[] slice = java.util.Arrays.copyOfRange(text, 100, 7_100);
    assertThat(Snappy.decompress(Snappy.compress(text, 100, 7_000), 1 << 20)).isEqualTo(slice);
    assertThatThrownBy(() -> Snappy.compress(text, 9_000, 2_000))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void decompress_overlappingCopy_repeatsThePattern() {
    // "ab" then a copy of 10 bytes from offset 2: "abababababab".
    byte[] block = {12, 1 << 2, 'a', 'b', (byte) (2 | (9 << 2)), 2, 0};
    assertThat(new String(Snappy.decompress(block, 100), StandardCharsets.US_ASCII))
        .isEqualTo("abababababab");
  }

  @Test
  void decompress_copyBeforeStart_isRejectedWithOffset() {
    byte[] block = {8, 0, 'a', (byte) (2 | (3 << 2)), 5, 0};
    assertThatThrownBy(() -> Snappy.decompress(block, 100))
        .isInstanceOf(SnappyException.class)
        .hasMessageContaining("copy offset 5 outside the 1 bytes written");
  }

  @Test
  void decompress_truncatedBlock_isRejected() {
    byte[] packed = Snappy.compress(compressible(5000, 3));
    byte[] cut = java.util.Arrays.copyOf(packed, packed.length / 2);
    assertThatThrownBy(() -> Snappy.decompress(cut, 1 << 20))
        .isInstanceOf(SnappyException.class)
        .hasMessageContaining("corrupt snappy block");
  }

  @Test
  void decompress_declaredSizeOverLimit_isRejectedBeforeAllocating() {
    byte[] bomb = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07};
    assertThatThrownBy(() -> Snappy.decompress(bomb, 64 << 20))
        .isInstanceOf(SnappyException.class)
        .hasMessageContaining("over the limit of 67108864");
  }

  @Test
  void decompress_notSnappyAtAll_isRejected() {
    byte[] text = "this is not snappy".getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> Snappy.decompress(text, 1 << 20)).isInstanceOf(SnappyException.class);
  }

  @Test
  void preambleDeclaringMoreThanTheBlockCanHold_isCorrupt_beforeAllocatingIt() {
    // varint 60 MiB, then one 2-byte literal: at most 44 bytes could come out of 2 bytes.
    byte[] block = {(byte) 0x80, (byte) 0x80, (byte) 0x80, 0x1e, 0, 'a'};
    assertThatThrownBy(() -> Snappy.decompress(block, 64 << 20))
        .isInstanceOf(SnappyException.class)
        .hasMessageContaining("declares 62914560 uncompressed bytes");
    var threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().threadId();
    long before = threads.getThreadAllocatedBytes(id);
    try {
      Snappy.decompress(block, 64 << 20);
    } catch (SnappyException expected) {
      // measured below
    }
    assertThat(threads.getThreadAllocatedBytes(id) - before).isLessThan(1 << 20);
  }

  @Test
  void mostCompressibleInput_stillDecompresses() {
    byte[] zeros = new byte[8 << 20];
    assertThat(Snappy.decompress(Snappy.compress(zeros), 8 << 20)).isEqualTo(zeros);
  }
}
