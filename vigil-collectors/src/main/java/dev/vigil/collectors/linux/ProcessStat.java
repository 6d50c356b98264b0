package dev.vigil.collectors.linux;

/**
 * The fields of {@code /proc/<pid>/stat} a process collector needs.
 *
 * {@snippet :
 * ProcessStat s = ProcessStat.parse(ProcFs.system().read("self/stat"));
 * double cpu = s.cpuSeconds();
 * }
 *
 * @param pid process id
 * @param comm the command name, without the parentheses (it may contain spaces and parentheses)
 * @param state one-letter state, e.g. {@code R}
 * @param utimeTicks user CPU time in ticks
 * @param stimeTicks system CPU time in ticks
 * @param threads number of threads
 * @param startTicks start time in ticks after boot
 * @param vsizeBytes virtual memory size in bytes
 * @param rssPages resident set size in pages
 */
public record ProcessStat(
    long pid,
    String comm,
    char state,
    long utimeTicks,
    long stimeTicks,
    long threads,
    long startTicks,
    long vsizeBytes,
    long rssPages) {

  /** Returns user plus system CPU time in seconds. */
  public double cpuSeconds() {
    return (utimeTicks + stimeTicks) / CpuStat.USER_HZ;
  }

  /** Returns the start time in seconds since the epoch, given the boot time from /proc/stat. */
  public double startTimeSeconds(long bootTimeSeconds) {
    return bootTimeSeconds + startTicks / CpuStat.USER_HZ;
  }

  /**
   * Parses one line of {@code /proc/<pid>/stat}. The command name is taken up to the last {@code
   * ')'} so names such as {@code "a) b ("} parse right.
   *
   * @throws ParseException when the line is too short or a field is not a number
   */
  public static ProcessStat parse(String text) {
    int open = text.indexOf('(');
    int close = text.lastIndexOf(')');
    if (open < 0 || close < open) {
      throw new ParseException("/proc/<pid>/stat", 1, "no '(comm)' field");
    }
    String[] f = text.substring(close + 1).trim().split("\\s+");
    // f[0] is field 3 (state); field k of proc(5) is f[k - 3].
    if (f.length < 22) {
      throw new ParseException(
          "/proc/<pid>/stat", 1, "expected at least 24 fields, got " + (f.length + 2));
    }
    try {
      return new ProcessStat(
          Long.parseLong(text.substring(0, open).trim()),
          text.substring(open + 1, close),
          f[0].charAt(0),
          Long.parseLong(f[14 - 3]),
          Long.parseLong(f[15 - 3]),
          Long.parseLong(f[20 - 3]),
          Long.parseLong(f[22 - 3]),
          Long.parseLong(f[23 - 3]),
          Long.parseLong(f[24 - 3]));
    } catch (NumberFormatException e) {
      throw new ParseException("/proc/<pid>/stat", 1, "not a number: " + e.getMessage());
    }
  }
}
