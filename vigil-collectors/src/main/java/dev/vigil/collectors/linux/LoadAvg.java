package dev.vigil.collectors.linux;

/**
 * The parsed content of {@code /proc/loadavg}.
 *
 * {@snippet :
 * LoadAvg load = LoadAvg.parse(ProcFs.system().read("loadavg"));
 * }
 *
 * @param load1 1-minute load average
 * @param load5 5-minute load average
 * @param load15 15-minute load average
 * @param runnable scheduling entities (threads) currently runnable
 * @param threads scheduling entities (threads) that exist on the system
 * @param lastPid the most recently assigned process id
 */
public record LoadAvg(
    double load1, double load5, double load15, long runnable, long threads, long lastPid) {

  /**
   * Parses {@code "0.23 0.07 0.02 3/102 5979"}.
   *
   * @throws ParseException when the line does not have that shape
   */
  public static LoadAvg parse(String text) {
    String[] f = text.trim().split("\\s+");
    if (f.length < 5 || f[3].indexOf('/') < 0) {
      throw new ParseException(
          "/proc/loadavg",
          1,
          "expected 'l1 l5 l15 runnable/total lastpid', got '" + text.trim() + "'");
    }
    try {
      int slash = f[3].indexOf('/');
      return new LoadAvg(
          Double.parseDouble(f[0]),
          Double.parseDouble(f[1]),
          Double.parseDouble(f[2]),
          Long.parseLong(f[3].substring(0, slash)),
          Long.parseLong(f[3].substring(slash + 1)),
          Long.parseLong(f[4]));
    } catch (NumberFormatException e) {
      throw new ParseException("/proc/loadavg", 1, "not a number: " + e.getMessage());
    }
  }
}
