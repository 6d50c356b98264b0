package dev.vigil.collectors.linux;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The parsed content of {@code /proc/diskstats}: I/O counters per block device.
 *
 * {@snippet :
 * for (DiskStats.Device d : DiskStats.parse(ProcFs.system().read("diskstats"), DiskStats.DEFAULT_EXCLUDE)) {
 *   long bytesRead = d.sectorsRead() * DiskStats.SECTOR_BYTES;
 * }
 * }
 *
 * <p>See the kernel's {@code Documentation/admin-guide/iostats.rst} for the field meanings. Kernels
 * before 4.18 print 14 columns (no discards), before 5.5 18 (no flushes); missing fields read 0.
 */
public final class DiskStats {

  /** The kernel counts sectors in 512-byte units regardless of the device's sector size. */
  public static final long SECTOR_BYTES = 512;

  /**
   * Devices node_exporter skips by default: RAM disks, loop devices, floppies and partitions (whose
   * I/O the whole disk already counts).
   */
  public static final Pattern DEFAULT_EXCLUDE =
      Pattern.compile("^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\\d+n\\d+p)\\d+$");

  private DiskStats() {}

  /**
   * One device's counters.
   *
   * @param major device major number
   * @param minor device minor number
   * @param name device name, e.g. {@code vda}
   * @param readsCompleted reads completed successfully
   * @param readsMerged adjacent reads merged
   * @param sectorsRead sectors read (512 bytes each)
   * @param readTimeMs milliseconds spent reading
   * @param writesCompleted writes completed
   * @param writesMerged adjacent writes merged
   * @param sectorsWritten sectors written
   * @param writeTimeMs milliseconds spent writing
   * @param ioInProgress I/Os currently in progress
   * @param ioTimeMs milliseconds spent doing I/O (busy time)
   * @param weightedIoTimeMs weighted milliseconds doing I/O
   * @param discardsCompleted discards completed
   * @param discardsMerged discards merged
   * @param sectorsDiscarded sectors discarded
   * @param discardTimeMs milliseconds spent discarding
   * @param flushesCompleted flush requests completed
   * @param flushTimeMs milliseconds spent flushing
   */
  public record Device(
      int major,
      int minor,
      String name,
      long readsCompleted,
      long readsMerged,
      long sectorsRead,
      long readTimeMs,
      long writesCompleted,
      long writesMerged,
      long sectorsWritten,
      long writeTimeMs,
      long ioInProgress,
      long ioTimeMs,
      long weightedIoTimeMs,
      long discardsCompleted,
      long discardsMerged,
      long sectorsDiscarded,
      long discardTimeMs,
      long flushesCompleted,
      long flushTimeMs) {}

  /**
   * Parses the text of {@code /proc/diskstats}.
   *
   * @param exclude devices whose names match are skipped; null keeps all
   * @throws ParseException naming the line when it has fewer than 14 columns or a bad number
   */
  public static List<Device> parse(String text, Pattern exclude) {
    List<Device> out = new ArrayList<>();
    int lineNo = 0;
    for (String line : text.split("\n")) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.trim().split("\\s+");
      if (f.length < 14) {
        throw new ParseException(
            "/proc/diskstats", lineNo, "expected at least 14 columns, got " + f.length);
      }
      String name = f[2];
      if (exclude != null && exclude.matcher(name).matches()) {
        continue;
      }
      long[] v = new long[20];
      for (int i = 0; i < f.length && i < 20; i++) {
        if (i == 2) {
          continue;
        }
        try {
          v[i] = Long.parseLong(f[i]);
        } catch (NumberFormatException e) {
          throw new ParseException(
              "/proc/diskstats",
              lineNo,
              "column " + (i + 1) + " of " + name + " is not a number: " + f[i]);
        }
      }
      out.add(
          new Device(
              (int) v[0],
              (int) v[1],
              name,
              v[3],
              v[4],
              v[5],
              v[6],
              v[7],
              v[8],
              v[9],
              v[10],
              v[11],
              v[12],
              v[13],
              v[14],
              v[15],
              v[16],
              v[17],
              v[18],
              v[19]));
    }
    return out;
  }
}
