package dev.vigil.export;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * The base of the text formats: one reused line buffer, written through a 64 KiB buffered writer to
 * a stream the caller owns (flushed, not closed).
 */
abstract class TextWriter implements SeriesWriter {
  protected final StringBuilder line = new StringBuilder(256);
  private final Writer out;

  TextWriter(OutputStream out) {
    this.out =
        new java.io.BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
  }

  /** Writes {@link #line} and clears it. */
  protected final void emit() throws IOException {
    out.append(line);
    line.setLength(0);
  }

  @Override
  public void finish() throws IOException {
    emit();
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.flush();
  }
}
