package dev.vigil.ingest.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vigil.ingest.FuzzSupport;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@link Snappy#decompress}: any input either decompresses (to at most the limit, and
 * compressing the result decompresses back to it) or fails with a {@link SnappyException} naming
 * the problem and the compressed offset; nothing else is thrown and nothing allocates past the
 * limit. Every input is also compressed and must decompress to itself. snappy-java (native) and the
 * pure-Java fallback codec must agree on every input.
 *
 * <p>{@code scripts/fuzz SnappyFuzzTest} fuzzes for the annotated duration; otherwise the saved
 * corpus in {@code SnappyFuzzTestInputs/decompress} runs as a regression test.
 */
class SnappyFuzzTest {
  static final int LIMIT = 1 << 16;

  // No JUnit @Timeout here: in fuzzing mode it would bound the whole campaign, not one input.
  @FuzzTest(maxDuration = "5m")
  void decompress(byte[] data) {
    check(data);
  }

  static void check(byte[] data) {
    byte[] out;
    try {
      out = Snappy.decompress(data, LIMIT);
    } catch (SnappyException e) {
      assertThat(e.getClass()).isEqualTo(SnappyException.class);
      assertThat(e.getMessage()).contains("snappy block").contains("at compressed byte");
      assertThat(e.offset()).isBetween(0, data.length);
      out = null;
    }
    // snappy-java's native decoder reads every block Vigil's decoder accepts the same way (it is
    // more lenient: it also accepts some corrupt blocks, see native-accepts-overlong-literal).
    if (out != null) {
      try {
        assertThat(org.xerial.snappy.Snappy.uncompress(data)).isEqualTo(out);
      } catch (java.io.IOException e) {
        throw new AssertionError("snappy-java refused a block Vigil decoded", e);
      }
    }
    if (out != null) {
      assertThat(out.length).isLessThanOrEqualTo(LIMIT);
      assertThat(SnappyTest.pureDecompress(PureSnappy.compress(out, 0, out.length), LIMIT))
          .isEqualTo(out);
      assertThat(Snappy.decompress(Snappy.compress(out), LIMIT)).isEqualTo(out);
    }
    assertThat(Snappy.decompress(Snappy.compress(data), Math.max(1, data.length))).isEqualTo(data);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void seededMutations_neverThrowAnythingButSnappyException() throws Exception {
    FuzzSupport.mutate(
        FuzzSupport.corpus(SnappyFuzzTest.class, "decompress"),
        20261125,
        20_000,
        new byte[][] {
          {(byte) 0xf0},
          {(byte) 0xf4},
          {(byte) 0xf8},
          {(byte) 0xfc},
          {0x01, 0x00},
          {0x02, 0x00},
          {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f},
          {0x03, 1, 0, 0, 0}
        },
        SnappyFuzzTest::check);
  }

  @Test
  void declaredSizeOverTheLimit_isRefusedBeforeAllocating() {
    // 5-byte preamble declaring 2^32-1 bytes, no body.
    byte[] bomb = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f};
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Snappy.decompress(bomb, LIMIT))
        .isInstanceOf(SnappyException.class)
        .hasMessage(
            "snappy block declares 4294967295 uncompressed bytes, over the limit of 65536 (at"
                + " compressed byte 0)");
  }

  @Test
  void literalRunningPastTheInput_isCorrupt_thoughSnappyJavaAcceptsIt() throws Exception {
    // Found by this target's differential check (2026-12-08): a literal whose 4-byte length field
    // is 0xffffffff (length 2^32) after 28 bytes of output. snappy-java's native decoder adds the
    // 1 in 32 bits, reads a literal of 0 bytes and goes on to return 40 bytes.
    byte[] in;
    try (var r =
        SnappyFuzzTest.class.getResourceAsStream(
            "SnappyFuzzTestInputs/decompress/native-accepts-overlong-literal")) {
      in = r.readAllBytes();
    }
    assertThat(org.xerial.snappy.Snappy.uncompress(in)).hasSize(40);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Snappy.decompress(in, LIMIT))
        .isInstanceOf(SnappyException.class)
        .hasMessage(
            "corrupt snappy block: literal of 4294967296 bytes runs past the end (at compressed"
                + " byte 30)");
  }

  @Test
  void literalLengthOfIntMaxValue_isCorruptNotANegativeCopy() {
    // Found by SnappyFuzzTest (literal-length-overflow): 2^31-1 + 1 overflowed to a negative
    // length, which passed the bounds check and reached System.arraycopy.
    byte[] in = {0x0a, (byte) 0xfc, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 0x3b};
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Snappy.decompress(in, LIMIT))
        .isInstanceOf(SnappyException.class)
        .hasMessage(
            "corrupt snappy block: literal of 2147483648 bytes runs past the end (at compressed"
                + " byte 1)");
  }
}
