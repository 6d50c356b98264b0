package dev.vigil.collectors.system;

import dev.vigil.collectors.SnapshotList;
import dev.vigil.collectors.linux.Mounts;
import dev.vigil.collectors.linux.ProcFs;
import dev.vigil.metrics.model.Labels;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Size, free and available space, and inode counts where {@code statvfs} can be called (see {@link
 * Inodes}), per mounted filesystem ({@code node_filesystem_*}).
 *
 * <p>The mount list and the {@link FileStore} of each mount are cached for {@code
 * filesystemListTtl}: the JDK's {@code Files.getFileStore} reads the whole mount table on every
 * call, while {@link FileStore#getTotalSpace()} and friends are one {@code statvfs} each. A
 * filesystem that cannot be asked (stale NFS, permissions) is reported with {@code
 * node_filesystem_device_error 1} and no sizes, as node_exporter does. Thread-safe.
 */
final class Filesystems {

  private record Entry(Mounts.Mount mount, FileStore store, Labels labels) {}

  private final ProcFs proc;
  private final SystemOptions options;
  private final LongSupplier nanoClock;
  private List<Entry> entries; // guarded by this
  private long loadedAtNanos;

  Filesystems(ProcFs proc, SystemOptions options, LongSupplier nanoClock) {
    this.proc = proc;
    this.options = options;
    this.nanoClock = nanoClock;
  }

  private synchronized List<Entry> entries() {
    long now = nanoClock.getAsLong();
    if (entries == null || now - loadedAtNanos > options.filesystemListTtl().toNanos()) {
      List<Entry> list = new ArrayList<>();
      for (Mounts.Mount m :
          Mounts.parse(
              proc.read("self/mounts"), options.fsTypeExclude(), options.mountPointExclude())) {
        FileStore store = null;
        try {
          store = Files.getFileStore(Path.of(m.mountPoint()));
        } catch (IOException | RuntimeException e) {
          // reported as device_error below
        }
        list.add(
            new Entry(
                m,
                store,
                Labels.of(
                    "device", m.device(), "fstype", m.fsType(), "mountpoint", m.mountPoint())));
      }
      entries = list;
      loadedAtNanos = now;
    }
    return entries;
  }

  /** Adds the filesystem families; returns the fullest writable filesystem's used share, or NaN. */
  double collect(SnapshotList out) {
    SnapshotList.Family ro =
        out.gaugeFamily("node_filesystem_readonly", "1 when mounted read-only.");
    SnapshotList.Family err =
        out.gaugeFamily("node_filesystem_device_error", "1 when the filesystem could not be read.");
    FilesystemFamilies fs = new FilesystemFamilies(out);
    for (Entry e : entries()) {
      ro.add(e.labels, e.mount.readOnly() ? 1 : 0);
      long total, unallocated, usable;
      try {
        if (e.store == null) {
          throw new IOException("no file store");
        }
        total = e.store.getTotalSpace();
        unallocated = e.store.getUnallocatedSpace();
        usable = e.store.getUsableSpace();
      } catch (IOException | RuntimeException ex) {
        err.add(e.labels, 1);
        continue;
      }
      err.add(e.labels, 0);
      fs.space(e.labels, e.mount.readOnly(), total, unallocated, usable);
      Inodes.Counts ic = Inodes.of(e.mount.mountPoint());
      if (ic != null) {
        fs.inodes(e.labels, ic.files(), ic.free());
      }
    }
    return fs.finish();
  }
}
