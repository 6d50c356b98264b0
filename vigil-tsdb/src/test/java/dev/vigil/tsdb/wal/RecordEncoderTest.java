package dev.vigil.tsdb.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecordEncoderTest {
  @Test
  void sample_writesTheBytesOfTwoVarintsAndALong() {
    long[] edges = {0, 1, -1, 63, -64, 64, -65, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 35};
    Random r = new Random(3);
    RecordEncoder fused = new RecordEncoder();
    RecordEncoder parts = new RecordEncoder();
    for (int i = 0; i < 2000; i++) { // grows past the initial 4 KiB buffer
      long dRef = i < edges.length ? edges[i] : r.nextLong() >> r.nextInt(64);
      long dT = i < edges.length ? edges[edges.length - 1 - i] : r.nextLong() >> r.nextInt(64);
      long bits = r.nextLong();
      fused.sample(dRef, dT, bits);
      parts.varint(dRef);
      parts.varint(dT);
      parts.long64(bits);
    }
    assertThat(fused.length()).isEqualTo(parts.length());
    assertThat(Arrays.copyOf(fused.buffer(), fused.length()))
        .isEqualTo(Arrays.copyOf(parts.buffer(), parts.length()));
  }
}
