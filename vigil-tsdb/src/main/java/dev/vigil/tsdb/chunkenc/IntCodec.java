package dev.vigil.tsdb.chunkenc;

/**
 * Encodes a sequence of longs as deltas or deltas-of-deltas, bit-packed in groups of {@value
 * #GROUP} with one width per group (frame of reference). Used for block timestamps and for values
 * that are exact scaled integers.
 */
final class IntCodec {
  /*
   * Layout: 1 bit mode (0 = delta, 1 = delta-of-delta); first value as a width-prefixed zigzag
   * (7-bit width, then the bits); in dod mode the first delta likewise; then the residuals in
   * groups of 16, each group a 7-bit width followed by 16 (or fewer, at the end) zigzag values of
   * that width. A regular scrape interval or a constant-rate counter costs 7 bits per 16 samples.
   * Both modes are tried and the shorter kept: counters with varying increments favour deltas,
   * timestamps with jitter favour dod.
   */
  static final int GROUP = 16;

  private IntCodec() {}

  /** Writes {@code xs[0, n)} (n ≥ 1) to {@code w}; the reader must know n. */
  public static void encode(long[] xs, int n, BitWriter w) {
    long deltaBits = packedBits(xs, n, false);
    long dodBits = packedBits(xs, n, true);
    boolean dod = dodBits < deltaBits;
    w.writeBit(dod);
    writeZigzag(w, xs[0]);
    if (n == 1) {
      return;
    }
    long prev = xs[0];
    long prevDelta = 0;
    int start = 1;
    if (dod) {
      prevDelta = xs[1] - xs[0];
      writeZigzag(w, prevDelta);
      prev = xs[1];
      start = 2;
    }
    long[] group = new long[GROUP];
    int g = 0;
    for (int i = start; i < n; i++) {
      long d = xs[i] - prev;
      long r = dod ? d - prevDelta : d;
      prevDelta = d;
      prev = xs[i];
      group[g++] = zigzag(r);
      if (g == GROUP) {
        writeGroup(w, group, g);
        g = 0;
      }
    }
    if (g > 0) {
      writeGroup(w, group, g);
    }
  }

  /** Reads n values written by {@link #encode}. */
  public static void decode(BitReader r, int n, long[] out) {
    boolean dod = r.readBit();
    out[0] = readZigzag(r);
    if (n == 1) {
      return;
    }
    long prev = out[0];
    long prevDelta = 0;
    int start = 1;
    if (dod) {
      prevDelta = readZigzag(r);
      out[1] = prev + prevDelta;
      prev = out[1];
      start = 2;
    }
    int i = start;
    while (i < n) {
      int width = readWidth(r);
      int m = Math.min(GROUP, n - i);
      for (int k = 0; k < m; k++, i++) {
        long res = unzigzag(r.readBits(width));
        long d = dod ? prevDelta + res : res;
        prevDelta = d;
        prev += d;
        out[i] = prev;
      }
    }
  }

  private static long packedBits(long[] xs, int n, boolean dod) {
    long bits = 0;
    long prev = xs[0];
    long prevDelta = 0;
    int start = 1;
    if (dod && n > 1) {
      prevDelta = xs[1] - xs[0];
      prev = xs[1];
      bits += 7 + width(zigzag(prevDelta));
      start = 2;
    }
    int g = 0;
    int maxw = 0;
    for (int i = start; i < n; i++) {
      long d = xs[i] - prev;
      long r = dod ? d - prevDelta : d;
      prevDelta = d;
      prev = xs[i];
      maxw = Math.max(maxw, width(zigzag(r)));
      if (++g == GROUP) {
        bits += 7 + (long) GROUP * maxw;
        g = 0;
        maxw = 0;
      }
    }
    if (g > 0) {
      bits += 7 + (long) g * maxw;
    }
    return bits;
  }

  private static void writeGroup(BitWriter w, long[] group, int g) {
    int maxw = 0;
    for (int k = 0; k < g; k++) {
      maxw = Math.max(maxw, width(group[k]));
    }
    w.writeBits(maxw, 7);
    for (int k = 0; k < g; k++) {
      w.writeBits(group[k], maxw);
    }
  }

  static void writeZigzag(BitWriter w, long v) {
    long z = zigzag(v);
    int width = width(z);
    w.writeBits(width, 7);
    w.writeBits(z, width);
  }

  static long readZigzag(BitReader r) {
    return unzigzag(r.readBits(readWidth(r)));
  }

  /** Reads a 7-bit width field; widths above 64 exist only in damaged data. */
  private static int readWidth(BitReader r) {
    int width = (int) r.readBits(7);
    if (width > 64) {
      throw new IllegalStateException(
          "integer width " + width + " (above 64) before bit " + r.bitPosition());
    }
    return width;
  }

  private static int width(long z) {
    return 64 - Long.numberOfLeadingZeros(z);
  }

  private static long zigzag(long v) {
    return (v << 1) ^ (v >> 63);
  }

  private static long unzigzag(long z) {
    return (z >>> 1) ^ -(z & 1);
  }
}
