package dev.vigil.collectors.linux;

/**
 * The parsed content of {@code /proc/sys/fs/file-nr}: system-wide file handles.
 *
 * @param allocated allocated file handles
 * @param maximum the system limit ({@code fs.file-max})
 */
public record FileNr(long allocated, long maximum) {

  /**
   * Parses {@code "allocated unused maximum"}.
   *
   * @throws ParseException when the line does not have three numbers
   */
  public static FileNr parse(String text) {
    String[] f = text.trim().split("\\s+");
    if (f.length < 3) {
      throw new ParseException("/proc/sys/fs/file-nr", 1, "expected 3 numbers, got " + f.length);
    }
    try {
      return new FileNr(Long.parseLong(f[0]), Long.parseLong(f[2]));
    } catch (NumberFormatException e) {
      throw new ParseException("/proc/sys/fs/file-nr", 1, "not a number: " + e.getMessage());
    }
  }

  /**
   * Returns the soft limit of open files from the text of {@code /proc/<pid>/limits}, or -1 when it
   * is unlimited or missing.
   */
  public static long maxOpenFiles(String limitsText) {
    for (String line : limitsText.split("\n")) {
      if (line.startsWith("Max open files")) {
        String[] f = line.substring("Max open files".length()).trim().split("\\s+");
        if (f.length > 0 && !f[0].equals("unlimited")) {
          try {
            return Long.parseLong(f[0]);
          } catch (NumberFormatException e) {
            throw new ParseException("/proc/<pid>/limits", 0, "Max open files: " + f[0]);
          }
        }
        return -1;
      }
    }
    return -1;
  }
}
