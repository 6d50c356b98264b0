package dev.vigil.tsdb.wal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The persisted positions of the WAL's readers (remote write queues): one small file per reader
 * under {@code <store>/wal_readers/}, holding {@code segment offset}. A checkpoint deletes no
 * segment at or after the lowest reader's segment, so a reader that falls behind (its receiver is
 * down) or restarts finds every record it has not sent yet.
 *
 * <pre>{@code
 * WalReaders r = WalReaders.in(storeDir);
 * r.save("queue-a", new WalPosition(12, 4096));   // after the records before it were sent
 * }</pre>
 *
 * <p>Thread-safe: each save writes a temporary file and renames it over the old one.
 */
public final class WalReaders {
  /*
   * Files, not registrations in memory: the store checkpoints (and deletes segments) while the
   * server starts, before the queues exist; it must already respect where they stopped. A reader
   * removed from the configuration is forgotten ({@link #retainOnly}) so it does not hold the WAL
   * forever.
   */

  /** A position in the WAL: the next record to read is at {@code offset} of {@code segment}. */
  public record WalPosition(int segment, long offset) {}

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,100}");

  private final Path dir;

  private WalReaders(Path dir) {
    this.dir = dir;
  }

  /** The readers' directory of the store at {@code storeDir}. */
  public static WalReaders in(Path storeDir) {
    return new WalReaders(storeDir.resolve("wal_readers"));
  }

  /** Whether {@code name} can name a reader's file. */
  public static boolean validName(String name) {
    return NAME.matcher(name).matches() && !name.startsWith(".");
  }

  /** The saved position of {@code name}, or null when it has none. */
  public WalPosition load(String name) throws IOException {
    Path f = dir.resolve(check(name));
    if (!Files.isRegularFile(f)) {
      return null;
    }
    String[] parts = Files.readString(f, StandardCharsets.US_ASCII).trim().split(" ");
    try {
      return new WalPosition(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
    } catch (RuntimeException e) {
      throw new IOException(f + ": not a WAL position (\"segment offset\"): " + e.getMessage(), e);
    }
  }

  /** Saves the position of {@code name}. */
  public void save(String name, WalPosition p) throws IOException {
    Files.createDirectories(dir);
    Path tmp = dir.resolve("." + check(name) + ".tmp");
    Files.writeString(tmp, p.segment() + " " + p.offset() + "\n", StandardCharsets.US_ASCII);
    Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  /** Every saved position by reader name. */
  public Map<String, WalPosition> all() throws IOException {
    Map<String, WalPosition> out = new HashMap<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        String n = p.getFileName().toString();
        if (validName(n)) {
          out.put(n, load(n));
        }
      }
    }
    return out;
  }

  /** Deletes the positions of readers not in {@code names}: they no longer hold the WAL. */
  public void retainOnly(java.util.Collection<String> names) throws IOException {
    for (String n : all().keySet()) {
      if (!names.contains(n)) {
        Files.deleteIfExists(dir.resolve(n));
      }
    }
  }

  /** The lowest segment a reader still needs, or {@link Integer#MAX_VALUE} when none does. */
  public int lowestSegment() {
    int low = Integer.MAX_VALUE;
    try {
      for (WalPosition p : all().values()) {
        low = Math.min(low, p.segment());
      }
    } catch (IOException e) {
      return 0; // unreadable: keep every segment rather than delete one a reader needs
    }
    return low;
  }

  private static String check(String name) {
    if (!validName(name)) {
      throw new IllegalArgumentException("not a WAL reader name: \"" + name + "\"");
    }
    return name;
  }
}
