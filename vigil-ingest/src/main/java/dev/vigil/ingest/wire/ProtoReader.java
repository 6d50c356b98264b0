package dev.vigil.ingest.wire;

import java.nio.charset.StandardCharsets;

/**
 * A minimal reader of the protobuf wire format over a byte array, enough to decode remote write and
 * OTLP without generated code.
 *
 * <pre>{@code
 * ProtoReader r = new ProtoReader(bytes);
 * while (r.hasMore()) {
 *   int tag = r.readTag();
 *   switch (ProtoReader.field(tag)) {
 *     case 1 -> { int end = r.enter(); ...; r.leave(end); }
 *     default -> r.skip(tag);
 *   }
 * }
 * }</pre>
 *
 * <p>Not thread-safe. Every read checks bounds; a malformed or truncated message raises {@link
 * ProtoException} naming the byte offset, never an {@link ArrayIndexOutOfBoundsException}.
 */
public final class ProtoReader {
  /* Nested messages narrow `limit` instead of allocating a sub-reader: decoding a 10k-series
   * request then allocates nothing but the decoded strings. */

  public static final int VARINT = 0;
  public static final int FIXED64 = 1;
  public static final int LEN = 2;
  public static final int FIXED32 = 5;

  private final byte[] buf;
  private int pos;
  private int limit;

  public ProtoReader(byte[] buf) {
    this(buf, 0, buf.length);
  }

  public ProtoReader(byte[] buf, int offset, int length) {
    this.buf = buf;
    this.pos = offset;
    this.limit = offset + length;
  }

  /** The field number of a tag. */
  public static int field(int tag) {
    return tag >>> 3;
  }

  /** The wire type of a tag. */
  public static int wireType(int tag) {
    return tag & 7;
  }

  /** Whether bytes remain before the current limit. */
  public boolean hasMore() {
    return pos < limit;
  }

  /** Current offset in the buffer, for error messages. */
  public int position() {
    return pos;
  }

  /** The underlying buffer (for keys over raw byte ranges). */
  public byte[] buffer() {
    return buf;
  }

  /** Moves back to an earlier position within the current message. */
  public void rewind(int position) {
    if (position < 0 || position > pos) {
      throw new IllegalArgumentException("cannot rewind to " + position + " from " + pos);
    }
    pos = position;
  }

  /** Reads a field tag; field number 0 is invalid. */
  public int readTag() {
    int at = pos;
    long t = readVarint64();
    if (t >>> 3 == 0 || t > Integer.MAX_VALUE) {
      throw new ProtoException("invalid field tag " + t, at);
    }
    int wt = (int) t & 7;
    if (wt == 3 || wt == 4 || wt > 5) {
      throw new ProtoException("unsupported wire type " + wt + " for field " + (t >>> 3), at);
    }
    return (int) t;
  }

  public long readVarint64() {
    int at = pos;
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= limit) {
        throw new ProtoException("truncated varint", at);
      }
      byte b = buf[pos++];
      result |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        return result;
      }
    }
    throw new ProtoException("malformed varint longer than 10 bytes", at);
  }

  public int readVarint32() {
    return (int) readVarint64();
  }

  /** A zigzag-encoded signed varint ({@code sint64}). */
  public long readSint64() {
    long n = readVarint64();
    return (n >>> 1) ^ -(n & 1);
  }

  public long readFixed64() {
    need(8, "fixed64");
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (buf[pos + i] & 0xffL);
    }
    pos += 8;
    return v;
  }

  public int readFixed32() {
    need(4, "fixed32");
    int v =
        (buf[pos] & 0xff)
            | (buf[pos + 1] & 0xff) << 8
            | (buf[pos + 2] & 0xff) << 16
            | (buf[pos + 3] & 0xff) << 24;
    pos += 4;
    return v;
  }

  public double readDouble() {
    return Double.longBitsToDouble(readFixed64());
  }

  /** Reads a length prefix and checks it fits. */
  public int readLength() {
    int at = pos;
    long len = readVarint64();
    if (len < 0 || len > limit - pos) {
      throw new ProtoException(
          "length " + len + " runs past the end of the message (" + (limit - pos) + " bytes left)",
          at);
    }
    return (int) len;
  }

  public String readString() {
    int len = readLength();
    String s = new String(buf, pos, len, StandardCharsets.UTF_8);
    pos += len;
    return s;
  }

  public byte[] readBytes() {
    int len = readLength();
    byte[] b = new byte[len];
    System.arraycopy(buf, pos, b, 0, len);
    pos += len;
    return b;
  }

  /**
   * Enters a length-delimited embedded message: until {@link #leave(int)}, reads stop at its end.
   *
   * @return the token to pass to {@link #leave(int)}
   */
  public int enter() {
    int len = readLength();
    int saved = limit;
    limit = pos + len;
    return saved;
  }

  /** Leaves the embedded message entered by {@link #enter()}, skipping what was not read. */
  public void leave(int savedLimit) {
    pos = limit;
    limit = savedLimit;
  }

  /** Skips the value of a field with the given tag. */
  public void skip(int tag) {
    switch (wireType(tag)) {
      case VARINT -> readVarint64();
      case FIXED64 -> {
        need(8, "fixed64");
        pos += 8;
      }
      case LEN -> {
        int n = readLength(); // not `pos += readLength()`: that adds to the pre-read position
        pos += n;
      }
      case FIXED32 -> {
        need(4, "fixed32");
        pos += 4;
      }
      default -> throw new ProtoException("unsupported wire type " + wireType(tag), pos);
    }
  }

  /** Checks a tag has the expected wire type for a known field. */
  public void expect(int tag, int wireType, String what) {
    if (wireType(tag) != wireType) {
      throw new ProtoException(
          what
              + " (field "
              + field(tag)
              + ") has wire type "
              + wireType(tag)
              + ", expected "
              + wireType,
          pos);
    }
  }

  private void need(int n, String what) {
    if (limit - pos < n) {
      throw new ProtoException("truncated " + what, pos);
    }
  }
}
