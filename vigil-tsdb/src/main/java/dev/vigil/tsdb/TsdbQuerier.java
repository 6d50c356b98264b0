package dev.vigil.tsdb;

import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.model.Querier;
import dev.vigil.model.QueryDeadline;
import dev.vigil.model.Resolution;
import dev.vigil.model.SampleIterator;
import dev.vigil.model.SelectHints;
import dev.vigil.model.Series;
import dev.vigil.model.SeriesSet;
import dev.vigil.tsdb.block.Block;
import dev.vigil.tsdb.head.Head;
import dev.vigil.tsdb.head.MemSeries;
import dev.vigil.tsdb.query.ChainIterator;
import dev.vigil.tsdb.query.MergeIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A {@link Querier} over a fixed set of blocks and the head as of its creation. Series present in
 * several places are merged by labels; their samples are merged by time (duplicates dropped).
 */
final class TsdbQuerier implements Querier {
  /**
   * The rollup aggregate label: rollup blocks store one series per original series and aggregate.
   */
  static final String ROLLUP_LABEL = "__rollup__";

  private final Tsdb db;
  private final long mint;
  private final long maxt;
  private final List<Block> blocks;
  private final Head head;
  private final long headMin;
  private boolean closed;

  TsdbQuerier(Tsdb db, long mint, long maxt, List<Block> blocks, Head head, long headMin) {
    this.db = db;
    this.mint = mint;
    this.maxt = maxt;
    this.blocks = blocks;
    this.head = head;
    this.headMin = headMin;
  }

  @Override
  public SeriesSet select(SelectHints hints, List<LabelMatcher> matchers) {
    if (matchers.isEmpty() || matchers.stream().allMatch(LabelMatcher::matchesEmpty)) {
      throw new IllegalArgumentException(
          "a selector needs at least one matcher that does not match the empty string: "
              + matchers);
    }
    long from = Math.max(mint, hints == null ? mint : hints.start());
    long to = Math.min(maxt, hints == null ? maxt : hints.end());
    Resolution res = hints == null ? Resolution.RAW : hints.resolution();
    List<Block> use = Rollups.chooseBlocks(blocks, res, from, to);
    String aggr = res == Resolution.RAW ? null : Rollups.aggregateFor(hints.func());
    boolean counter = Rollups.AGGREGATES[Rollups.COUNTER].equals(aggr);
    List<String> warnings = new ArrayList<>();
    QueryDeadline deadline = QueryDeadline.current();
    TreeMap<Labels, List<Source>> found = new TreeMap<>();
    for (Block b : use) {
      List<LabelMatcher> ms = matchers;
      boolean rollup = b.meta().resolution() > 0;
      if (rollup) {
        ms = new ArrayList<>(matchers);
        ms.add(LabelMatcher.equal(ROLLUP_LABEL, aggr));
      }
      int[] ids = b.select(ms);
      int[] lastIds = null;
      if (rollup && counter) {
        // The last rollup of the same series: same label order, so the same position.
        List<LabelMatcher> lm = new ArrayList<>(matchers);
        lm.add(LabelMatcher.equal(ROLLUP_LABEL, Rollups.AGGREGATES[Rollups.LAST]));
        lastIds = b.select(lm);
      }
      for (int j = 0; j < ids.length; j++) {
        deadline.checkEvery();
        int id = ids[j];
        if (!b.hasData(id, from, to)) {
          continue;
        }
        Labels l = b.labels(id);
        if (rollup) {
          l = l.without(List.of(ROLLUP_LABEL));
        }
        // A counter rollup is read on to the end of the window holding `to`: a block's lead sample
        // (its first raw value) at or before `to` is told from data only by the window's own
        // sample after it, and CounterStitch emits nothing after `to`.
        long end = rollup && counter ? windowEnd(to, b.meta().resolution()) : to;
        SampleIteratorSource src = () -> b.iterator(id, from, end, warnings);
        CounterStitch.LastRaw lastRaw = null;
        if (lastIds != null) {
          Labels base = l;
          int lastId = lastIds.length == ids.length ? lastIds[j] : -1;
          lastRaw = t -> Rollups.lastRawAt(b, lastId, base, t, warnings);
        }
        found
            .computeIfAbsent(l, k -> new ArrayList<>())
            .add(
                new Source(
                    src,
                    rollup && counter,
                    lastRaw,
                    b.meta().resolution(),
                    b.meta().minTime(),
                    b.meta().maxTime()));
      }
    }
    long hFrom = Math.max(from, headMin);
    if (hFrom <= to) {
      for (MemSeries s : head.select(matchers)) {
        deadline.checkEvery();
        if (!s.hasData(hFrom, to)) {
          continue;
        }
        found
            .computeIfAbsent(s.labels(), k -> new ArrayList<>())
            .add(
                new Source(
                    () -> s.iterator(hFrom, to, head.chunkFile()), false, null, 0, hFrom, to));
      }
    }
    List<Series> out = new ArrayList<>(found.size());
    found.forEach((l, srcs) -> out.add(new MergedSeries(l, srcs, to)));
    SeriesSet base = SeriesSet.of(out);
    return new SeriesSet() {
      @Override
      public boolean next() {
        return base.next();
      }

      @Override
      public Series at() {
        return base.at();
      }

      @Override
      public List<String> warnings() {
        return List.copyOf(warnings);
      }
    };
  }

  /** The last millisecond of the {@code res}-wide window holding {@code t}. */
  static long windowEnd(long t, long res) {
    long start = Math.floorDiv(t, res) * res;
    return start > Long.MAX_VALUE - res ? Long.MAX_VALUE : start + res - 1;
  }

  @Override
  public List<String> labelNames(List<LabelMatcher> matchers) {
    TreeSet<String> out = new TreeSet<>();
    forEachLabels(matchers, l -> l.forEach((n, v) -> out.add(n)));
    return new ArrayList<>(out);
  }

  @Override
  public List<String> labelValues(String name, List<LabelMatcher> matchers) {
    TreeSet<String> out = new TreeSet<>();
    forEachLabels(
        matchers,
        l -> {
          String v = l.get(name);
          if (v != null) {
            out.add(v);
          }
        });
    return new ArrayList<>(out);
  }

  /**
   * Visits the labels of every raw series matching the matchers (all when none) with samples in the
   * querier's range; a series in several blocks may be visited more than once.
   */
  private void forEachLabels(List<LabelMatcher> matchers, java.util.function.Consumer<Labels> f) {
    QueryDeadline deadline = QueryDeadline.current();
    for (Block b : blocks) {
      if (b.meta().resolution() != 0 || !b.meta().overlaps(mint, maxt)) {
        continue;
      }
      for (int id : b.select(matchers)) {
        deadline.checkEvery();
        if (b.hasData(id, mint, maxt)) {
          f.accept(b.labels(id));
        }
      }
    }
    long hFrom = Math.max(mint, headMin);
    if (hFrom <= maxt) {
      for (MemSeries s : head.select(matchers)) {
        deadline.checkEvery();
        if (s.hasData(hFrom, maxt)) {
          f.accept(s.labels());
        }
      }
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      db.querierClosed(this);
    }
  }

  /** Makes a fresh iterator over one source of a series. */
  @FunctionalInterface
  interface SampleIteratorSource {
    SampleIterator open();
  }

  /**
   * One place a series is read from: a counter rollup ({@code cumulative}, with the raw value
   * behind its samples) or plain samples.
   */
  private record Source(
      SampleIteratorSource src,
      boolean cumulative,
      CounterStitch.LastRaw lastRaw,
      long res,
      long minTime,
      long maxTime) {}

  /**
   * A series read from several places: merged by time; where a counter rollup is among them, its
   * pieces are joined into one counter without invented resets (see {@link CounterStitch}).
   */
  private record MergedSeries(Labels labels, List<Source> sources, long end) implements Series {
    @Override
    public SampleIterator iterator() {
      boolean stitch = false;
      for (Source s : sources) {
        stitch |= s.cumulative();
      }
      if (stitch) {
        List<CounterStitch.Piece> pieces = new ArrayList<>(sources.size());
        for (Source s : sources) {
          pieces.add(
              new CounterStitch.Piece(
                  s.src().open(), s.cumulative(), s.lastRaw(), s.cumulative() ? s.res() : 0));
        }
        return new CounterStitch(pieces, CounterStitch.Leads.NONE, end);
      }
      List<SampleIterator> its = new ArrayList<>(sources.size());
      boolean ordered = true;
      for (int i = 0; i < sources.size(); i++) {
        its.add(sources.get(i).src().open());
        ordered &= i == 0 || sources.get(i - 1).maxTime() <= sources.get(i).minTime();
      }
      // Sources one after the other in time (blocks, then the head): read in turn, not merged.
      return its.size() > 1 && ordered ? new ChainIterator(its) : MergeIterator.of(its);
    }
  }
}
