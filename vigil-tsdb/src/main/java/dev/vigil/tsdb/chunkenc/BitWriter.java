package dev.vigil.tsdb.chunkenc;

import java.util.Arrays;

/**
 * Appends bits, most significant first, to a growable byte array. Not thread-safe.
 *
 * <p>Bits are packed big-endian within each byte, as in Prometheus' {@code bstream}: the first bit
 * written is bit 7 of byte 0.
 */
final class BitWriter {
  private byte[] buf;
  private long bitLen;

  public BitWriter(int initialBytes) {
    buf = new byte[Math.max(1, initialBytes)];
  }

  /** Continues writing after {@code bitLen} bits already in {@code buf} (which it takes over). */
  public BitWriter(byte[] buf, long bitLen) {
    this.buf = buf;
    this.bitLen = bitLen;
  }

  /** Writes the low {@code n} bits of {@code v} (0 ≤ n ≤ 64), most significant first. */
  public void writeBits(long v, int n) {
    if (n == 0) {
      return;
    }
    ensure(bitLen + n);
    int pos = (int) (bitLen >>> 3);
    int free = 8 - (int) (bitLen & 7);
    bitLen += n;
    while (n > 0) {
      if (n >= free) {
        buf[pos] |= (byte) ((v >>> (n - free)) & ((1 << free) - 1));
        n -= free;
        pos++;
        free = 8;
      } else {
        buf[pos] |= (byte) ((v & ((1L << n) - 1)) << (free - n));
        n = 0;
      }
    }
  }

  public void writeBit(boolean b) {
    ensure(bitLen + 1);
    if (b) {
      buf[(int) (bitLen >>> 3)] |= (byte) (0x80 >>> (bitLen & 7));
    }
    bitLen++;
  }

  /** Pads with zero bits to the next byte boundary. */
  public void alignByte() {
    bitLen = (bitLen + 7) & ~7L;
    ensure(bitLen);
  }

  /** Writes an unsigned LEB128 varint, byte-aligned first. */
  public void writeUvarint(long v) {
    alignByte();
    while ((v & ~0x7FL) != 0) {
      writeBits((v & 0x7F) | 0x80, 8);
      v >>>= 7;
    }
    writeBits(v, 8);
  }

  /** Writes a zigzag varint, byte-aligned first. */
  public void writeVarint(long v) {
    writeUvarint((v << 1) ^ (v >> 63));
  }

  private void ensure(long bits) {
    int need = (int) ((bits + 7) >>> 3);
    if (need > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(need, buf.length + (buf.length >> 1) + 8));
    }
  }

  public long bitLength() {
    return bitLen;
  }

  public int byteLength() {
    return (int) ((bitLen + 7) >>> 3);
  }

  /** The backing array (valid up to {@link #byteLength()}); later writes may replace it. */
  public byte[] buffer() {
    return buf;
  }

  /** A copy of the written bytes. */
  public byte[] toByteArray() {
    return Arrays.copyOf(buf, byteLength());
  }

  /** Forgets everything written, keeping the buffer. */
  public void reset() {
    Arrays.fill(buf, 0, byteLength(), (byte) 0);
    bitLen = 0;
  }
}
