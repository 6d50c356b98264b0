package dev.vigil.tsdb;

import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.model.Resolution;
import dev.vigil.model.SampleIterator;
import dev.vigil.model.StaleMarker;
import dev.vigil.tsdb.block.Block;
import dev.vigil.tsdb.block.BlockMeta;
import dev.vigil.tsdb.block.BlockWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Downsampled copies of raw blocks: per series and 5-minute or 1-hour window, the min, max, sum,
 * count, last, average and a counter aggregate (the series' first value plus every increase, resets
 * handled), each stored as a series labelled {@code __rollup__="<aggregate>"} in a block whose meta
 * has the resolution. A sample's timestamp is that of the window's last raw sample.
 *
 * <p>Rollups are written only for a block whose samples span at least {@link #MIN_SPAN_MS}: a
 * rollup block's index holds seven series per raw series whatever its length, so below an hour of
 * data it costs more than the raw block it summarises (on 15 minutes of a host at 1 s the two
 * rollups were 2.5× the raw block) while a query reads little raw data there anyway. Reads fall
 * back to the raw block where no rollup covers it ({@link #chooseBlocks}).
 */
final class Rollups {
  static final String[] AGGREGATES = {"avg", "count", "counter", "last", "max", "min", "sum"};

  /** Index of the counter in {@link #AGGREGATES}. */
  static final int COUNTER = 2;

  /** Index of the last value in {@link #AGGREGATES}. */
  static final int LAST = 3;

  /** The shortest span of samples (first to last, over all series) that gets rollups. */
  static final long MIN_SPAN_MS = 3600_000L;

  private Rollups() {}

  /** Whether samples from {@code first} to {@code last} span enough for rollups. */
  static boolean worthRollingUp(long first, long last) {
    return last - first >= MIN_SPAN_MS;
  }

  /**
   * The aggregate that answers a function over rollups (as Thanos picks one): min/max/sum/count
   * over time their own, rate-like functions the counter, anything else the average.
   */
  static String aggregateFor(String func) {
    if (func == null) {
      return "avg";
    }
    return switch (func) {
      case "min_over_time" -> "min";
      case "max_over_time" -> "max";
      case "sum_over_time" -> "sum";
      case "count_over_time" -> "count";
      case "last_over_time" -> "last";
      case "rate", "increase", "irate", "resets", "delta", "idelta" -> "counter";
      default -> "avg";
    };
  }

  /**
   * Blocks to read for a resolution: raw ones for {@link Resolution#RAW}; otherwise the coarsest
   * rollups not coarser than asked, plus raw blocks (and finer rollups are never mixed in) for the
   * ranges those rollups do not cover.
   */
  static List<Block> chooseBlocks(List<Block> blocks, Resolution res, long mint, long maxt) {
    List<Block> raw = new ArrayList<>();
    long best = 0;
    for (Block b : blocks) {
      long r = b.meta().resolution();
      if (!b.meta().overlaps(mint, maxt)) {
        continue;
      }
      if (r == 0) {
        raw.add(b);
      } else if (r <= res.millis()) {
        best = Math.max(best, r);
      }
    }
    if (best == 0) {
      return raw;
    }
    List<Block> out = new ArrayList<>();
    for (Block b : blocks) {
      if (b.meta().resolution() == best && b.meta().overlaps(mint, maxt)) {
        out.add(b);
      }
    }
    for (Block r : raw) {
      boolean covered = false;
      for (Block b : out) {
        covered |=
            b.meta().minTime() <= r.meta().minTime() && b.meta().maxTime() >= r.meta().maxTime();
      }
      if (!covered) {
        out.add(r);
      }
    }
    return out;
  }

  /**
   * One series' rollup rows at one resolution: per window the time of its last raw sample and the
   * seven aggregates' bits; and the first raw sample the counter started from.
   */
  private record Rows(long[][] rows, boolean counterStarted, long firstT, double firstV) {
    /**
     * (t, value bits) of aggregate {@code k}. The counter also gets the first raw sample in front
     * (when its window ends later): readers join blocks by comparing it with the previous block's
     * last raw value, which tells a reset at the boundary from growth.
     */
    long[][] series(int k) {
      boolean lead = k == COUNTER && counterStarted && firstT < rows[0][0];
      long[][] one = new long[rows.length + (lead ? 1 : 0)][];
      int o = 0;
      if (lead) {
        one[o++] = new long[] {firstT, Double.doubleToRawLongBits(firstV)};
      }
      for (long[] row : rows) {
        one[o++] = new long[] {row[0], row[k + 1]};
      }
      return one;
    }
  }

  /**
   * The raw value behind the counter rollup's sample at {@code t} in block {@code b}: the {@code
   * last} rollup of the same series at the same time; NaN when there is none. {@code lastId} is
   * where that series is expected (checked by its labels; -1 when unknown, then looked up).
   */
  static double lastRawAt(Block b, int lastId, Labels series, long t, List<String> warnings) {
    int id = lastId >= 0 && isLastOf(b.labels(lastId), series) ? lastId : findLast(b, series);
    if (id < 0) {
      return Double.NaN;
    }
    SampleIterator it = b.iterator(id, t, t, warnings);
    return it.next() && it.timestamp() == t ? it.value() : Double.NaN;
  }

  private static boolean isLastOf(Labels candidate, Labels series) {
    return AGGREGATES[LAST].equals(candidate.get(TsdbQuerier.ROLLUP_LABEL))
        && candidate.size() == series.size() + 1
        && candidate.without(List.of(TsdbQuerier.ROLLUP_LABEL)).equals(series);
  }

  private static int findLast(Block b, Labels series) {
    List<LabelMatcher> ms = new ArrayList<>(series.size() + 1);
    series.forEach((n, v) -> ms.add(LabelMatcher.equal(n, v)));
    ms.add(LabelMatcher.equal(TsdbQuerier.ROLLUP_LABEL, AGGREGATES[LAST]));
    for (int id : b.select(ms)) {
      if (isLastOf(b.labels(id), series)) {
        return id;
      }
    }
    return -1;
  }

  /** Collects rollups of series as they are written to a raw block; writes both rollup blocks. */
  static final class Writer {
    private final Path dir;
    private final long mint;
    private final long maxt;
    private final long now;
    private final List<Map<Labels, Rows>> perRes = List.of(new TreeMap<>(), new TreeMap<>());
    private long first = Long.MAX_VALUE;
    private long last = Long.MIN_VALUE;
    private static final long[] RES = {
      Resolution.FIVE_MINUTES.millis(), Resolution.ONE_HOUR.millis()
    };

    Writer(Path dir, long mint, long maxt, long now) {
      this.dir = dir;
      this.mint = mint;
      this.maxt = maxt;
      this.now = now;
    }

    void add(Labels labels, long[] ts, double[] vs, int n) {
      if (n == 0) {
        return;
      }
      first = Math.min(first, ts[0]);
      last = Math.max(last, ts[n - 1]);
      for (int r = 0; r < RES.length; r++) {
        long res = RES[r];
        List<long[]> rows = new ArrayList<>(); // t, then 7 value bit patterns
        boolean started = false;
        double counter = 0;
        double prev = 0;
        long firstT = 0;
        double firstV = 0;
        int i = 0;
        while (i < n) {
          long win = Math.floorDiv(ts[i], res);
          double min = Double.POSITIVE_INFINITY;
          double max = Double.NEGATIVE_INFINITY;
          double sum = 0;
          long count = 0;
          double last = Double.NaN;
          long lastT = ts[i];
          for (; i < n && Math.floorDiv(ts[i], res) == win; i++) {
            double v = vs[i];
            if (StaleMarker.is(v)) {
              continue;
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
            count++;
            last = v;
            lastT = ts[i];
            if (Double.isNaN(v)) {
              continue; // a NaN would poison the counter for good
            }
            if (!started) {
              started = true;
              counter = v;
              firstT = ts[i];
              firstV = v;
            } else {
              counter += v >= prev ? v - prev : v; // a drop is a counter reset
            }
            prev = v;
          }
          if (count > 0) {
            double[] vals = {
              sum / count, count, started ? counter : Double.NaN, last, max, min, sum
            };
            long[] row = new long[8];
            row[0] = lastT;
            for (int k = 0; k < 7; k++) {
              row[k + 1] = Double.doubleToRawLongBits(vals[k]);
            }
            rows.add(row);
          }
        }
        if (!rows.isEmpty()) {
          perRes.get(r).put(labels, new Rows(rows.toArray(new long[0][]), started, firstT, firstV));
        }
      }
    }

    /** Whether {@link #finish()} will write rollups: the samples added span enough. */
    boolean worthWriting() {
      return first <= last && worthRollingUp(first, last);
    }

    /** Writes the rollup blocks; none when the samples added span too little. */
    List<BlockMeta> finish() throws IOException {
      List<BlockMeta> out = new ArrayList<>();
      if (!worthWriting()) {
        return out;
      }
      for (int r = 0; r < RES.length; r++) {
        Map<Labels, Rows> m = perRes.get(r);
        if (m.isEmpty()) {
          continue;
        }
        TreeMap<Labels, long[][]> sorted = new TreeMap<>();
        for (Map.Entry<Labels, Rows> e : m.entrySet()) {
          for (int k = 0; k < AGGREGATES.length; k++) {
            Labels l = e.getKey().toBuilder().set(TsdbQuerier.ROLLUP_LABEL, AGGREGATES[k]).build();
            sorted.put(l, e.getValue().series(k));
          }
        }
        BlockWriter w = new BlockWriter(dir, mint, maxt, 1, List.of(), RES[r], now);
        try {
          for (Map.Entry<Labels, long[][]> e : sorted.entrySet()) {
            long[][] rows = e.getValue();
            long[] ts = new long[rows.length];
            double[] vs = new double[rows.length];
            for (int j = 0; j < rows.length; j++) {
              ts[j] = rows[j][0];
              vs[j] = Double.longBitsToDouble(rows[j][1]);
            }
            w.add(e.getKey(), ts, vs, ts.length);
          }
        } catch (IOException | RuntimeException ex) {
          w.abort();
          throw ex;
        }
        out.add(w.finish());
      }
      return out;
    }
  }
}
