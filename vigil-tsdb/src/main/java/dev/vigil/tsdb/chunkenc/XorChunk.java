package dev.vigil.tsdb.chunkenc;

import java.util.Arrays;

/**
 * An open Gorilla chunk: delta-of-delta timestamps and XOR'd float values, appended in place. The
 * head keeps one per series. Not thread-safe: the owning series' lock guards it.
 *
 * <pre>{@code
 * XorChunk c = new XorChunk();
 * c.append(1000, 1.5);
 * c.append(2000, 1.5);
 * ChunkIterator it = XorChunk.iterator(c.bytes(), 0, c.byteLength());
 * }</pre>
 */
public final class XorChunk {
  /*
   * Layout (docs/format/chunks.md, encoding 1): u16 big-endian sample count, then a bit stream.
   * Sample 0: 64-bit timestamp, 64-bit value. Sample 1: timestamp delta as a delta-of-delta
   * bucket, value XOR. Later samples: delta-of-delta buckets ('0' | '10'+14 | '110'+17 |
   * '1110'+20 | '1111'+64 bits, two's complement) and Gorilla XOR values ('0' same value; '10'
   * meaningful bits inside the previous window; '11' + 5-bit leading zeros + 6-bit length + bits).
   * The state below lets appends continue without decoding; it is kept inline (no BitWriter
   * object) because the head holds one open chunk per series and every field costs heap.
   */

  /** Samples per head chunk, as in Prometheus: about 120 keeps chunks near 128 bytes. */
  public static final int TARGET_SAMPLES = 120;

  private static final int HEADER_BYTES = 2;

  private byte[] buf;
  private int bitLen = HEADER_BYTES * 8;
  private int count;
  private long mint;
  private long t;
  private long tDelta;
  private long vBits;
  private byte leading = (byte) 0xff;
  private byte trailing;

  public XorChunk() {
    buf = new byte[32];
  }

  /** Number of samples. */
  public int count() {
    return count;
  }

  /** First timestamp; undefined when empty. */
  public long minTime() {
    return mint;
  }

  /** Last timestamp; undefined when empty. */
  public long maxTime() {
    return t;
  }

  /** Last value; undefined when empty. */
  public double lastValue() {
    return Double.longBitsToDouble(vBits);
  }

  /** The backing array, valid up to {@link #byteLength()}; replaced as the chunk grows. */
  public byte[] bytes() {
    return buf;
  }

  public int byteLength() {
    return (bitLen + 7) >>> 3;
  }

  /** Empties the chunk, keeping its buffer for the next one. */
  public void reset() {
    Arrays.fill(buf, 0, byteLength(), (byte) 0);
    bitLen = HEADER_BYTES * 8;
    count = 0;
    leading = (byte) 0xff;
    trailing = 0;
  }

  /** Appends a sample; the caller guarantees {@code t} is after the last timestamp. */
  public void append(long ts, double v) {
    long bits = Double.doubleToRawLongBits(v);
    if (count == 0) {
      writeBits(ts, 64);
      writeBits(bits, 64);
      mint = ts;
    } else if (count == 1) {
      tDelta = ts - t;
      writeDod(tDelta);
      writeXor(bits);
    } else {
      long d = ts - t;
      writeDod(d - tDelta);
      tDelta = d;
      writeXor(bits);
    }
    t = ts;
    vBits = bits;
    count++;
    buf[0] = (byte) (count >>> 8);
    buf[1] = (byte) count;
  }

  /*
   * Each case writes its bucket prefix and payload in one writeBits call where they fit in 64 bits:
   * fewer, simpler call sites keep the append path small for the JIT (the commit loop inlines it;
   * with a call per field and a byte loop in each, its optimizing compile took over a second, most
   * of a short ingest run, docs/BENCHMARKS.md "Storage").
   */
  private void writeDod(long dod) {
    if (dod == 0) {
      writeBits(0, 1);
    } else if (dod >= -(1 << 13) + 1 && dod <= (1 << 13)) {
      writeBits((0b10L << 14) | (dod & 0x3FFF), 16);
    } else if (dod >= -(1 << 16) + 1 && dod <= (1 << 16)) {
      writeBits((0b110L << 17) | (dod & 0x1FFFF), 20);
    } else if (dod >= -(1 << 19) + 1 && dod <= (1 << 19)) {
      writeBits((0b1110L << 20) | (dod & 0xFFFFF), 24);
    } else {
      writeBits(0b1111, 4);
      writeBits(dod, 64);
    }
  }

  private void writeXor(long bits) {
    long x = bits ^ vBits;
    if (x == 0) {
      writeBits(0, 1);
      return;
    }
    int lead = Math.min(Long.numberOfLeadingZeros(x), 31);
    int trail = Long.numberOfTrailingZeros(x);
    if (leading != (byte) 0xff && lead >= leading && trail >= trailing) {
      int sig = 64 - leading - trailing;
      if (sig <= 62) {
        writeBits((0b10L << sig) | (x >>> trailing), sig + 2);
      } else {
        writeBits(0b10, 2);
        writeBits(x >>> trailing, sig);
      }
      return;
    }
    leading = (byte) lead;
    trailing = (byte) trail;
    int sig = 64 - lead - trail;
    // '11', 5 bits of leading zeros, 6 bits of length (64 significant bits are written as 0)
    long head = (0b11L << 11) | ((long) lead << 6) | (sig & 63);
    if (sig <= 51) {
      writeBits((head << sig) | (x >>> trail), 13 + sig);
    } else {
      writeBits(head, 13);
      writeBits(x >>> trail, sig);
    }
  }

  /**
   * Writes the low {@code n} bits of {@code v} (1 to 64), most significant first. Bits after {@code
   * bitLen} are always zero, so the new bits are OR'ed into at most 9 bytes.
   */
  private void writeBits(long v, int n) {
    int pos = bitLen >>> 3;
    if (pos + 9 > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(pos + 9, buf.length + (buf.length >> 1)));
    }
    int used = bitLen & 7;
    bitLen += n;
    long word = (v << (64 - n)) >>> used; // the n bits right after the used ones of buf[pos]
    int end = used + n;
    if (end > 64) { // only when n > 56: the last (end - 64) bits go into a ninth byte
      buf[pos + 8] = (byte) (v << (72 - end));
      end = 64;
    }
    for (int shift = 56; end > 0; shift -= 8, end -= 8) {
      buf[pos++] |= (byte) (word >>> shift);
    }
  }

  /** An iterator over an encoded chunk at {@code b[off, off+len)}. */
  public static ChunkIterator iterator(byte[] b, int off, int len) {
    return new Iter(b, off, len);
  }

  /** Decodes a whole chunk into the arrays (each at least {@link #sampleCount} long). */
  public static int decode(byte[] b, int off, int len, long[] ts, double[] vs) {
    Iter it = new Iter(b, off, len);
    int i = 0;
    while (it.next()) {
      ts[i] = it.t;
      vs[i] = Double.longBitsToDouble(it.v);
      i++;
    }
    return i;
  }

  /** Number of samples in an encoded chunk. */
  public static int sampleCount(byte[] b, int off) {
    return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
  }

  private static final class Iter implements ChunkIterator {
    private final BitReader r;
    private final int n;
    private int i;
    private long t;
    private long delta;
    private long v;
    private int leading;
    private int trailing;

    Iter(byte[] b, int off, int len) {
      if (len < HEADER_BYTES) {
        throw new IllegalStateException(
            "XOR chunk of " + len + " bytes is too short for its 2-byte sample count");
      }
      n = sampleCount(b, off);
      r = new BitReader(b, off + HEADER_BYTES, len - HEADER_BYTES);
    }

    @Override
    public boolean next() {
      if (i >= n) {
        return false;
      }
      if (i == 0) {
        t = r.readBits(64);
        v = r.readBits(64);
      } else if (i == 1) {
        delta = readDod();
        t += delta;
        readXor();
      } else {
        delta += readDod();
        t += delta;
        readXor();
      }
      i++;
      return true;
    }

    private long readDod() {
      int nbits;
      if (!r.readBit()) {
        return 0;
      } else if (!r.readBit()) {
        nbits = 14;
      } else if (!r.readBit()) {
        nbits = 17;
      } else if (!r.readBit()) {
        nbits = 20;
      } else {
        return r.readBits(64);
      }
      long raw = r.readBits(nbits);
      // Buckets hold [-(2^(n-1) - 1), 2^(n-1)], as Prometheus': 2^(n-1) itself is positive.
      return raw > (1L << (nbits - 1)) ? raw - (1L << nbits) : raw;
    }

    private void readXor() {
      if (!r.readBit()) {
        return;
      }
      if (r.readBit()) {
        leading = (int) r.readBits(5);
        int sig = (int) r.readBits(6);
        if (sig == 0) {
          sig = 64;
        }
        trailing = 64 - leading - sig;
        if (trailing < 0) {
          throw new IllegalStateException(
              "XOR value window of "
                  + leading
                  + " leading zeros and "
                  + sig
                  + " bits exceeds 64 (sample "
                  + i
                  + ")");
        }
      }
      int sig = 64 - leading - trailing;
      v ^= r.readBits(sig) << trailing;
    }

    @Override
    public long timestamp() {
      return t;
    }

    @Override
    public double value() {
      return Double.longBitsToDouble(v);
    }
  }
}
