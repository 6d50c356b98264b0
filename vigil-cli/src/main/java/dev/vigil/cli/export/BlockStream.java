package dev.vigil.cli.export;

import dev.vigil.export.SeriesExport;
import dev.vigil.export.SeriesWriter;
import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.model.SampleIterator;
import dev.vigil.model.Series;
import dev.vigil.model.SeriesSet;
import dev.vigil.tsdb.block.Block;
import dev.vigil.tsdb.block.BlockId;
import dev.vigil.tsdb.block.BlockMeta;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The raw samples of a store's persisted blocks, one block at a time, in time order: each block is
 * opened read-only (without the store's lock: published blocks are immutable), its matching series
 * written, and released before the next is opened. Memory is one block's index whatever the number
 * of blocks; opening the whole store ({@code Tsdb}) holds every block's index, raw and rollup, at
 * once (50 M samples in 2 h blocks did not fit 128 MB). A series spanning several blocks is written
 * once per block, in time order, as VictoriaMetrics' own export writes it.
 *
 * <p>Rollup blocks are skipped (an export is of raw samples), so are the sources of a compaction
 * whose result is present, and a block deleted while the export runs (a server's compaction or
 * retention finished) is skipped with a note.
 */
final class BlockStream {
  private BlockStream() {}

  /** What was written: samples, and the end (exclusive) of the newest block read. */
  record Result(long samples, long maxTime) {}

  static Result write(
      Path dir,
      List<List<LabelMatcher>> matchers,
      long mint,
      long maxt,
      SeriesWriter w,
      SeriesExport.Progress progress,
      java.io.PrintStream notes)
      throws IOException {
    List<Path> dirs = new ArrayList<>();
    List<BlockMeta> metas = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.sorted().toList()) {
        if (!Files.isDirectory(p) || !BlockId.is(p.getFileName().toString())) {
          continue;
        }
        try {
          BlockMeta m = BlockMeta.read(p.resolve("meta.json"));
          if (m.resolution() == 0) {
            dirs.add(p);
            metas.add(m);
          }
        } catch (NoSuchFileException e) {
          // deleted meanwhile
        }
      }
    }
    List<Integer> order = new ArrayList<>();
    long newest = Long.MIN_VALUE;
    for (int i = 0; i < metas.size(); i++) {
      BlockMeta b = metas.get(i);
      boolean compactedAlready = false;
      for (BlockMeta o : metas) {
        compactedAlready |= o != b && o.level() > b.level() && o.sources().containsAll(b.sources());
      }
      if (!compactedAlready) {
        newest = Math.max(newest, b.maxTime());
        if (b.overlaps(mint, maxt)) {
          order.add(i);
        }
      }
    }
    order.sort(Comparator.comparingLong(i -> metas.get(i).minTime()));
    long written = 0;
    for (int i : order) {
      Block b;
      try {
        b = Block.open(dirs.get(i));
      } catch (NoSuchFileException e) {
        notes.println(
            "vigil export: block " + dirs.get(i).getFileName() + " was removed meanwhile: skipped");
        continue;
      }
      long base = written;
      written +=
          SeriesExport.write(
              seriesOf(b, matchers, mint, maxt), mint, maxt, w, c -> progress.samples(base + c));
    }
    return new Result(written, newest);
  }

  /** The block's series matching any set, each once, in label order per set. */
  private static SeriesSet seriesOf(
      Block b, List<List<LabelMatcher>> matchers, long mint, long maxt) {
    List<Integer> ids = new ArrayList<>();
    Set<Integer> seen = new HashSet<>();
    for (List<LabelMatcher> m : matchers) {
      for (int id : b.select(m)) {
        if (seen.add(id) && b.hasData(id, mint, maxt)) {
          ids.add(id);
        }
      }
    }
    List<String> warnings = new ArrayList<>();
    return new SeriesSet() {
      private int k = -1;

      @Override
      public boolean next() {
        return ++k < ids.size();
      }

      @Override
      public Series at() {
        int id = ids.get(k);
        return new Series() {
          @Override
          public Labels labels() {
            return b.labels(id);
          }

          @Override
          public SampleIterator iterator() {
            return b.iterator(id, mint, maxt, warnings);
          }
        };
      }
    };
  }
}
