package dev.vigil.tsdb.wal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Names and housekeeping of WAL files: {@code 00000012} segments, {@code checkpoint.00000011}. */
public final class WalFiles {
  private static final String CHECKPOINT = "checkpoint.";

  private WalFiles() {}

  public static Path segmentPath(Path dir, int n) {
    return dir.resolve(String.format("%08d", n));
  }

  public static Path checkpointPath(Path dir, int n) {
    return dir.resolve(CHECKPOINT + String.format("%08d", n));
  }

  /** Segment numbers in the directory, ascending. */
  public static List<Integer> segments(Path dir) throws IOException {
    List<Integer> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> s = Files.list(dir)) {
      s.forEach(
          p -> {
            String n = p.getFileName().toString();
            if (n.length() == 8 && n.chars().allMatch(Character::isDigit)) {
              out.add(Integer.parseInt(n));
            }
          });
    }
    out.sort(null);
    return out;
  }

  /** The number of the newest complete checkpoint, or 0. */
  public static int latestCheckpoint(Path dir) throws IOException {
    int best = 0;
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        String n = p.getFileName().toString();
        if (n.startsWith(CHECKPOINT) && !n.endsWith(".tmp")) {
          best = Math.max(best, Integer.parseInt(n.substring(CHECKPOINT.length())));
        }
      }
    }
    return best;
  }

  /** Deletes segments and checkpoints numbered up to {@code n} except checkpoint {@code keep}. */
  public static void deleteUpTo(Path dir, int n, int keepCheckpoint) throws IOException {
    for (int s : segments(dir)) {
      if (s <= n) {
        Files.deleteIfExists(segmentPath(dir, s));
      }
    }
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        String name = p.getFileName().toString();
        if (name.startsWith(CHECKPOINT)) {
          String num = name.substring(CHECKPOINT.length()).replace(".tmp", "");
          if (name.endsWith(".tmp") || Integer.parseInt(num) != keepCheckpoint) {
            Files.deleteIfExists(p);
          }
        }
      }
    }
  }

  public static long dirBytes(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (IOException e) {
                  return 0;
                }
              })
          .sum();
    }
  }

  /** fsyncs a directory so a created, renamed or deleted entry survives a power cut. */
  public static void fsyncDir(Path dir) throws IOException {
    try (FileChannel c = FileChannel.open(dir, StandardOpenOption.READ)) {
      c.force(true);
    }
  }
}
