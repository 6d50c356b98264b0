package dev.vigil.collectors.linux;

/**
 * Memory and thread fields of {@code /proc/<pid>/status}, which states sizes in kB and so needs no
 * page size.
 *
 * {@snippet :
 * ProcessStatus s = ProcessStatus.parse(ProcFs.system().read("self/status"));
 * }
 *
 * @param virtualBytes {@code VmSize} in bytes, -1 when absent (kernel threads)
 * @param residentBytes {@code VmRSS} in bytes, -1 when absent
 * @param threads {@code Threads}, -1 when absent
 */
public record ProcessStatus(long virtualBytes, long residentBytes, long threads) {

  /**
   * Parses the text of {@code /proc/<pid>/status}, ignoring the fields it does not need.
   *
   * @throws ParseException naming the line when a needed field is not a number
   */
  public static ProcessStatus parse(String text) {
    long vm = -1, rss = -1, threads = -1;
    int lineNo = 0;
    for (String line : text.split("\n")) {
      lineNo++;
      if (line.startsWith("VmSize:")) {
        vm = kb(line, lineNo) * 1024;
      } else if (line.startsWith("VmRSS:")) {
        rss = kb(line, lineNo) * 1024;
      } else if (line.startsWith("Threads:")) {
        threads = kb(line, lineNo);
      }
    }
    return new ProcessStatus(vm, rss, threads);
  }

  private static long kb(String line, int lineNo) {
    String[] f = line.substring(line.indexOf(':') + 1).trim().split("\\s+");
    try {
      return Long.parseLong(f[0]);
    } catch (NumberFormatException e) {
      throw new ParseException("/proc/<pid>/status", lineNo, "not a number: " + line.trim());
    }
  }
}
