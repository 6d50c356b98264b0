package dev.vigil.ingest.imports;

/**
 * A line of an import that does not parse: nothing of it is stored.
 *
 * @param line 1-based line number in the input
 * @param column 1-based column (in characters) where the problem was found
 * @param message what is wrong
 */
public record LineError(long line, int column, String message) {
  @Override
  public String toString() {
    return "line " + line + " column " + column + ": " + message;
  }
}
