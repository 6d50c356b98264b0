package dev.vigil.tsdb;

import dev.vigil.tsdb.block.Block;
import dev.vigil.tsdb.block.BlockWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Deletes whole blocks: raw blocks that ended more than the retention before now, rollup blocks
 * likewise with their own retention, then, while all blocks together exceed the byte limit, the
 * oldest raw blocks and after them the oldest rollups.
 */
final class Retention {
  private Retention() {}

  /** Applies retention now; returns the ids of the blocks removed. */
  static List<String> apply(Tsdb db) throws IOException {
    long now = db.opts.clock.getAsLong();
    List<Block> blocks = db.blocks;
    Set<Block> drop = new HashSet<>();
    for (Block b : blocks) {
      long ret = b.meta().resolution() == 0 ? db.opts.retentionMs : db.opts.rollupRetentionMs;
      if (ret > 0 && b.meta().maxTime() <= now - ret) {
        drop.add(b);
      }
    }
    if (db.opts.retentionBytes > 0) {
      long total = 0;
      for (Block b : blocks) {
        if (!drop.contains(b)) {
          total += b.sizeBytes();
        }
      }
      for (int pass = 0; pass < 2; pass++) { // raw blocks first, then rollups
        for (Block b : blocks) { // sorted by start time: oldest first
          if (total <= db.opts.retentionBytes) {
            break;
          }
          if (!drop.contains(b) && (b.meta().resolution() == 0) == (pass == 0)) {
            drop.add(b);
            total -= b.sizeBytes();
          }
        }
      }
    }
    if (drop.isEmpty()) {
      return List.of();
    }
    List<Block> keep = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (Block b : blocks) {
      if (drop.contains(b)) {
        ids.add(b.meta().id());
      } else {
        keep.add(b);
      }
    }
    db.publish(keep, Long.MIN_VALUE);
    for (Block b : drop) {
      BlockWriter.deleteTree(b.dir());
    }
    db.report("retention removed blocks " + ids);
    return ids;
  }
}
