package dev.vigil.tsdb;

import dev.vigil.model.LabelMatcher;
import dev.vigil.tsdb.block.Block;
import dev.vigil.tsdb.head.MemSeries;
import dev.vigil.tsdb.wal.RecordEncoder;
import dev.vigil.tsdb.wal.RecordType;
import java.io.IOException;
import java.util.List;

/**
 * Deletes series data by matchers: head series get deleted ranges (logged in the WAL as a
 * tombstones record), blocks get tombstones files; compaction later rewrites blocks without them.
 */
final class Deletion {
  private Deletion() {}

  static void delete(Tsdb db, long mint, long maxt, List<LabelMatcher> matchers)
      throws IOException {
    if (mint > maxt) {
      throw new IllegalArgumentException("delete range is empty: " + mint + " > " + maxt);
    }
    if (matchers.isEmpty() || matchers.stream().allMatch(LabelMatcher::matchesEmpty)) {
      throw new IllegalArgumentException("delete needs a matcher that does not match everything");
    }
    List<MemSeries> hs = db.head.select(matchers);
    if (!hs.isEmpty()) {
      RecordEncoder enc = new RecordEncoder();
      enc.begin(RecordType.TOMBSTONES);
      for (MemSeries s : hs) {
        enc.uvarint(s.ref());
        enc.varint(mint);
        enc.varint(maxt);
      }
      enc.end();
      db.commitLock.readLock().lock();
      try {
        if (db.wal != null) {
          db.wal.write(enc.buffer(), enc.length());
        }
        for (MemSeries s : hs) {
          db.head.delete(s, mint, maxt);
        }
      } finally {
        db.commitLock.readLock().unlock();
      }
    }
    for (Block b : db.blocks) {
      if (!b.meta().overlaps(mint, maxt)) {
        continue;
      }
      for (int id : b.select(matchers)) {
        if (b.hasData(id, mint, maxt)) {
          b.delete(id, mint, maxt);
        }
      }
    }
  }
}
