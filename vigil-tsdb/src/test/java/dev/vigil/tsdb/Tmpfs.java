package dev.vigil.tsdb;

import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted for a test, so a full disk is real (write(2) answers ENOSPC, a store into a
 * mapped hole raises SIGBUS). Needs root (CI runs as root); elsewhere, or where mounting is not
 * permitted, the test is skipped with a message saying so. Unmounted by {@link #close()}.
 */
public final class Tmpfs implements AutoCloseable {
  private final Path dir;

  private Tmpfs(Path dir) {
    this.dir = dir;
  }

  /** Mounts a tmpfs of {@code mib} MiB on {@code dir} (created), or aborts the test. */
  public static Tmpfs mount(Path dir, int mib) throws IOException, InterruptedException {
    if (!System.getProperty("os.name").startsWith("Linux")) {
      abort("a full-disk test mounts a tmpfs, which needs Linux; skipped");
    }
    String uid = run("id", "-u");
    if (!"0".equals(uid.strip())) {
      abort(
          "a full-disk test mounts a tmpfs, which needs root (uid is "
              + uid.strip()
              + "); skipped");
    }
    Files.createDirectories(dir);
    ProcessBuilder pb =
        new ProcessBuilder(
                "mount", "-t", "tmpfs", "-o", "size=" + mib + "m", "vigil-test", dir.toString())
            .redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      abort("cannot mount a tmpfs on " + dir + " (" + out.strip() + "); skipped");
    }
    return new Tmpfs(dir);
  }

  /** The mount point. */
  public Path dir() {
    return dir;
  }

  private static String run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(30, TimeUnit.SECONDS);
    return out;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("umount", dir.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      // Busy: a mapping of a store file lives until its buffer is collected. Detach the mount
      // lazily so it never outlives the test; the kernel frees it with the last mapping.
      String lazy = run("umount", "-l", dir.toString());
      if (!lazy.isBlank()) {
        throw new IOException("cannot unmount " + dir + ": " + out.strip() + "; " + lazy.strip());
      }
    }
  }
}
