package dev.vigil.collectors.linux;

/** A kernel file did not have the expected shape; the message names the file and the line. */
public final class ParseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception naming the file and line that could not be parsed.
   *
   * @param file the kernel file, e.g. {@code /proc/stat}
   * @param line the 1-based line number
   * @param problem what was wrong
   */
  public ParseException(String file, int line, String problem) {
    super(file + " line " + line + ": " + problem);
  }
}
