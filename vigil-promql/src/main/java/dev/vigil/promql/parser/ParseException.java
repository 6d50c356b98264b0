package dev.vigil.promql.parser;

/**
 * A query that does not parse or type-check. The message reads as Prometheus' does, with the
 * 1-based line and column: {@code 1:14: parse error: unexpected end of input}.
 */
public final class ParseException extends RuntimeException {
  private final int line;
  private final int column;
  private final String detail;

  ParseException(String query, int pos, String detail) {
    super(format(query, pos, detail));
    int[] lc = lineCol(query, pos);
    this.line = lc[0];
    this.column = lc[1];
    this.detail = detail;
  }

  private static String format(String query, int pos, String detail) {
    int[] lc = lineCol(query, pos);
    return lc[0] + ":" + lc[1] + ": parse error: " + detail;
  }

  private static int[] lineCol(String query, int pos) {
    int line = 1;
    int col = 1;
    for (int i = 0; i < Math.min(pos, query.length()); i++) {
      if (query.charAt(i) == '\n') {
        line++;
        col = 1;
      } else {
        col++;
      }
    }
    return new int[] {line, col};
  }

  /** 1-based line of the error. */
  public int line() {
    return line;
  }

  /** 1-based column of the error. */
  public int column() {
    return column;
  }

  /** The message without the position prefix. */
  public String detail() {
    return detail;
  }
}
