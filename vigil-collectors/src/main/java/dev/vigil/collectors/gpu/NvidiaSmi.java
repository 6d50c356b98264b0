package dev.vigil.collectors.gpu;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses the CSV that {@code nvidia-smi --query-gpu=<fields> --format=csv,nounits} prints.
 *
 * {@snippet :
 * List<NvidiaSmi.Gpu> gpus = NvidiaSmi.parse(output);
 * }
 *
 * <p>The header line maps columns by name, so the field order may change between driver versions.
 * Values the driver cannot read ({@code [N/A]}, {@code [Not Supported]}, {@code N/A}) parse as NaN,
 * and the collector omits those series instead of exporting a made-up zero.
 */
public final class NvidiaSmi {

  /** The fields Vigil queries, in the order it asks for them. */
  public static final String QUERY_FIELDS =
      "index,uuid,name,utilization.gpu,utilization.memory,memory.used,memory.total,"
          + "temperature.gpu,power.draw,power.limit,fan.speed";

  private NvidiaSmi() {}

  /**
   * One GPU's readings. Percentages are ratios 0–1, memory in bytes (nvidia-smi prints MiB), power
   * in watts, temperature in degrees Celsius; NaN when not supported.
   *
   * @param index the GPU index
   * @param uuid the GPU UUID
   * @param name the product name
   * @param utilizationRatio GPU busy time ratio over the driver's sample period
   * @param memoryUtilizationRatio memory controller busy ratio
   * @param memoryUsedBytes memory used
   * @param memoryTotalBytes memory installed
   * @param temperatureCelsius core temperature
   * @param powerWatts power draw
   * @param powerLimitWatts power limit
   * @param fanRatio fan speed as a ratio of its maximum
   */
  public record Gpu(
      String index,
      String uuid,
      String name,
      double utilizationRatio,
      double memoryUtilizationRatio,
      double memoryUsedBytes,
      double memoryTotalBytes,
      double temperatureCelsius,
      double powerWatts,
      double powerLimitWatts,
      double fanRatio) {}

  /**
   * Parses nvidia-smi CSV output with its header line.
   *
   * @return one entry per GPU line; empty for empty output
   * @throws IllegalArgumentException naming the line when it has a different number of columns than
   *     the header, or when the header has no {@code index} column
   */
  public static List<Gpu> parse(String csv) {
    String[] lines = csv.replace("\r", "").split("\n");
    List<Gpu> gpus = new ArrayList<>();
    int first = 0;
    while (first < lines.length && lines[first].isBlank()) {
      first++;
    }
    if (first == lines.length) {
      return gpus;
    }
    String[] header = splitCsv(lines[first]);
    Map<String, Integer> col = new HashMap<>();
    for (int i = 0; i < header.length; i++) {
      String h = header[i];
      int unit = h.indexOf(" [");
      col.put((unit >= 0 ? h.substring(0, unit) : h).trim().toLowerCase(Locale.ROOT), i);
    }
    if (!col.containsKey("index")) {
      throw new IllegalArgumentException(
          "nvidia-smi output line "
              + (first + 1)
              + ": header has no 'index' column: "
              + lines[first]);
    }
    for (int n = first + 1; n < lines.length; n++) {
      if (lines[n].isBlank()) {
        continue;
      }
      String[] v = splitCsv(lines[n]);
      if (v.length != header.length) {
        throw new IllegalArgumentException(
            "nvidia-smi output line "
                + (n + 1)
                + ": expected "
                + header.length
                + " columns as in the header, got "
                + v.length);
      }
      gpus.add(
          new Gpu(
              text(v, col, "index"),
              text(v, col, "uuid"),
              text(v, col, "name"),
              number(v, col, "utilization.gpu") / 100,
              number(v, col, "utilization.memory") / 100,
              number(v, col, "memory.used") * 1024 * 1024,
              number(v, col, "memory.total") * 1024 * 1024,
              number(v, col, "temperature.gpu"),
              number(v, col, "power.draw"),
              number(v, col, "power.limit"),
              number(v, col, "fan.speed") / 100));
    }
    return gpus;
  }

  private static String[] splitCsv(String line) {
    String[] parts = line.split(",");
    for (int i = 0; i < parts.length; i++) {
      parts[i] = parts[i].trim();
    }
    return parts;
  }

  private static String text(String[] v, Map<String, Integer> col, String name) {
    Integer i = col.get(name);
    return i == null ? "" : v[i];
  }

  private static double number(String[] v, Map<String, Integer> col, String name) {
    Integer i = col.get(name);
    if (i == null) {
      return Double.NaN;
    }
    String s = v[i];
    // Without nounits the value carries its unit ("35 %", "2048 MiB", "112.34 W").
    int space = s.indexOf(' ');
    if (space > 0 && !s.startsWith("[")) {
      s = s.substring(0, space);
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return Double.NaN; // [N/A], [Not Supported], N/A
    }
  }
}
