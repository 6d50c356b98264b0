package dev.vigil.metrics.exposition;

/** Escaping rules of the text exposition formats, shared by the parsers here and the scraper. */
public final class Escapes {
  private Escapes() {}

  /**
   * Undoes the escapes of an OpenMetrics HELP text ({@code \n}, {@code \\}, {@code \"}); any other
   * backslash sequence is kept as written. Returns {@code s} itself when it holds no backslash.
   */
  public static String unescapeHelp(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char n = s.charAt(++i);
        switch (n) {
          case 'n' -> sb.append('\n');
          case '\\' -> sb.append('\\');
          case '"' -> sb.append('"');
          default -> sb.append('\\').append(n);
        }
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
