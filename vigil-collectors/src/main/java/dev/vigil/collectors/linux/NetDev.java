package dev.vigil.collectors.linux;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The parsed content of {@code /proc/net/dev}: traffic counters per network interface.
 *
 * {@snippet :
 * for (NetDev.Interface i : NetDev.parse(ProcFs.system().read("net/dev"), null)) {
 *   long rx = i.receive()[NetDev.BYTES];
 * }
 * }
 */
public final class NetDev {

  /** Index of the bytes counter in {@link Interface#receive()} and {@link Interface#transmit()}. */
  public static final int BYTES = 0;

  /** Index of packets. */
  public static final int PACKETS = 1;

  /** Index of errors. */
  public static final int ERRS = 2;

  /** Index of drops. */
  public static final int DROP = 3;

  /** Receive column names, as node_exporter suffixes them. */
  public static final List<String> RECEIVE_COLUMNS =
      List.of("bytes", "packets", "errs", "drop", "fifo", "frame", "compressed", "multicast");

  /** Transmit column names, as node_exporter suffixes them. */
  public static final List<String> TRANSMIT_COLUMNS =
      List.of("bytes", "packets", "errs", "drop", "fifo", "colls", "carrier", "compressed");

  private NetDev() {}

  /**
   * One interface's counters.
   *
   * @param name interface name
   * @param receive receive counters in {@link #RECEIVE_COLUMNS} order
   * @param transmit transmit counters in {@link #TRANSMIT_COLUMNS} order
   */
  public record Interface(String name, long[] receive, long[] transmit) {}

  /**
   * Parses the text of {@code /proc/net/dev} (two header lines, then {@code name: 16 numbers}).
   *
   * @param exclude interfaces whose names match are skipped; null keeps all
   * @throws ParseException naming the line when it has no colon or not 16 numbers
   */
  public static List<Interface> parse(String text, Pattern exclude) {
    List<Interface> out = new ArrayList<>();
    String[] lines = text.split("\n");
    for (int n = 2; n < lines.length; n++) {
      String line = lines[n];
      if (line.isBlank()) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon < 0) {
        throw new ParseException("/proc/net/dev", n + 1, "no 'name:' in '" + line.trim() + "'");
      }
      String name = line.substring(0, colon).trim();
      if (exclude != null && exclude.matcher(name).matches()) {
        continue;
      }
      String[] f = line.substring(colon + 1).trim().split("\\s+");
      if (f.length < 16) {
        throw new ParseException(
            "/proc/net/dev", n + 1, name + ": expected 16 counters, got " + f.length);
      }
      long[] rx = new long[8];
      long[] tx = new long[8];
      try {
        for (int i = 0; i < 8; i++) {
          rx[i] = Long.parseLong(f[i]);
          tx[i] = Long.parseLong(f[i + 8]);
        }
      } catch (NumberFormatException e) {
        throw new ParseException(
            "/proc/net/dev", n + 1, name + ": not a number: " + e.getMessage());
      }
      out.add(new Interface(name, rx, tx));
    }
    return out;
  }
}
