package dev.vigil.tsdb.chunkenc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.StaleMarker;
import java.util.Random;
import org.junit.jupiter.api.Test;

class XorChunkTest {
  private static final double[] SPECIAL = {
    Double.NaN,
    Double.POSITIVE_INFINITY,
    Double.NEGATIVE_INFINITY,
    -0.0,
    0.0,
    StaleMarker.VALUE,
    Double.MIN_VALUE,
    Double.MAX_VALUE,
    -Double.MAX_VALUE,
    Double.longBitsToDouble(0x7ff8dead00000001L),
    1e-300,
    42.5
  };

  @Test
  void specialFloatsAndIrregularTimestamps_roundTripBitExact() {
    XorChunk c = new XorChunk();
    long[] ts = new long[SPECIAL.length];
    long t = -5_000; // negative timestamps are legal
    Random r = new Random(1);
    for (int i = 0; i < SPECIAL.length; i++) {
      t +=
          switch (i % 4) {
            case 0 -> 1;
            case 1 -> 15_000 + r.nextInt(20);
            case 2 -> 1L << 40; // beyond every delta-of-delta bucket
            default -> 7;
          };
      ts[i] = t;
      c.append(t, SPECIAL[i]);
    }
    ChunkIterator it = XorChunk.iterator(c.bytes(), 0, c.byteLength());
    for (int i = 0; i < SPECIAL.length; i++) {
      assertThat(it.next()).isTrue();
      assertThat(it.timestamp()).isEqualTo(ts[i]);
      assertThat(Double.doubleToRawLongBits(it.value()))
          .as("value %d", i)
          .isEqualTo(Double.doubleToRawLongBits(SPECIAL[i]));
    }
    assertThat(it.next()).isFalse();
  }

  @Test
  void randomSeries_roundTripBitExact_andResetReusesBuffer() {
    Random r = new Random(42);
    XorChunk c = new XorChunk();
    for (int round = 0; round < 200; round++) {
      c.reset();
      int n = 1 + r.nextInt(XorChunk.TARGET_SAMPLES);
      long[] ts = new long[n];
      double[] vs = new double[n];
      long t = r.nextLong() >> 20;
      for (int i = 0; i < n; i++) {
        t += r.nextInt(4) == 0 ? r.nextInt(1 << 22) : 15_000;
        ts[i] = t;
        vs[i] =
            switch (r.nextInt(4)) {
              case 0 -> r.nextGaussian() * 1e6;
              case 1 -> i > 0 ? vs[i - 1] : 1;
              case 2 -> Double.longBitsToDouble(r.nextLong());
              default -> r.nextInt(100);
            };
        c.append(t, vs[i]);
      }
      assertThat(c.count()).isEqualTo(n);
      long[] ots = new long[n];
      double[] ovs = new double[n];
      assertThat(XorChunk.decode(c.bytes(), 0, c.byteLength(), ots, ovs)).isEqualTo(n);
      assertThat(ots).isEqualTo(ts);
      for (int i = 0; i < n; i++) {
        assertThat(Double.doubleToRawLongBits(ovs[i])).isEqualTo(Double.doubleToRawLongBits(vs[i]));
      }
    }
  }

  /**
   * The bytes are the format of docs/format/chunks.md exactly: compared with a reference encoder
   * that writes every field on its own through {@link BitWriter} (as the encoder did before its
   * fields were merged into fewer writes), over every delta-of-delta bucket and XOR case.
   */
  @Test
  void encoding_isByteIdenticalToFieldByFieldReference() {
    Random r = new Random(7);
    for (int round = 0; round < 500; round++) {
      XorChunk c = new XorChunk();
      Reference ref = new Reference();
      int n = 1 + r.nextInt(XorChunk.TARGET_SAMPLES);
      long t = r.nextLong() >> 20;
      double v = 0;
      for (int i = 0; i < n; i++) {
        t +=
            switch (r.nextInt(6)) {
              case 0 -> 1 + r.nextInt(1 << 22);
              case 1 -> 1L << (20 + r.nextInt(30));
              default -> 30_000;
            };
        v =
            switch (r.nextInt(6)) {
              case 0 -> Double.longBitsToDouble(r.nextLong());
              case 1 -> v;
              case 2 -> SPECIAL[r.nextInt(SPECIAL.length)];
              case 3 -> r.nextGaussian();
              default -> v + 1000;
            };
        c.append(t, v);
        ref.append(t, v);
      }
      byte[] want = ref.bytes(n);
      byte[] got = java.util.Arrays.copyOf(c.bytes(), c.byteLength());
      assertThat(got).as("round %d", round).isEqualTo(want);
    }
  }

  /** The Gorilla encoding written field by field, the slow obvious way. */
  private static final class Reference {
    final BitWriter w = new BitWriter(16);
    int count;
    long t;
    long delta;
    long bits;
    int leading = -1;
    int trailing;

    Reference() {
      w.writeBits(0, 16);
    }

    void append(long ts, double v) {
      long b = Double.doubleToRawLongBits(v);
      if (count == 0) {
        w.writeBits(ts, 64);
        w.writeBits(b, 64);
      } else {
        long d = ts - t;
        long dod = count == 1 ? d : d - delta;
        if (dod == 0) {
          w.writeBits(0, 1);
        } else if (dod >= -8191 && dod <= 8192) {
          w.writeBits(0b10, 2);
          w.writeBits(dod, 14);
        } else if (dod >= -65535 && dod <= 65536) {
          w.writeBits(0b110, 3);
          w.writeBits(dod, 17);
        } else if (dod >= -524287 && dod <= 524288) {
          w.writeBits(0b1110, 4);
          w.writeBits(dod, 20);
        } else {
          w.writeBits(0b1111, 4);
          w.writeBits(dod, 64);
        }
        delta = d;
        long x = b ^ bits;
        if (x == 0) {
          w.writeBits(0, 1);
        } else {
          int lead = Math.min(Long.numberOfLeadingZeros(x), 31);
          int trail = Long.numberOfTrailingZeros(x);
          if (leading >= 0 && lead >= leading && trail >= trailing) {
            w.writeBits(0b10, 2);
            w.writeBits(x >>> trailing, 64 - leading - trailing);
          } else {
            leading = lead;
            trailing = trail;
            w.writeBits(0b11, 2);
            w.writeBits(lead, 5);
            w.writeBits((64 - lead - trail) & 63, 6);
            w.writeBits(x >>> trail, 64 - lead - trail);
          }
        }
      }
      t = ts;
      bits = b;
      count++;
    }

    byte[] bytes(int n) {
      byte[] out = w.toByteArray();
      out[0] = (byte) (n >>> 8);
      out[1] = (byte) n;
      return out;
    }
  }

  @Test
  void deltaOfDeltaAtEveryBucketEdge_roundTrips() {
    long[] dods = {
      8192, -8191, 8193, -8192, 65536, -65535, 65537, -65536, 524288, -524287, 524289, -524288
    };
    for (long dod : dods) {
      XorChunk c = new XorChunk();
      long[] ts = {0, 1_000_000, 2_000_000 + dod, 3_000_000 + 2 * dod};
      for (long t : ts) {
        c.append(t, 1);
      }
      long[] out = new long[4];
      XorChunk.decode(c.bytes(), 0, c.byteLength(), out, new double[4]);
      assertThat(out).as("dod %d", dod).isEqualTo(ts);
    }
  }

  @Test
  void regularScrape_constantValue_costsAboutTwoBitsPerSample() {
    XorChunk c = new XorChunk();
    for (int i = 0; i < 120; i++) {
      c.append(1_700_000_000_000L + i * 15_000L, 1.0);
    }
    // 2 header + 16 first sample + ~1 byte second, then 2 bits per sample.
    assertThat(c.byteLength()).isLessThan(2 + 16 + 4 + 120 * 2 / 8 + 2);
  }
}
