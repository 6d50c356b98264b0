package dev.vigil.ingest.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A minimal protobuf wire-format writer: the encoding side of {@link ProtoReader}, for remote write
 * senders, load generators and test fixtures.
 *
 * <pre>{@code
 * ProtoWriter w = new ProtoWriter();
 * w.message(1, ts -> ts.message(1, l -> l.string(1, "__name__").string(2, "up")));
 * byte[] bytes = w.toByteArray();
 * }</pre>
 *
 * <p>Not thread-safe.
 */
public final class ProtoWriter {
  private byte[] buf = new byte[256];
  private int len;

  /** Writes a varint field ({@code int32}, {@code int64}, {@code uint64}, {@code enum}). */
  public ProtoWriter varint(int field, long v) {
    tag(field, ProtoReader.VARINT);
    rawVarint(v);
    return this;
  }

  /** Writes a zigzag ({@code sint64}) field. */
  public ProtoWriter sint64(int field, long v) {
    return varint(field, (v << 1) ^ (v >> 63));
  }

  public ProtoWriter bool(int field, boolean v) {
    return varint(field, v ? 1 : 0);
  }

  public ProtoWriter fixed64(int field, long v) {
    tag(field, ProtoReader.FIXED64);
    rawFixed64(v);
    return this;
  }

  public ProtoWriter doubleField(int field, double v) {
    return fixed64(field, Double.doubleToRawLongBits(v));
  }

  public ProtoWriter string(int field, String s) {
    return bytes(field, s.getBytes(StandardCharsets.UTF_8));
  }

  public ProtoWriter bytes(int field, byte[] b) {
    tag(field, ProtoReader.LEN);
    rawVarint(b.length);
    raw(b, 0, b.length);
    return this;
  }

  /** Writes an embedded message built by {@code body}. */
  public ProtoWriter message(int field, Consumer<ProtoWriter> body) {
    ProtoWriter sub = new ProtoWriter();
    body.accept(sub);
    tag(field, ProtoReader.LEN);
    rawVarint(sub.len);
    raw(sub.buf, 0, sub.len);
    return this;
  }

  /** Writes a packed repeated varint field. */
  public ProtoWriter packedVarints(int field, int... values) {
    ProtoWriter sub = new ProtoWriter();
    for (int v : values) {
      sub.rawVarint(v & 0xffffffffL);
    }
    tag(field, ProtoReader.LEN);
    rawVarint(sub.len);
    raw(sub.buf, 0, sub.len);
    return this;
  }

  /** Writes a packed repeated fixed64 field. */
  public ProtoWriter packedFixed64(int field, long... values) {
    tag(field, ProtoReader.LEN);
    rawVarint(values.length * 8L);
    for (long v : values) {
      rawFixed64(v);
    }
    return this;
  }

  /** Writes a packed repeated double field. */
  public ProtoWriter packedDoubles(int field, double... values) {
    tag(field, ProtoReader.LEN);
    rawVarint(values.length * 8L);
    for (double v : values) {
      rawFixed64(Double.doubleToRawLongBits(v));
    }
    return this;
  }

  /** Appends raw bytes (e.g. an already-encoded field). */
  public ProtoWriter raw(byte[] b, int off, int n) {
    ensure(n);
    System.arraycopy(b, off, buf, len, n);
    len += n;
    return this;
  }

  public int size() {
    return len;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }

  private void tag(int field, int wireType) {
    rawVarint(((long) field << 3) | wireType);
  }

  private void rawVarint(long v) {
    ensure(10);
    while ((v & ~0x7fL) != 0) {
      buf[len++] = (byte) ((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    buf[len++] = (byte) v;
  }

  private void rawFixed64(long v) {
    ensure(8);
    for (int i = 0; i < 8; i++) {
      buf[len++] = (byte) (v >>> (8 * i));
    }
  }

  private void ensure(int n) {
    if (len + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }
  }
}
