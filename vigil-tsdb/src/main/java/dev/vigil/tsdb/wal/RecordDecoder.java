package dev.vigil.tsdb.wal;

import dev.vigil.model.Labels;
import java.nio.charset.StandardCharsets;

/**
 * Reads the payload of one WAL record, as written by {@link RecordEncoder}. Not thread-safe.
 *
 * <p>A malformed payload fails with an {@link IllegalStateException} naming the problem and its
 * byte offset in the payload; counts and lengths are checked against the bytes left before anything
 * is allocated for them.
 */
public final class RecordDecoder {
  private final byte[] b;
  private final int start;
  private int pos;
  private final int end;

  public RecordDecoder(byte[] b, int off, int len) {
    this.b = b;
    this.start = off;
    this.pos = off;
    this.end = off + len;
  }

  public boolean hasMore() {
    return pos < end;
  }

  public long uvarint() {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= end) {
        throw new IllegalStateException("record ends inside a varint at byte " + (pos - start));
      }
      byte x = b[pos++];
      v |= (long) (x & 0x7F) << shift;
      if (x >= 0) {
        return v;
      }
    }
    throw new IllegalStateException("varint longer than 64 bits at byte " + (pos - start));
  }

  /**
   * Reads a count of entries that each take at least {@code minBytes}, refusing one the rest of the
   * record cannot hold.
   */
  public int count(String what, int minBytes) {
    int at = pos - start;
    long n = uvarint();
    if (n < 0 || n > (long) (end - pos) / minBytes) {
      throw new IllegalStateException(
          "record claims "
              + Long.toUnsignedString(n)
              + " "
              + what
              + " at byte "
              + at
              + " but has "
              + (end - pos)
              + " bytes left");
    }
    return (int) n;
  }

  public long varint() {
    long u = uvarint();
    return (u >>> 1) ^ -(u & 1);
  }

  public long long64() {
    if (pos + 8 > end) {
      throw new IllegalStateException("record ends inside a 64-bit value at byte " + (pos - start));
    }
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[pos++] & 0xff);
    }
    return v;
  }

  public String string() {
    int at = pos - start;
    long n = uvarint();
    if (n < 0 || n > end - pos) {
      throw new IllegalStateException(
          "string of "
              + Long.toUnsignedString(n)
              + " bytes at byte "
              + at
              + " runs past the record");
    }
    String s = new String(b, pos, (int) n, StandardCharsets.UTF_8);
    pos += (int) n;
    return s;
  }

  /** Reads one series entry's labels (after its ref). */
  public Labels labels() {
    int at = pos - start;
    int n = count("labels", 2); // a name and a value of at least a length byte each
    String[] nv = new String[n * 2];
    for (int i = 0; i < nv.length; i++) {
      nv[i] = string();
    }
    try {
      return Labels.of(nv);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("labels at byte " + at + ": " + e.getMessage(), e);
    }
  }
}
