package dev.vigil.collectors.system;

import static dev.vigil.collectors.Snapshots.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.collectors.SnapshotList;
import dev.vigil.metrics.model.Labels;
import dev.vigil.metrics.model.MetricSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

class FilesystemFamiliesTest {
  private static Labels fs(String type, String mount) {
    return Labels.of("device", "d" + mount, "fstype", type, "mountpoint", mount);
  }

  @Test
  void fullestDisk_isDfsUsedShareOfWritableDisks_leavingOutTmpfsAndReadOnly() {
    SnapshotList out = new SnapshotList();
    FilesystemFamilies f = new FilesystemFamilies(out);
    long g = 1L << 30;
    // / as on this machine: 252 G, 150 G unallocated, 79 G usable (the rest reserved for root):
    // df says used / (used + avail) = 102 / 181, not 1 - avail / size.
    f.space(fs("ext4", "/"), false, 252 * g, 150 * g, 79 * g);
    f.space(fs("tmpfs", "/dev/shm"), false, 10 * g, g / 10, g / 10); // 99 % full: memory
    f.space(fs("ramfs", "/mnt/r"), false, g, 0, 0);
    f.space(fs("squashfs", "/snap/x"), true, g, 0, 0); // read-only image: full by design
    double fullest = f.finish();
    List<MetricSnapshot> s = out.build();

    assertThat(fullest).isCloseTo(102.0 / 181, within(1e-12));
    assertThat(value(s, "vigil_filesystem_fullest_usage_ratio")).isEqualTo(fullest);
    assertThat(
            value(
                s,
                "vigil_filesystem_usage_ratio",
                "device",
                "d/dev/shm",
                "fstype",
                "tmpfs",
                "mountpoint",
                "/dev/shm"))
        .as("every filesystem keeps its own ratio")
        .isCloseTo(0.99, within(0.01));
  }

  @Test
  void noWritableDisk_leavesTheFullestGaugeOut() {
    SnapshotList out = new SnapshotList();
    FilesystemFamilies f = new FilesystemFamilies(out);
    f.space(fs("tmpfs", "/run"), false, 100, 50, 50);
    assertThat(f.finish()).isNaN();
    assertThat(out.build()).noneMatch(m -> m.name().equals("vigil_filesystem_fullest_usage_ratio"));
  }
}
