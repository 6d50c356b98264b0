package dev.vigil.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The base of the text formats: lines are built in one reused {@link StringBuilder} and copied into
 * a 64 KiB byte buffer, ASCII by a plain loop, anything else through UTF-8; written to a stream the
 * caller owns (flushed, not closed).
 */
abstract class TextWriter implements SeriesWriter {
  protected final StringBuilder line = new StringBuilder(16 << 10);
  private final OutputStream out;

  /** The output buffer; a writer may fill it directly after {@link #reserve} (then it sets pos). */
  final byte[] buf = new byte[1 << 16];

  int pos;
  private char[] chars = new char[16 << 10];

  TextWriter(OutputStream out) {
    this.out = out;
  }

  /**
   * Writes {@link #line} and clears it. A {@code Writer} would copy the builder into a String and
   * encode it through a CharsetEncoder; metric text is nearly all ASCII, so a byte loop over the
   * builder's characters does it without garbage.
   */
  protected final void emit() throws IOException {
    int n = line.length();
    if (n > buf.length - pos) {
      out.write(buf, 0, pos);
      pos = 0;
    }
    if (n > buf.length) {
      emitUtf8(0, n);
      line.setLength(0);
      return;
    }
    if (chars.length < n) {
      chars = new char[Math.max(n, 2 * chars.length)];
    }
    line.getChars(0, n, chars, 0);
    char[] c = chars;
    byte[] b = buf;
    int p = pos;
    for (int i = 0; i < n; i++) {
      char ch = c[i];
      if (ch >= 0x80) {
        pos = p;
        emitUtf8(i, n);
        line.setLength(0);
        return;
      }
      b[p++] = (byte) ch;
    }
    pos = p;
    line.setLength(0);
  }

  /**
   * Makes room for {@code n <= 65536} bytes at {@link #buf}[{@link #pos}], writing the buffer out
   * when it has less. {@link #line} must be empty (emitted).
   */
  final void reserve(int n) throws IOException {
    if (n > buf.length - pos) {
      out.write(buf, 0, pos);
      pos = 0;
    }
  }

  /** Appends bytes to the buffer (directly to the stream when longer than it). */
  final void writeBytes(byte[] b) throws IOException {
    if (b.length > buf.length) {
      reserve(buf.length);
      out.write(b);
      return;
    }
    reserve(b.length);
    System.arraycopy(b, 0, buf, pos, b.length);
    pos += b.length;
  }

  /** The rest of the line from {@code from}, which holds a non-ASCII character. */
  private void emitUtf8(int from, int to) throws IOException {
    byte[] b = line.substring(from, to).getBytes(StandardCharsets.UTF_8);
    if (pos + b.length > buf.length) {
      out.write(buf, 0, pos);
      pos = 0;
    }
    if (b.length > buf.length) {
      out.write(b);
    } else {
      System.arraycopy(b, 0, buf, pos, b.length);
      pos += b.length;
    }
  }

  @Override
  public void finish() throws IOException {
    emit();
    flush();
  }

  private void flush() throws IOException {
    if (pos > 0) {
      out.write(buf, 0, pos);
      pos = 0;
    }
    out.flush();
  }

  @Override
  public void close() throws IOException {
    flush();
  }
}
