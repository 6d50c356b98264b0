package dev.vigil.metrics.exposition;

import dev.vigil.metrics.model.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes a scrape in one exposition format. Implementations are stateless and thread safe.
 *
 * <pre>{@code
 * ExpositionWriter w = ExpositionFormat.negotiate(request.getHeader("Accept")).writer();
 * response.setHeader("Content-Type", w.contentType());
 * w.write(response.getOutputStream(), registry.scrape());
 * }</pre>
 */
public interface ExpositionWriter {
  /** The HTTP Content-Type of the output, with version and charset. */
  String contentType();

  /** Writes every snapshot to {@code out} (UTF-8) and flushes it; does not close it. */
  void write(OutputStream out, MetricSnapshots snapshots) throws IOException;

  /** The exposition as a string. */
  default String toString(MetricSnapshots snapshots) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      write(out, snapshots);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
