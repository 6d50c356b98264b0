package dev.vigil.metrics.exposition;

/**
 * A text exposition could not be parsed. The message reads {@code line N: what is wrong (column
 * C)}; {@link #line()} and {@link #column()} locate it (both 1-based; column 0 when the problem is
 * the line as a whole).
 */
public final class ExpositionParseException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int line;
  private final int column;

  /** An error at a line and column. */
  public ExpositionParseException(int line, int column, String problem) {
    super("line " + line + ": " + problem + (column > 0 ? " (column " + column + ")" : ""));
    this.line = line;
    this.column = column;
  }

  /** The 1-based line number. */
  public int line() {
    return line;
  }

  /** The 1-based column, or 0 when not applicable. */
  public int column() {
    return column;
  }
}
