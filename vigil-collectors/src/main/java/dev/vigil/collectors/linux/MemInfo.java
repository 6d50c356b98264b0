package dev.vigil.collectors.linux;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parsed content of {@code /proc/meminfo}: every field, in file order, with {@code kB} values
 * converted to bytes.
 *
 * {@snippet :
 * MemInfo mem = MemInfo.parse(ProcFs.system().read("meminfo"));
 * long available = mem.bytes("MemAvailable");
 * }
 *
 * <p>Immutable. Fields without a unit (the {@code HugePages_*} counts) are kept as plain numbers;
 * {@link #isBytes(String)} tells which is which.
 */
public final class MemInfo {

  private final Map<String, Long> values;
  private final Map<String, Boolean> inBytes;

  private MemInfo(Map<String, Long> values, Map<String, Boolean> inBytes) {
    this.values = Collections.unmodifiableMap(values);
    this.inBytes = Collections.unmodifiableMap(inBytes);
  }

  /**
   * Parses the text of {@code /proc/meminfo}.
   *
   * @throws ParseException naming the line when it is not {@code Name: number [kB]}
   */
  public static MemInfo parse(String text) {
    Map<String, Long> values = new LinkedHashMap<>();
    Map<String, Boolean> inBytes = new LinkedHashMap<>();
    int lineNo = 0;
    for (String line : text.split("\n")) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new ParseException("/proc/meminfo", lineNo, "no 'Name:' in '" + line + "'");
      }
      String name = line.substring(0, colon);
      String[] rest = line.substring(colon + 1).trim().split("\\s+");
      long value;
      try {
        value = Long.parseLong(rest[0]);
      } catch (NumberFormatException e) {
        throw new ParseException("/proc/meminfo", lineNo, name + " is not a number: " + rest[0]);
      }
      boolean kb = rest.length > 1 && rest[1].equalsIgnoreCase("kB");
      values.put(name, kb ? value * 1024 : value);
      inBytes.put(name, kb);
    }
    return new MemInfo(values, inBytes);
  }

  /** Returns every field in file order: bytes for {@code kB} fields, plain counts otherwise. */
  public Map<String, Long> values() {
    return values;
  }

  /** Returns whether a field is a size in bytes (it had a {@code kB} unit). */
  public boolean isBytes(String name) {
    return inBytes.getOrDefault(name, false);
  }

  /**
   * Returns a field's value in bytes, or -1 when the kernel does not report it.
   *
   * @param name the field name as in the file, e.g. {@code MemAvailable}
   */
  public long bytes(String name) {
    Long v = values.get(name);
    return v == null ? -1 : v;
  }

  /**
   * Returns available memory: {@code MemAvailable}, or on kernels older than 3.14 the classic
   * estimate {@code MemFree + Buffers + Cached}.
   */
  public long available() {
    long a = bytes("MemAvailable");
    if (a >= 0) {
      return a;
    }
    return Math.max(0, bytes("MemFree"))
        + Math.max(0, bytes("Buffers"))
        + Math.max(0, bytes("Cached"));
  }

  /** Returns used memory: {@code MemTotal - available()}. */
  public long used() {
    return Math.max(0, bytes("MemTotal") - available());
  }
}
