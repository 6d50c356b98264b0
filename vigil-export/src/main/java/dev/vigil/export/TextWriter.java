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
  private final byte[] buf = new byte[1 << 16];
  private int pos;

  TextWriter(OutputStream out) {
    this.out = out;
  }

  /**
   * Writes {@link #line} and clears it. A {@code Writer} would copy the builder into a String and
   * encode it through a CharsetEncoder; metric text is nearly all ASCII, so a byte loop does it
   * without garbage (about a third of the JSON lines export's time went there).
   */
  protected final void emit() throws IOException {
    int n = line.length();
    for (int i = 0; i < n; i++) {
      char c = line.charAt(i);
      if (c >= 0x80) {
        emitUtf8(i, n);
        break;
      }
      if (pos == buf.length) {
        out.write(buf, 0, pos);
        pos = 0;
      }
      buf[pos++] = (byte) c;
    }
    line.setLength(0);
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
