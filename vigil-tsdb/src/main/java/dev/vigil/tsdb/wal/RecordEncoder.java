package dev.vigil.tsdb.wal;

import dev.vigil.model.Labels;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Builds framed WAL records into a reusable buffer: {@code type u8, length u32, crc32c u32,
 * payload}. One encoder per appender; not thread-safe.
 */
public final class RecordEncoder {
  /** Frame header: type, payload length, CRC32C of the payload. */
  public static final int HEADER = 9;

  private byte[] buf = new byte[4096];
  private int len;
  private int recordStart = -1;
  private final CRC32C crc = new CRC32C();

  public byte[] buffer() {
    return buf;
  }

  public int length() {
    return len;
  }

  public void reset() {
    len = 0;
    recordStart = -1;
  }

  /** Starts a record; the payload follows through the put methods, then {@link #end()}. */
  public void begin(byte type) {
    ensure(HEADER);
    recordStart = len;
    buf[len] = type;
    len += HEADER;
  }

  /** Finishes the current record: fills in length and CRC. */
  public void end() {
    int payload = len - recordStart - HEADER;
    putInt(recordStart + 1, payload);
    crc.reset();
    crc.update(buf, recordStart + HEADER, payload);
    putInt(recordStart + 5, (int) crc.getValue());
    recordStart = -1;
  }

  /** Appends one whole series record entry (call between begin(SERIES) and end()). */
  public void series(long ref, Labels labels) {
    uvarint(ref);
    uvarint(labels.size());
    for (int i = 0; i < labels.size(); i++) {
      string(labels.name(i));
      string(labels.value(i));
    }
  }

  public void string(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    uvarint(b.length);
    ensure(b.length);
    System.arraycopy(b, 0, buf, len, b.length);
    len += b.length;
  }

  public void uvarint(long v) {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      buf[len++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[len++] = (byte) v;
  }

  public void varint(long v) {
    uvarint((v << 1) ^ (v >> 63));
  }

  public void long64(long v) {
    ensure(8);
    for (int i = 56; i >= 0; i -= 8) {
      buf[len++] = (byte) (v >>> i);
    }
  }

  /**
   * Appends one sample entry of a SAMPLES record: zigzag varints of the ref and time deltas, then
   * the value's 8 bytes big-endian. The same bytes as {@code varint(dRef); varint(dT);
   * long64(bits)}, with one capacity check.
   */
  public void sample(long dRef, long dT, long bits) {
    if (len + 28 > buf.length) {
      ensure(28);
    }
    byte[] b = buf;
    int p = len;
    long u = (dRef << 1) ^ (dRef >> 63);
    while ((u & ~0x7FL) != 0) {
      b[p++] = (byte) ((u & 0x7F) | 0x80);
      u >>>= 7;
    }
    b[p++] = (byte) u;
    u = (dT << 1) ^ (dT >> 63);
    while ((u & ~0x7FL) != 0) {
      b[p++] = (byte) ((u & 0x7F) | 0x80);
      u >>>= 7;
    }
    b[p++] = (byte) u;
    b[p] = (byte) (bits >>> 56);
    b[p + 1] = (byte) (bits >>> 48);
    b[p + 2] = (byte) (bits >>> 40);
    b[p + 3] = (byte) (bits >>> 32);
    b[p + 4] = (byte) (bits >>> 24);
    b[p + 5] = (byte) (bits >>> 16);
    b[p + 6] = (byte) (bits >>> 8);
    b[p + 7] = (byte) bits;
    len = p + 8;
  }

  private void putInt(int at, int v) {
    buf[at] = (byte) (v >>> 24);
    buf[at + 1] = (byte) (v >>> 16);
    buf[at + 2] = (byte) (v >>> 8);
    buf[at + 3] = (byte) v;
  }

  private void ensure(int more) {
    if (len + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(len + more, buf.length * 2));
    }
  }
}
