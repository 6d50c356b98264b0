package dev.vigil.collectors.system;

import dev.vigil.collectors.SnapshotList;
import dev.vigil.metrics.model.Labels;
import java.util.regex.Pattern;

/**
 * The space and inode families of one collection, written the same way by the {@code /proc} and the
 * OSHI collectors, and the used share of the fullest writable disk ({@code
 * vigil_filesystem_fullest_usage_ratio}): the one figure the health score, {@code
 * /api/metrics/realtime}, the overview widget and the dashboard's "Fullest disk" all show. Not
 * thread-safe: one per collection.
 */
final class FilesystemFamilies {
  /**
   * Memory-backed filesystems: no disk to fill. node_exporter reports them (so do we, under {@code
   * node_filesystem_*}), but a full {@code /dev/shm} or a read-only tmpfs of tools is not a full
   * disk.
   */
  static final Pattern NOT_A_DISK = Pattern.compile("tmpfs|ramfs");

  private final SnapshotList out;
  private final SnapshotList.Family size;
  private final SnapshotList.Family free;
  private final SnapshotList.Family avail;
  private final SnapshotList.Family usage;
  private final SnapshotList.Family files;
  private final SnapshotList.Family filesFree;
  private double fullest = Double.NaN;

  FilesystemFamilies(SnapshotList out) {
    this.out = out;
    size = out.gaugeFamily("node_filesystem_size_bytes", "Filesystem size in bytes.");
    free =
        out.gaugeFamily(
            "node_filesystem_free_bytes", "Free bytes, including those reserved for root.");
    avail = out.gaugeFamily("node_filesystem_avail_bytes", "Bytes available to non-root users.");
    usage =
        out.gaugeFamily(
            "vigil_filesystem_usage_ratio",
            "Used share as df shows it: used / (used + avail), 0-1.");
    files = out.gaugeFamily("node_filesystem_files", "Filesystem total file nodes.");
    filesFree = out.gaugeFamily("node_filesystem_files_free", "Filesystem total free file nodes.");
  }

  /** One filesystem's space in bytes (the {@code statvfs} figures of {@code df}). */
  void space(Labels labels, boolean readOnly, long total, long unallocated, long usable) {
    size.add(labels, total);
    free.add(labels, unallocated);
    avail.add(labels, usable);
    long used = total - unallocated;
    double ratio = used + usable > 0 ? (double) used / (used + usable) : 0;
    usage.add(labels, ratio);
    // A read-only filesystem (an image, a squashfs) is full by design: no pressure.
    String type = labels.get("fstype");
    boolean disk = type == null || !NOT_A_DISK.matcher(type).matches();
    if (!readOnly && disk && !(ratio <= fullest)) {
      fullest = ratio;
    }
  }

  /** One filesystem's inode counts; left out when it has no inode table ({@code total} 0). */
  void inodes(Labels labels, long total, long available) {
    if (total > 0) {
      files.add(labels, total);
      filesFree.add(labels, available);
    }
  }

  /**
   * Ends the collection: writes {@code vigil_filesystem_fullest_usage_ratio} (left out when no
   * writable disk could be read) and returns it, or NaN.
   */
  double finish() {
    if (!Double.isNaN(fullest)) {
      out.gauge(
          "vigil_filesystem_fullest_usage_ratio",
          "Used share (as df shows it) of the fullest writable disk, 0-1: pseudo, memory-backed"
              + " and read-only filesystems left out.",
          fullest);
    }
    return fullest;
  }
}
