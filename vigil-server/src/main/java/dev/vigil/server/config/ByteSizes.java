package dev.vigil.server.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parser for byte sizes in the configuration ({@code storage.retention.size}). */
final class ByteSizes {
  private static final Pattern BYTES = Pattern.compile("(\\d+)\\s*([KMGTP]?i?B)?");

  private ByteSizes() {}

  /**
   * Parses a byte size: a plain number of bytes, or with a unit B, KB, MB, GB, TB, PB (powers of
   * 1024, as Prometheus' {@code --storage.tsdb.retention.size}); KiB, MiB, ... are accepted too.
   */
  static long parseBytes(String s) {
    Matcher m = BYTES.matcher(s.trim().toUpperCase(Locale.ROOT).replace("IB", "iB"));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "invalid size \"" + s + "\" (use e.g. 1048576, 512KB, 10MB, 2GiB)");
    }
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("size \"" + s + "\" is too large");
    }
    String unit = m.group(2) == null ? "B" : m.group(2).replace("i", "");
    int shift =
        switch (unit) {
          case "B" -> 0;
          case "KB" -> 10;
          case "MB" -> 20;
          case "GB" -> 30;
          case "TB" -> 40;
          default -> 50;
        };
    if (shift > 0 && n > (Long.MAX_VALUE >> shift)) {
      throw new IllegalArgumentException("size \"" + s + "\" is too large");
    }
    return n << shift;
  }
}
