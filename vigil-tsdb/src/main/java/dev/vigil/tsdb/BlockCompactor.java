package dev.vigil.tsdb;

import dev.vigil.model.Labels;
import dev.vigil.model.SampleIterator;
import dev.vigil.tsdb.block.Block;
import dev.vigil.tsdb.block.BlockMeta;
import dev.vigil.tsdb.block.BlockWriter;
import dev.vigil.tsdb.query.MergeIterator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Merges blocks into larger ones: blocks of one resolution lying inside an aligned window of 3, 9
 * or 27 block ranges (as Prometheus' 2 h → 6 h → 18 h → 54 h) become one block, and a block with
 * tombstones is rewritten without the deleted samples. Merged output uses the cold encoding.
 */
final class BlockCompactor {
  /** Window sizes as multiples of the block range. */
  private static final long[] LEVELS = {3, 9, 27};

  private final Tsdb db;

  BlockCompactor(Tsdb db) {
    this.db = db;
  }

  /** Runs every merge that is due; returns the number of blocks written. */
  int compact() throws IOException {
    int n = 0;
    boolean again = true;
    while (again) {
      again = false;
      List<Block> plan = plan(db.blocks);
      if (!plan.isEmpty()) {
        merge(plan);
        n++;
        again = true;
      }
    }
    return n;
  }

  private List<Block> plan(List<Block> blocks) {
    long range = db.opts.blockRangeMs;
    long headMin = db.head.minValidTime();
    for (long mult : LEVELS) {
      long w = range * mult;
      if (db.opts.retentionMs > 0 && w > db.opts.retentionMs / 10 && mult > LEVELS[0]) {
        break; // like Prometheus: no block wider than a tenth of the retention
      }
      Map<String, List<Block>> windows = new TreeMap<>();
      for (Block b : blocks) {
        BlockMeta m = b.meta();
        long start = Math.floorDiv(m.minTime(), w) * w;
        if (m.maxTime() > start + w || m.maxTime() - m.minTime() >= w) {
          continue;
        }
        if (m.resolution() == 0 && start + w > headMin) {
          continue; // the window is not complete yet
        }
        windows.computeIfAbsent(m.resolution() + "/" + start, k -> new ArrayList<>()).add(b);
      }
      for (List<Block> group : windows.values()) {
        if (group.size() >= 2) {
          return group;
        }
      }
    }
    for (Block b : blocks) {
      if (!b.tombstones().isEmpty()) {
        return List.of(b);
      }
    }
    return List.of();
  }

  private static boolean isCounter(Labels l) {
    return Rollups.AGGREGATES[Rollups.COUNTER].equals(l.get(TsdbQuerier.ROLLUP_LABEL));
  }

  /**
   * The counter rollup of several rollup blocks as one counter: each block's counter starts again
   * from its first raw value, so plain merging would show a drop (an invented reset) wherever an
   * earlier block had removed resets; joined, the merged counter keeps the meaning of a single
   * block's (first raw value plus every increase).
   */
  private static SampleIterator joinCounters(
      List<Block> group,
      Map<Labels, List<int[]>> series,
      Labels counter,
      List<int[]> refs,
      long mint,
      long maxt,
      List<String> warnings) {
    Labels lastLabels =
        counter.toBuilder().set(TsdbQuerier.ROLLUP_LABEL, Rollups.AGGREGATES[Rollups.LAST]).build();
    List<int[]> lastRefs = series.getOrDefault(lastLabels, List.of());
    List<CounterStitch.Piece> pieces = new ArrayList<>();
    for (int[] ref : refs) {
      Block b = group.get(ref[0]);
      int lastId = -1;
      for (int[] lr : lastRefs) {
        if (lr[0] == ref[0]) {
          lastId = lr[1];
        }
      }
      int id = lastId;
      CounterStitch.LastRaw lastRaw =
          id < 0
              ? null
              : t -> {
                SampleIterator it = b.iterator(id, t, t, warnings);
                return it.next() && it.timestamp() == t ? it.value() : Double.NaN;
              };
      pieces.add(
          new CounterStitch.Piece(
              b.iterator(ref[1], mint, maxt - 1, warnings), true, lastRaw, b.meta().resolution()));
    }
    return new CounterStitch(pieces, CounterStitch.Leads.FIRST);
  }

  /** Merges blocks into one, publishes it and deletes the sources. */
  void merge(List<Block> group) throws IOException {
    long mint = Long.MAX_VALUE;
    long maxt = Long.MIN_VALUE;
    int level = 0;
    List<String> sources = new ArrayList<>();
    TreeMap<Labels, List<int[]>> series = new TreeMap<>();
    for (int bi = 0; bi < group.size(); bi++) {
      Block b = group.get(bi);
      mint = Math.min(mint, b.meta().minTime());
      maxt = Math.max(maxt, b.meta().maxTime());
      level = Math.max(level, b.meta().level() + (group.size() > 1 ? 1 : 0));
      sources.addAll(b.meta().sources());
      for (int id = 0; id < b.numSeries(); id++) {
        series.computeIfAbsent(b.labels(id), k -> new ArrayList<>()).add(new int[] {bi, id});
      }
    }
    long resolution = group.get(0).meta().resolution();
    BlockWriter w =
        new BlockWriter(db.dir, mint, maxt, level, sources, resolution, db.opts.clock.getAsLong());
    SeriesSamples buf = new SeriesSamples();
    List<String> warnings = new ArrayList<>();
    try {
      for (Map.Entry<Labels, List<int[]>> e : series.entrySet()) {
        List<int[]> refs = e.getValue();
        if (resolution > 0 && isCounter(e.getKey())) {
          buf.fill(joinCounters(group, series, e.getKey(), refs, mint, maxt, warnings));
        } else {
          List<SampleIterator> its = new ArrayList<>();
          for (int[] ref : refs) {
            its.add(group.get(ref[0]).iterator(ref[1], mint, maxt - 1, warnings));
          }
          buf.fill(MergeIterator.of(its));
        }
        w.add(e.getKey(), buf.ts, buf.vs, buf.n);
      }
    } catch (IOException | RuntimeException ex) {
      w.abort();
      throw ex;
    }
    warnings.forEach(db::report);
    Set<Block> old = new HashSet<>(group);
    List<Block> next = new ArrayList<>();
    for (Block b : db.blocks) {
      if (!old.contains(b)) {
        next.add(b);
      }
    }
    if (w.numSamples() > 0) {
      BlockMeta meta = w.finish();
      next.add(Block.open(db.dir.resolve(meta.id())));
    } else {
      w.abort();
    }
    db.publish(next, Long.MIN_VALUE);
    for (Block b : group) {
      BlockWriter.deleteTree(b.dir()); // open queriers keep their mappings
    }
    db.metrics.compactions.increment();
  }
}
