package dev.vigil.tsdb.chunkenc;

import java.util.Arrays;

/**
 * The block (cold) encodings: a timestamp column, stored once and shared by every series scraped at
 * the same instants, and a value column per series chunk. Both are lossless: every timestamp and
 * every float's bit pattern comes back exactly.
 *
 * <pre>{@code
 * byte[] ts = ColdCodec.encodeTimestamps(times, n);
 * byte[] vs = ColdCodec.encodeValues(values, n);
 * long[] t2 = ColdCodec.decodeTimestamps(ts, 0, ts.length);
 * double[] v2 = ColdCodec.decodeValues(vs, 0, vs.length, t2.length);
 * }</pre>
 */
public final class ColdCodec {
  /*
   * Value column = 1 mode byte, then:
   *   CONST (0): the 64 bits of the one value (a series that never changed in the chunk);
   *   SCALED (1): 1 byte k (0..MAX_SCALE), then IntCodec over n_i where v_i == n_i / 10^k bit for
   *     bit (checked per value when encoding; decimal-sourced values like 12345.67 qualify, so a
   *     counter or a gauge in fixed decimals costs a few bits per sample);
   *   XOR (2): Gorilla XOR of the values alone (no timestamps: those are in the shared column).
   * The encoder tries the applicable modes and keeps the shortest. IEEE division is correctly
   * rounded and so is decimal parsing, so n / 10^k reproduces any value that was parsed from a
   * decimal with at most k fraction digits; the check makes the claim unnecessary to trust.
   */
  public static final byte CONST = 0;
  public static final byte SCALED = 1;
  public static final byte XOR = 2;

  /** Decimal scales tried for {@link #SCALED}; beyond 10^9 integers rarely stay small. */
  static final int MAX_SCALE = 9;

  private static final double[] POW10 = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
  private static final double MAX_EXACT = 0x1p53;

  private ColdCodec() {}

  /** Encodes timestamps {@code ts[0, n)}, n ≥ 1. */
  public static byte[] encodeTimestamps(long[] ts, int n) {
    BitWriter w = new BitWriter(16 + n / 4);
    w.writeUvarint(n);
    IntCodec.encode(ts, n, w);
    return w.toByteArray();
  }

  public static long[] decodeTimestamps(byte[] b, int off, int len) {
    BitReader r = new BitReader(b, off, len);
    long n = r.readUvarint();
    // The densest encoding is a group of 16 equal deltas in 7 bits: a count beyond what the bytes
    // can hold is damage, refused before it sizes an array.
    long maxN = 2 + 16L * ((long) Math.max(len, 0) * 8 / 7 + 1);
    if (n < 1 || n > 1 << 24 || n > maxN) {
      throw new IllegalStateException(
          "timestamp column claims " + n + " samples in " + len + " bytes");
    }
    long[] out = new long[(int) n];
    IntCodec.decode(r, (int) n, out);
    return out;
  }

  /** Encodes values {@code vs[0, n)}, n ≥ 1, in the shortest lossless mode. */
  public static byte[] encodeValues(double[] vs, int n) {
    long first = Double.doubleToRawLongBits(vs[0]);
    boolean constant = true;
    for (int i = 1; i < n && constant; i++) {
      constant = Double.doubleToRawLongBits(vs[i]) == first;
    }
    if (constant) {
      BitWriter w = new BitWriter(9);
      w.writeBits(CONST, 8);
      w.writeBits(first, 64);
      return w.toByteArray();
    }
    byte[] best = encodeXor(vs, n);
    long[] ints = scaled(vs, n);
    if (ints != null) {
      BitWriter w = new BitWriter(best.length);
      w.writeBits(SCALED, 8);
      w.writeBits(ints[n], 8);
      IntCodec.encode(ints, n, w);
      if (w.byteLength() < best.length) {
        best = w.toByteArray();
      }
    }
    return best;
  }

  /** Decodes n values written by {@link #encodeValues}. */
  public static double[] decodeValues(byte[] b, int off, int len, int n) {
    if (n < 1) {
      throw new IllegalArgumentException("a value column holds at least 1 value, not " + n);
    }
    double[] out = new double[n];
    BitReader r = new BitReader(b, off, len);
    int mode = (int) r.readBits(8);
    switch (mode) {
      case CONST -> Arrays.fill(out, Double.longBitsToDouble(r.readBits(64)));
      case SCALED -> {
        int k = (int) r.readBits(8);
        if (k > MAX_SCALE) {
          throw new IllegalStateException("value column scale " + k + " out of range");
        }
        long[] ints = new long[n];
        IntCodec.decode(r, n, ints);
        for (int i = 0; i < n; i++) {
          out[i] = k == 0 ? (double) ints[i] : ints[i] / POW10[k];
        }
      }
      case XOR -> decodeXor(r, n, out);
      default -> throw new IllegalStateException("unknown value column mode " + mode);
    }
    return out;
  }

  /** The scaled integers (plus k at index n), or null when no scale reproduces every value. */
  private static long[] scaled(double[] vs, int n) {
    long[] out = new long[n + 1];
    for (int k = 0; k <= MAX_SCALE; k++) {
      if (scaleWorks(vs, n, k, out)) {
        out[n] = k;
        return out;
      }
    }
    return null;
  }

  private static boolean scaleWorks(double[] vs, int n, int k, long[] out) {
    double p = POW10[k];
    for (int i = 0; i < n; i++) {
      double v = vs[i];
      double m = Math.rint(v * p);
      if (!(Math.abs(m) < MAX_EXACT)) {
        return false;
      }
      long l = (long) m;
      double back = k == 0 ? (double) l : l / p;
      if (Double.doubleToRawLongBits(back) != Double.doubleToRawLongBits(v)) {
        return false;
      }
      out[i] = l;
    }
    return true;
  }

  private static byte[] encodeXor(double[] vs, int n) {
    BitWriter w = new BitWriter(9 + n * 2);
    w.writeBits(XOR, 8);
    long prev = Double.doubleToRawLongBits(vs[0]);
    w.writeBits(prev, 64);
    int leading = -1;
    int trailing = 0;
    for (int i = 1; i < n; i++) {
      long bits = Double.doubleToRawLongBits(vs[i]);
      long x = bits ^ prev;
      prev = bits;
      if (x == 0) {
        w.writeBit(false);
        continue;
      }
      int lead = Math.min(Long.numberOfLeadingZeros(x), 31);
      int trail = Long.numberOfTrailingZeros(x);
      if (leading >= 0 && lead >= leading && trail >= trailing) {
        w.writeBits(0b10, 2);
        w.writeBits(x >>> trailing, 64 - leading - trailing);
      } else {
        leading = lead;
        trailing = trail;
        int sig = 64 - lead - trail;
        w.writeBits(0b11, 2);
        w.writeBits(lead, 5);
        w.writeBits(sig & 63, 6);
        w.writeBits(x >>> trail, sig);
      }
    }
    return w.toByteArray();
  }

  private static void decodeXor(BitReader r, int n, double[] out) {
    long v = r.readBits(64);
    out[0] = Double.longBitsToDouble(v);
    int leading = 0;
    int trailing = 0;
    for (int i = 1; i < n; i++) {
      if (r.readBit()) {
        if (r.readBit()) {
          leading = (int) r.readBits(5);
          int sig = (int) r.readBits(6);
          trailing = 64 - leading - (sig == 0 ? 64 : sig);
          if (trailing < 0) {
            throw new IllegalStateException(
                "XOR value window of "
                    + leading
                    + " leading zeros and "
                    + (sig == 0 ? 64 : sig)
                    + " bits exceeds 64 (value "
                    + i
                    + ")");
          }
        }
        v ^= r.readBits(64 - leading - trailing) << trailing;
      }
      out[i] = Double.longBitsToDouble(v);
    }
  }
}
