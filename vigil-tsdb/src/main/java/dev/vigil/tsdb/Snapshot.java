package dev.vigil.tsdb;

import dev.vigil.tsdb.block.Block;
import dev.vigil.tsdb.head.Head;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A consistent copy of a store for backup: the blocks of one view (hard links, or copies across
 * file systems) plus the head's readable samples written as one more block. The copy opens as a
 * store of its own.
 */
final class Snapshot {
  private Snapshot() {}

  static void write(Tsdb db, Path target) throws IOException {
    Files.createDirectories(target);
    try (Stream<Path> s = Files.list(target)) {
      if (s.findAny().isPresent()) {
        throw new IllegalArgumentException("snapshot target " + target + " is not empty");
      }
    }
    List<Block> blocks;
    long headMin;
    db.viewLock.readLock().lock();
    try {
      blocks = db.blocks;
      headMin = db.headReadMin;
    } finally {
      db.viewLock.readLock().unlock();
    }
    for (Block b : blocks) {
      linkTree(b.dir(), target.resolve(b.dir().getFileName()));
    }
    Head head = db.head;
    if (!head.isEmpty()) {
      long a = Math.max(head.minTime(), headMin);
      HeadCompactor.writeBlocks(
          target, head, a, head.maxTime() + 1, db.opts.rollups, db.opts.clock.getAsLong());
    }
  }

  private static void linkTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path dst = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dst);
        } else {
          try {
            Files.createLink(dst, p);
          } catch (IOException | UnsupportedOperationException e) {
            Files.copy(p, dst);
          }
        }
      }
    }
  }
}
