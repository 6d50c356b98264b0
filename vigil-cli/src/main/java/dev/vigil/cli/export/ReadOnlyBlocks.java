package dev.vigil.cli.export;

import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.model.Querier;
import dev.vigil.model.Queryable;
import dev.vigil.model.SampleIterator;
import dev.vigil.model.SelectHints;
import dev.vigil.model.Series;
import dev.vigil.model.SeriesSet;
import dev.vigil.tsdb.block.Block;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The persisted raw blocks of a store that a running server holds, read without its lock: blocks
 * are immutable once published (compaction and retention write new directories and delete old
 * ones), so reading them cannot disturb the server; the head and WAL, which the server writes, are
 * not read. A series present in several blocks is one series, its samples read block after block in
 * time order (a sample not after the previous one is skipped, for overlapping blocks).
 *
 * <p>Memory: the label sets of the matching series (not their samples).
 */
final class ReadOnlyBlocks implements Queryable {
  private final List<Block> blocks;

  /**
   * @param blocks the store's blocks (rollups are ignored: an export is of raw samples)
   */
  ReadOnlyBlocks(List<Block> blocks) {
    List<Block> raw = new ArrayList<>();
    for (Block b : blocks) {
      if (b.meta().resolution() == 0) {
        raw.add(b);
      }
    }
    raw.sort(Comparator.comparingLong(b -> b.meta().minTime()));
    this.blocks = List.copyOf(raw);
  }

  @Override
  public Querier querier(long mint, long maxt) {
    return new Querier() {
      @Override
      public SeriesSet select(SelectHints hints, List<LabelMatcher> matchers) {
        TreeMap<Labels, List<int[]>> series = new TreeMap<>();
        for (int bi = 0; bi < blocks.size(); bi++) {
          Block b = blocks.get(bi);
          if (b.meta().maxTime() <= mint || b.meta().minTime() > maxt) {
            continue;
          }
          for (int id : b.select(matchers)) {
            if (b.hasData(id, mint, maxt)) {
              series.computeIfAbsent(b.labels(id), k -> new ArrayList<>()).add(new int[] {bi, id});
            }
          }
        }
        Iterator<Map.Entry<Labels, List<int[]>>> it = series.entrySet().iterator();
        return new SeriesSet() {
          private Series cur;

          @Override
          public boolean next() {
            if (!it.hasNext()) {
              return false;
            }
            Map.Entry<Labels, List<int[]>> e = it.next();
            cur = new Chained(e.getKey(), e.getValue(), mint, maxt);
            return true;
          }

          @Override
          public Series at() {
            return cur;
          }
        };
      }

      @Override
      public List<String> labelNames(List<LabelMatcher> matchers) {
        TreeSet<String> out = new TreeSet<>();
        for (Block b : blocks) {
          out.addAll(b.labelNames(matchers));
        }
        return List.copyOf(out);
      }

      @Override
      public List<String> labelValues(String name, List<LabelMatcher> matchers) {
        TreeSet<String> out = new TreeSet<>();
        for (Block b : blocks) {
          out.addAll(b.labelValues(name, matchers));
        }
        return List.copyOf(out);
      }

      @Override
      public void close() {}
    };
  }

  /** One series' samples, block after block. */
  private final class Chained implements Series {
    private final Labels labels;
    private final List<int[]> parts;
    private final long mint;
    private final long maxt;

    Chained(Labels labels, List<int[]> parts, long mint, long maxt) {
      this.labels = labels;
      this.parts = parts;
      this.mint = mint;
      this.maxt = maxt;
    }

    @Override
    public Labels labels() {
      return labels;
    }

    @Override
    public SampleIterator iterator() {
      return new SampleIterator() {
        private int part = -1;
        private SampleIterator cur = SampleIterator.EMPTY;
        private long t = Long.MIN_VALUE;
        private double v;
        private final List<String> warnings = new ArrayList<>();

        @Override
        public boolean next() {
          while (true) {
            while (cur.next()) {
              if (cur.timestamp() > t) {
                t = cur.timestamp();
                v = cur.value();
                return true;
              }
            }
            if (++part >= parts.size()) {
              return false;
            }
            int[] p = parts.get(part);
            cur = blocks.get(p[0]).iterator(p[1], mint, maxt, warnings);
          }
        }

        @Override
        public boolean seek(long target) {
          if (part >= 0 && t >= target) {
            return true;
          }
          while (next()) {
            if (t >= target) {
              return true;
            }
          }
          return false;
        }

        @Override
        public long timestamp() {
          return t;
        }

        @Override
        public double value() {
          return v;
        }
      };
    }
  }
}
