package dev.vigil.ingest.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vigil.ingest.FuzzSupport;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@link Gzip#decompress}: any body either inflates to at most the limit (and compressing
 * the result inflates back to it) or fails with {@link Gzip.TooLargeException} (a decompression
 * bomb, answered 413) or {@link Gzip.CorruptException} naming why (answered 400); nothing else is
 * thrown and nothing is buffered past the limit.
 *
 * <p>{@code scripts/fuzz GzipFuzzTest} fuzzes for the annotated duration; otherwise the saved
 * corpus in {@code GzipFuzzTestInputs/decompress} runs as a regression test.
 */
class GzipFuzzTest {
  static final int LIMIT = 64 << 10;

  // No JUnit @Timeout here: in fuzzing mode it would bound the whole campaign, not one input.
  @FuzzTest(maxDuration = "5m")
  void decompress(byte[] data) {
    check(data);
  }

  static void check(byte[] data) {
    byte[] out;
    try {
      out = Gzip.decompress(data, LIMIT);
    } catch (Gzip.TooLargeException e) {
      assertThat(e.getMessage()).isEqualTo("gzip body inflates past the limit of 65536 bytes");
      return;
    } catch (Gzip.CorruptException e) {
      assertThat(e.getMessage()).startsWith("corrupt gzip body: ");
      return;
    }
    assertThat(out.length).isLessThanOrEqualTo(LIMIT);
    assertThat(Gzip.decompress(Gzip.compress(out), LIMIT)).isEqualTo(out);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void seededMutations_neverThrowAnythingButGzipErrors() throws Exception {
    FuzzSupport.mutate(
        FuzzSupport.corpus(GzipFuzzTest.class, "decompress"),
        20261125,
        5_000,
        new byte[][] {
          {0x1f, (byte) 0x8b, 0x08},
          {0x1f, (byte) 0x8b, 0x08, (byte) 0xff},
          {0, 0, (byte) 0xff, (byte) 0xff},
          {0x03, 0x00},
          {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}
        },
        GzipFuzzTest::check);
  }

  @Test
  void bomb_stopsAtTheLimit() {
    byte[] bomb = Gzip.compress(new byte[16 << 20]);
    assertThat(bomb.length).isLessThan(64 << 10);
    assertThatThrownBy(() -> Gzip.decompress(bomb, LIMIT))
        .isInstanceOf(Gzip.TooLargeException.class);
  }
}
