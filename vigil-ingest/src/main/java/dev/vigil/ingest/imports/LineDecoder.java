package dev.vigil.ingest.imports;

import java.util.List;

/**
 * Decodes one line of an import format into samples. A decoder adds to {@code out} only once the
 * whole line has parsed, so a line that fails contributes nothing.
 *
 * <p>Implementations may keep state between lines (a CSV header), so one decoder reads one input.
 */
public interface LineDecoder {
  /**
   * Decodes {@code line} (no line terminator; never blank nor a {@code #} comment).
   *
   * @throws ImportLineException naming the 1-based column of the problem
   */
  void decode(String line, List<ImportedSample> out);

  /** A line that does not parse. */
  final class ImportLineException extends IllegalArgumentException {
    private final int column;

    public ImportLineException(String message, int column) {
      super(message);
      this.column = column;
    }

    /** 1-based column of the problem. */
    public int column() {
      return column;
    }
  }
}
