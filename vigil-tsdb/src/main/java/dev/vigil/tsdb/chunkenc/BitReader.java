package dev.vigil.tsdb.chunkenc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads bits written by {@link BitWriter} from a byte array slice. Not thread-safe.
 *
 * <p>Reading past the end throws {@link IllegalStateException} naming the bit offset, so a damaged
 * chunk fails loudly instead of returning garbage.
 */
final class BitReader {
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private final byte[] buf;
  private final int end;
  private long bit;

  public BitReader(byte[] buf, int off, int len) {
    this.buf = buf;
    this.bit = (long) off << 3;
    this.end = off + len;
  }

  public long readBits(int n) {
    if (n == 0) {
      return 0;
    }
    if (n < 0 || n > 64) {
      throw new IllegalArgumentException("cannot read " + n + " bits at once (1 to 64)");
    }
    if (bit + n > ((long) end << 3)) {
      throw new IllegalStateException("chunk data ends at bit " + bit + " (wanted " + n + " more)");
    }
    int pos = (int) (bit >>> 3);
    if (n <= 56 && pos + 8 <= buf.length) {
      // Fast path: one 8-byte big-endian load holds the (bit & 7) skipped bits and all n wanted.
      long word = (long) LONG_BE.get(buf, pos);
      long v = (word << (bit & 7)) >>> (64 - n);
      bit += n;
      return v;
    }
    long v = 0;
    int avail = 8 - (int) (bit & 7);
    bit += n;
    while (n > 0) {
      int b = buf[pos] & ((1 << avail) - 1);
      if (n >= avail) {
        v = (v << avail) | b;
        n -= avail;
        pos++;
        avail = 8;
      } else {
        v = (v << n) | (b >>> (avail - n));
        n = 0;
      }
    }
    return v;
  }

  public boolean readBit() {
    if (bit >= ((long) end << 3)) {
      throw new IllegalStateException("chunk data ends at bit " + bit);
    }
    boolean b = (buf[(int) (bit >>> 3)] & (0x80 >>> (bit & 7))) != 0;
    bit++;
    return b;
  }

  public void alignByte() {
    bit = (bit + 7) & ~7L;
  }

  public long readUvarint() {
    alignByte();
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      long b = readBits(8);
      v |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new IllegalStateException("varint longer than 64 bits at bit " + bit);
  }

  public long readVarint() {
    long u = readUvarint();
    return (u >>> 1) ^ -(u & 1);
  }

  /** Current position in bits from the array start. */
  public long bitPosition() {
    return bit;
  }

  /** Current position in bytes from the array start (after aligning). */
  public int bytePosition() {
    return (int) ((bit + 7) >>> 3);
  }
}
