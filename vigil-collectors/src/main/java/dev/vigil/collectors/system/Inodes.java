package dev.vigil.collectors.system;

import com.sun.jna.platform.linux.LibC;

/**
 * Inode counts of a filesystem from {@code statvfs(3)}, which the JDK's {@link
 * java.nio.file.FileStore} does not expose: JNA (already on the class path for OSHI) calls the C
 * library. Loaded on first use; where JNA cannot load (no native library for this platform, native
 * access denied) {@link #available()} is false and the inode families are left out.
 */
final class Inodes {
  /**
   * Total and free inodes; both 0 on filesystems without a fixed inode table (btrfs, tmpfs -o
   * nr_inodes=0).
   */
  record Counts(long files, long free) {}

  private static volatile Boolean available;

  private Inodes() {}

  /** Whether {@link #of} can answer on this machine. */
  static boolean available() {
    Boolean a = available;
    if (a == null) {
      try {
        a = LibC.INSTANCE != null;
      } catch (LinkageError | RuntimeException e) {
        a = false;
      }
      available = a;
    }
    return a;
  }

  /** The counts of the filesystem holding {@code path}, or null when statvfs fails for it. */
  static Counts of(String path) {
    if (!available()) {
      return null;
    }
    try {
      LibC.Statvfs st = new LibC.Statvfs();
      if (LibC.INSTANCE.statvfs(path, st) != 0) {
        return null;
      }
      return new Counts(st.f_files.longValue(), st.f_ffree.longValue());
    } catch (LinkageError | RuntimeException e) {
      return null;
    }
  }
}
