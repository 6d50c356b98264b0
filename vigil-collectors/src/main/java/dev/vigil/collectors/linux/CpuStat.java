package dev.vigil.collectors.linux;

import java.util.ArrayList;
import java.util.List;

/**
 * The parsed content of {@code /proc/stat}: CPU time per mode (all CPUs and per CPU), context
 * switches, interrupts, forks, boot time and runnable/blocked process counts.
 *
 * {@snippet :
 * CpuStat stat = CpuStat.parse(ProcFs.system().read("stat"));
 * double idle = stat.total().seconds(CpuStat.IDLE);
 * }
 *
 * <p>Immutable. Times are in seconds, converted from the kernel's USER_HZ ticks (100 per second on
 * every Linux architecture Vigil runs on; node_exporter assumes the same).
 *
 * @param total the aggregate {@code cpu} line
 * @param perCpu one entry per {@code cpuN} line, in file order
 * @param contextSwitches {@code ctxt}
 * @param interrupts the first number of {@code intr} (all interrupts serviced)
 * @param bootTimeSeconds {@code btime}, seconds since the epoch
 * @param forks {@code processes}: processes and threads created since boot
 * @param procsRunning {@code procs_running}
 * @param procsBlocked {@code procs_blocked}
 */
public record CpuStat(
    Cpu total,
    List<Cpu> perCpu,
    long contextSwitches,
    long interrupts,
    long bootTimeSeconds,
    long forks,
    long procsRunning,
    long procsBlocked) {

  /** Kernel ticks per second ({@code sysconf(_SC_CLK_TCK)}). */
  public static final double USER_HZ = 100.0;

  /** Index of user time in {@link Cpu#ticks()}. */
  public static final int USER = 0;

  /** Index of nice time. */
  public static final int NICE = 1;

  /** Index of system time. */
  public static final int SYSTEM = 2;

  /** Index of idle time. */
  public static final int IDLE = 3;

  /** Index of iowait time. */
  public static final int IOWAIT = 4;

  /** Index of irq time. */
  public static final int IRQ = 5;

  /** Index of softirq time. */
  public static final int SOFTIRQ = 6;

  /** Index of steal time. */
  public static final int STEAL = 7;

  /** Index of guest time (already included in user). */
  public static final int GUEST = 8;

  /** Index of guest nice time (already included in nice). */
  public static final int GUEST_NICE = 9;

  /** Mode names in index order, as node_exporter labels them. */
  public static final List<String> MODES =
      List.of(
          "user",
          "nice",
          "system",
          "idle",
          "iowait",
          "irq",
          "softirq",
          "steal",
          "guest",
          "guest_nice");

  /** The number of mode columns the parser keeps (older kernels print fewer; those read 0). */
  public static final int MODE_COUNT = 10;

  public CpuStat {
    perCpu = List.copyOf(perCpu);
  }

  /**
   * CPU ticks of one line of {@code /proc/stat}.
   *
   * @param cpu the CPU number, or -1 for the aggregate line
   * @param ticks ticks per mode, indexed by {@link #USER} … {@link #GUEST_NICE}
   */
  public record Cpu(int cpu, long[] ticks) {

    /** Returns the time spent in a mode, in seconds. */
    public double seconds(int mode) {
      return ticks[mode] / USER_HZ;
    }

    /** Returns all ticks except guest ones (already counted in user and nice). */
    public long totalTicks() {
      long sum = 0;
      for (int i = 0; i < GUEST; i++) {
        sum += ticks[i];
      }
      return sum;
    }

    /** Returns idle plus iowait ticks: the time the CPU was not busy. */
    public long idleTicks() {
      return ticks[IDLE] + ticks[IOWAIT];
    }
  }

  /**
   * Parses the text of {@code /proc/stat}.
   *
   * @throws ParseException naming the line when a number is malformed or the {@code cpu} line is
   *     missing
   */
  public static CpuStat parse(String text) {
    Cpu total = null;
    List<Cpu> perCpu = new ArrayList<>();
    long ctxt = 0, intr = 0, btime = 0, forks = 0, running = 0, blocked = 0;
    int lineNo = 0;
    for (String line : text.split("\n")) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.trim().split("\\s+");
      String key = f[0];
      if (key.startsWith("cpu")) {
        int cpu = -1;
        if (key.length() > 3) {
          cpu = (int) number(f, 0, key.substring(3), lineNo);
        }
        long[] ticks = new long[MODE_COUNT];
        for (int i = 1; i < f.length && i <= MODE_COUNT; i++) {
          ticks[i - 1] = number(f, i, f[i], lineNo);
        }
        Cpu c = new Cpu(cpu, ticks);
        if (cpu < 0) {
          total = c;
        } else {
          perCpu.add(c);
        }
      } else if (f.length >= 2) {
        switch (key) {
          case "ctxt" -> ctxt = number(f, 1, f[1], lineNo);
          case "intr" -> intr = number(f, 1, f[1], lineNo);
          case "btime" -> btime = number(f, 1, f[1], lineNo);
          case "processes" -> forks = number(f, 1, f[1], lineNo);
          case "procs_running" -> running = number(f, 1, f[1], lineNo);
          case "procs_blocked" -> blocked = number(f, 1, f[1], lineNo);
          default -> {}
        }
      }
    }
    if (total == null) {
      throw new ParseException("/proc/stat", 1, "no aggregate 'cpu' line");
    }
    return new CpuStat(total, perCpu, ctxt, intr, btime, forks, running, blocked);
  }

  private static long number(String[] fields, int index, String s, int lineNo) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new ParseException(
          "/proc/stat",
          lineNo,
          "field " + (index + 1) + " of '" + fields[0] + "' is not a number: " + s);
    }
  }
}
