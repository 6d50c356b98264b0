package dev.vigil.collectors.system;

import dev.vigil.collectors.linux.DiskStats;
import dev.vigil.collectors.linux.Mounts;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Filters and cache times of the system collector, with node_exporter's defaults.
 *
 * @param diskDeviceExclude block devices to skip (default: RAM, loop, floppy and partitions)
 * @param netDeviceExclude network interfaces to skip (default: none)
 * @param fsTypeExclude filesystem types to skip (default: pseudo filesystems)
 * @param mountPointExclude mount points to skip (default: /dev, /proc, /sys, container layers)
 * @param filesystemListTtl how long the mount list is reused before {@code mounts} is read again
 * @param processCountTtl how long the process count is reused before {@code /proc} is listed again
 *     (listing it costs ~100 us, as much as the rest of a collection)
 */
public record SystemOptions(
    Pattern diskDeviceExclude,
    Pattern netDeviceExclude,
    Pattern fsTypeExclude,
    Pattern mountPointExclude,
    Duration filesystemListTtl,
    Duration processCountTtl) {

  /** Returns node_exporter's default filters, a 60 s mount list cache and a 15 s process count. */
  public static SystemOptions defaults() {
    return new SystemOptions(
        DiskStats.DEFAULT_EXCLUDE,
        null,
        Mounts.DEFAULT_EXCLUDE_FS_TYPES,
        Mounts.DEFAULT_EXCLUDE_MOUNT_POINTS,
        Duration.ofSeconds(60),
        Duration.ofSeconds(15));
  }
}
