package dev.vigil.ingest.wire;

import java.util.Arrays;

/**
 * The hand-written Snappy block codec in pure Java: {@link Snappy}'s decoder, and its compressor
 * where snappy-java's native library cannot load. Stateless and thread-safe.
 */
final class PureSnappy {
  /*
   * Format (google/snappy format_description.txt): a varint of the uncompressed length, then
   * elements whose tag byte's low two bits say: 00 literal (length-1 in the upper six bits, or in
   * 1..4 following bytes when those bits are 60..63), 01 copy of 4..11 bytes with an 11-bit offset,
   * 10 copy of 1..64 bytes with a 16-bit offset, 11 the same with a 32-bit offset. Copies may
   * overlap their output (offset < length repeats a pattern), so they are copied byte by byte then.
   *
   * The compressor is the classic greedy one: a hash table of 4-byte prefixes over 64 KiB
   * fragments, so every offset fits the 2-byte copy form.
   */

  private static final int FRAGMENT = 1 << 16;

  private static final int HASH_BITS = 14;

  private PureSnappy() {}

  /**
   * Decodes the elements of a block from {@code pos} (just past its preamble) into {@code outLen}
   * bytes, the length the preamble declares, which {@link Snappy} has checked.
   *
   * @throws SnappyException for corrupt input, naming the offset
   */
  static byte[] decompress(byte[] in, int pos, int outLen) {
    byte[] out = new byte[outLen];
    int o = 0;
    while (pos < in.length) {
      int tagAt = pos;
      int tag = in[pos++] & 0xff;
      int len;
      int offset;
      switch (tag & 3) {
        case 0 -> {
          // A long: a 4-byte length of 2^31-1 plus one overflowed an int (negative arraycopy).
          long lit = tag >>> 2;
          if (lit >= 60) {
            int n = (int) lit - 59;
            if (pos + n > in.length) {
              throw new SnappyException("corrupt snappy block: truncated literal length", tagAt);
            }
            lit = 0;
            for (int i = 0; i < n; i++) {
              lit |= (long) (in[pos++] & 0xff) << (8 * i);
            }
          }
          lit++;
          if (lit > in.length - pos || lit > outLen - o) {
            throw new SnappyException(
                "corrupt snappy block: literal of " + lit + " bytes runs past the end", tagAt);
          }
          len = (int) lit;
          System.arraycopy(in, pos, out, o, len);
          pos += len;
          o += len;
          continue;
        }
        case 1 -> {
          if (pos >= in.length) {
            throw new SnappyException("corrupt snappy block: truncated copy", tagAt);
          }
          len = 4 + ((tag >>> 2) & 7);
          offset = ((tag >>> 5) << 8) | (in[pos++] & 0xff);
        }
        case 2 -> {
          if (pos + 2 > in.length) {
            throw new SnappyException("corrupt snappy block: truncated copy", tagAt);
          }
          len = 1 + (tag >>> 2);
          offset = (in[pos] & 0xff) | (in[pos + 1] & 0xff) << 8;
          pos += 2;
        }
        default -> {
          if (pos + 4 > in.length) {
            throw new SnappyException("corrupt snappy block: truncated copy", tagAt);
          }
          len = 1 + (tag >>> 2);
          offset =
              (in[pos] & 0xff)
                  | (in[pos + 1] & 0xff) << 8
                  | (in[pos + 2] & 0xff) << 16
                  | (in[pos + 3] & 0xff) << 24;
          pos += 4;
        }
      }
      if (offset <= 0 || offset > o) {
        throw new SnappyException(
            "corrupt snappy block: copy offset " + offset + " outside the " + o + " bytes written",
            tagAt);
      }
      if (len > outLen - o) {
        throw new SnappyException("corrupt snappy block: copy runs past the declared size", tagAt);
      }
      int from = o - offset;
      if (offset >= len) {
        System.arraycopy(out, from, out, o, len);
        o += len;
      } else {
        for (int i = 0; i < len; i++) {
          out[o++] = out[from + i];
        }
      }
    }
    if (o != outLen) {
      throw new SnappyException(
          "corrupt snappy block: " + o + " bytes decoded, " + outLen + " declared", in.length);
    }
    return out;
  }

  /** Compresses {@code len} bytes from {@code off} into a snappy block. */
  static byte[] compress(byte[] in, int off, int len) {
    // Worst case: 32 + len + len/6 (google/snappy MaxCompressedLength).
    byte[] out = new byte[32 + len + len / 6];
    int o = 0;
    int n = len;
    while (n >= 0x80) {
      out[o++] = (byte) (n | 0x80);
      n >>>= 7;
    }
    out[o++] = (byte) n;
    int[] table = new int[1 << HASH_BITS];
    for (int start = off; start < off + len; start += FRAGMENT) {
      int end = Math.min(start + FRAGMENT, off + len);
      o = compressFragment(in, start, end, out, o, table);
    }
    return Arrays.copyOf(out, o);
  }

  private static int compressFragment(
      byte[] in, int start, int end, byte[] out, int o, int[] table) {
    Arrays.fill(table, -1);
    int lit = start;
    int i = start;
    while (i + 4 <= end) {
      int h = hash(in, i);
      int cand = table[h];
      table[h] = i;
      if (cand >= start && i - cand < FRAGMENT && same4(in, cand, i)) {
        int m = 4;
        while (i + m < end && in[cand + m] == in[i + m]) {
          m++;
        }
        o = literal(in, lit, i - lit, out, o);
        o = copy(i - cand, m, out, o);
        i += m;
        lit = i;
      } else {
        i++;
      }
    }
    return literal(in, lit, end - lit, out, o);
  }

  private static int hash(byte[] b, int i) {
    int v = (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | b[i + 3] << 24;
    return (v * 0x1e35a7bd) >>> (32 - HASH_BITS);
  }

  private static boolean same4(byte[] b, int x, int y) {
    return b[x] == b[y] && b[x + 1] == b[y + 1] && b[x + 2] == b[y + 2] && b[x + 3] == b[y + 3];
  }

  private static int literal(byte[] in, int from, int len, byte[] out, int o) {
    if (len == 0) {
      return o;
    }
    int n = len - 1;
    if (n < 60) {
      out[o++] = (byte) (n << 2);
    } else if (n < 1 << 8) {
      out[o++] = (byte) (60 << 2);
      out[o++] = (byte) n;
    } else if (n < 1 << 16) {
      out[o++] = (byte) (61 << 2);
      out[o++] = (byte) n;
      out[o++] = (byte) (n >>> 8);
    } else {
      out[o++] = (byte) (62 << 2);
      out[o++] = (byte) n;
      out[o++] = (byte) (n >>> 8);
      out[o++] = (byte) (n >>> 16);
    }
    System.arraycopy(in, from, out, o, len);
    return o + len;
  }

  private static int copy(int offset, int len, byte[] out, int o) {
    while (len > 0) {
      // Keep at least 4 bytes for a final piece so no copy is shorter than 1 byte.
      int piece = len > 64 ? (len - 64 < 4 ? 60 : 64) : len;
      if (piece >= 4 && piece <= 11 && offset < 2048) {
        out[o++] = (byte) (1 | ((piece - 4) << 2) | ((offset >>> 8) << 5));
        out[o++] = (byte) offset;
      } else {
        out[o++] = (byte) (2 | ((piece - 1) << 2));
        out[o++] = (byte) offset;
        out[o++] = (byte) (offset >>> 8);
      }
      len -= piece;
    }
    return o;
  }
}
