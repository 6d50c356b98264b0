package dev.vigil.ingest.imports;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an import line by line through a {@link LineDecoder}, in chunks: each call to {@link #next}
 * returns the samples of the next lines that parsed, and the errors of those that did not. Blank
 * lines and lines starting with {@code #} are skipped. Memory is bounded by the chunk size, not the
 * input.
 *
 * <pre>{@code
 * ImportReader r = new ImportReader(reader, new JsonLinesDecoder());
 * for (ImportReader.Chunk c; (c = r.next(10_000)) != null; ) { store(c.samples()); report(c.errors()); }
 * }</pre>
 *
 * <p>Not thread-safe.
 */
public final class ImportReader {
  /** The outcome of reading some lines: good lines' samples and bad lines' errors. */
  public record Chunk(List<ImportedSample> samples, List<LineError> errors) {}

  private final BufferedReader in;
  private final LineDecoder decoder;
  private long lineNo;

  public ImportReader(BufferedReader in, LineDecoder decoder) {
    this.in = in;
    this.decoder = decoder;
  }

  /** Lines read so far. */
  public long lines() {
    return lineNo;
  }

  /**
   * Reads lines until at least {@code minSamples} samples were decoded (a line is never split) or
   * the input ends; null when the input had nothing left.
   */
  public Chunk next(int minSamples) throws IOException {
    List<ImportedSample> samples = new ArrayList<>();
    List<LineError> errors = new ArrayList<>();
    boolean any = false;
    String line;
    while (samples.size() < minSamples && (line = in.readLine()) != null) {
      any = true;
      lineNo++;
      if (line.isBlank() || line.stripLeading().startsWith("#")) {
        continue;
      }
      try {
        decoder.decode(line, samples);
      } catch (LineDecoder.ImportLineException e) {
        errors.add(new LineError(lineNo, e.column(), e.getMessage()));
      }
    }
    return any ? new Chunk(samples, errors) : null;
  }
}
