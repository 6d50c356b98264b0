package dev.vigil.tsdb.chunkenc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BitReaderTest {
  @Test
  void readsBackEveryWidthAtEveryAlignment_includingTheLastBytes() {
    Random rnd = new Random(42);
    int count = 5_000;
    int[] widths = new int[count];
    long[] values = new long[count];
    BitWriter w = new BitWriter(16);
    for (int i = 0; i < count; i++) {
      int n = 1 + rnd.nextInt(64);
      long v = n == 64 ? rnd.nextLong() : rnd.nextLong() & ((1L << n) - 1);
      widths[i] = n;
      values[i] = v;
      w.writeBits(v, n);
    }
    byte[] exact = w.toByteArray();
    BitReader r = new BitReader(exact, 0, exact.length);
    for (int i = 0; i < count; i++) {
      assertThat(r.readBits(widths[i])).as("value %d (%d bits)", i, widths[i]).isEqualTo(values[i]);
    }
  }

  @Test
  void aSliceEndsWhereItSays_evenWhenTheArrayGoesOn() {
    byte[] buf = {(byte) 0xAB, (byte) 0xCD, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    BitReader r = new BitReader(buf, 1, 1);
    assertThat(r.readBits(4)).isEqualTo(0xC);
    assertThat(r.readBits(4)).isEqualTo(0xD);
    assertThatThrownBy(() -> r.readBits(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("chunk data ends");
  }
}
