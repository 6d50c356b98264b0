package dev.vigil.tsdb;

import dev.vigil.tsdb.block.Block;
import dev.vigil.tsdb.block.BlockMeta;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the rollups a raw block lacks: blocks written while rollups were off, or by a backfill
 * tool that wrote none (such as {@code vigil tsdb import openmetrics} before it wrote rollups). A
 * raw block gets its 5 m and 1 h rollups, as a head cut writes them, when no rollup block overlaps
 * its range, it is still within the rollup retention and its samples span enough ({@link
 * Rollups#MIN_SPAN_MS}; a block found too short is remembered and not read again).
 */
final class RollupBackfill {
  private RollupBackfill() {}

  /** Writes and publishes missing rollups; returns the number of blocks written. */
  static int run(Tsdb db) throws IOException {
    if (!db.opts.rollups) {
      return 0;
    }
    long now = db.opts.clock.getAsLong();
    int n = 0;
    for (Block raw : db.blocks) {
      BlockMeta m = raw.meta();
      if (m.resolution() != 0
          || m.maxTime() - m.minTime() < Rollups.MIN_SPAN_MS
          || db.tooShortForRollups.contains(m.id())
          || hasRollups(db.blocks, m)) {
        continue;
      }
      if (db.opts.rollupRetentionMs > 0 && m.maxTime() <= now - db.opts.rollupRetentionMs) {
        continue; // retention would delete them at once
      }
      Rollups.Writer w = new Rollups.Writer(db.dir, m.minTime(), m.maxTime(), now);
      SeriesSamples buf = new SeriesSamples();
      List<String> warnings = new ArrayList<>();
      for (int id = 0; id < raw.numSeries(); id++) {
        buf.fill(raw.iterator(id, m.minTime(), m.maxTime() - 1, warnings));
        w.add(raw.labels(id), buf.ts, buf.vs, buf.n);
      }
      warnings.forEach(db::report);
      if (!w.worthWriting()) {
        db.tooShortForRollups.add(m.id());
        continue;
      }
      List<Block> next = new ArrayList<>(db.blocks);
      for (BlockMeta r : w.finish()) {
        next.add(Block.open(db.dir.resolve(r.id())));
        n++;
      }
      db.publish(next, Long.MIN_VALUE);
    }
    return n;
  }

  private static boolean hasRollups(List<Block> blocks, BlockMeta raw) {
    for (Block b : blocks) {
      BlockMeta m = b.meta();
      if (m.resolution() > 0 && m.minTime() < raw.maxTime() && raw.minTime() < m.maxTime()) {
        return true;
      }
    }
    return false;
  }
}
