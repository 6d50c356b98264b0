package dev.vigil.tsdb.wal;

import dev.vigil.tsdb.Labels;
import java.nio.charset.StandardCharsets;

/** Reads the payload of one WAL record, as written by {@link RecordEncoder}. Not thread-safe. */
public final class RecordDecoder {
  private final byte[] b;
  private int pos;
  private final int end;

  public RecordDecoder(byte[] b, int off, int len) {
    this.b = b;
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
        throw new IllegalStateException("record ends inside a varint");
      }
      byte x = b[pos++];
      v |= (long) (x & 0x7F) << shift;
      if (x >= 0) {
        return v;
      }
    }
    throw new IllegalStateException("varint too long");
  }

  public long varint() {
    long u = uvarint();
    return (u >>> 1) ^ -(u & 1);
  }

  public long long64() {
    if (pos + 8 > end) {
      throw new IllegalStateException("record ends inside a 64-bit value");
    }
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[pos++] & 0xff);
    }
    return v;
  }

  public String string() {
    int n = (int) uvarint();
    if (n < 0 || pos + n > end) {
      throw new IllegalStateException("record ends inside a string");
    }
    String s = new String(b, pos, n, StandardCharsets.UTF_8);
    pos += n;
    return s;
  }

  /** Reads one series entry's labels (after its ref). */
  public Labels labels() {
    int n = (int) uvarint();
    String[] nv = new String[n * 2];
    for (int i = 0; i < nv.length; i++) {
      nv[i] = string();
    }
    return Labels.of(nv);
  }
}
