package dev.vigil.tsdb;

import dev.vigil.model.SampleIterator;
import java.util.List;

/**
 * Joins the pieces of one counter read at a rollup resolution into a single counter with every
 * reset removed, so PromQL's rate-like functions see no drop that did not happen in the raw data.
 *
 * <p>Pieces are of two kinds. A <em>raw</em> piece (a raw block, the head) holds the counter's own
 * values. A <em>cumulative</em> piece (the {@code counter} rollup of one rollup block) holds, per
 * window, the block's first raw value plus every increase since, resets removed; its first sample
 * is the block's first raw value at that sample's time, and {@link LastRaw} gives the raw value
 * behind its last sample (the {@code last} rollup at the same time).
 *
 * <p>The output starts at the first value read and grows by exactly the raw increase between any
 * two of its samples: inside a raw piece by each step (a drop is a reset and counts the new value);
 * inside a cumulative piece by the difference of its values; from one piece to the next by the step
 * from the previous piece's last raw value to the next piece's first value, with the same reset
 * rule. Samples of several pieces at one time are read once (the earlier piece wins, as in {@link
 * dev.vigil.tsdb.query.MergeIterator}). Stale markers and NaN pass through unchanged and leave the
 * counter as it was.
 */
final class CounterStitch implements SampleIterator {
  /** The raw value behind a cumulative piece's sample at time {@code t}; NaN when unknown. */
  @FunctionalInterface
  interface LastRaw {
    double at(long t);
  }

  /**
   * One piece.
   *
   * @param it its samples
   * @param cumulative whether it is a counter rollup (else raw values)
   * @param lastRaw for a cumulative piece, the raw value behind a sample; else {@code null}
   * @param resolution for a cumulative piece, its rollup interval (ms); 0 otherwise
   */
  record Piece(SampleIterator it, boolean cumulative, LastRaw lastRaw, long resolution) {}

  /** Which lead samples (a block's first raw value, in front of its first window) to emit. */
  enum Leads {
    /** None: readers see one sample per window, as Prometheus' extrapolation expects. */
    NONE,
    /** Only when it is the first sample emitted: a merged rollup block keeps its own lead. */
    FIRST
  }

  private final Piece[] pieces;
  private final Leads leads;
  private final long end;
  private final boolean[] has; // piece i has a current sample
  private final long[] curT;
  private final double[] curV;
  private final boolean[] hasNext; // and one after it
  private final long[] nextT;
  private final double[] nextV;
  private final double[] offset;
  private boolean started;
  private boolean valid; // the current sample exists
  private long t;
  private double v;

  private boolean any; // a number was emitted
  private boolean emitted;
  private int prev = -1; // piece of the last number read
  private long prevT;
  private double prevRawish; // its value as read (raw, or the piece's cumulative value)
  private double total; // the counter at the last number read

  /** Joins every sample of the pieces. */
  CounterStitch(List<Piece> pieces, Leads leads) {
    this(pieces, leads, Long.MAX_VALUE);
  }

  /**
   * Joins the pieces' samples up to {@code end} (ms, inclusive). A cumulative piece may (and, when
   * {@code end} can fall inside one of its windows, must) go on to the end of the window holding
   * {@code end}: its samples after {@code end} are never emitted, but they tell a lead sample at or
   * before {@code end} from the window's own sample, so a lead is never shown as data.
   */
  CounterStitch(List<Piece> pieces, Leads leads, long end) {
    this.pieces = pieces.toArray(new Piece[0]);
    this.leads = leads;
    this.end = end;
    int n = this.pieces.length;
    this.has = new boolean[n];
    this.curT = new long[n];
    this.curV = new double[n];
    this.hasNext = new boolean[n];
    this.nextT = new long[n];
    this.nextV = new double[n];
    this.offset = new double[n];
  }

  private void advance(int i) {
    if (!started) {
      SampleIterator it = pieces[i].it();
      hasNext[i] = it.next();
      if (hasNext[i]) {
        nextT[i] = it.timestamp();
        nextV[i] = it.value();
      }
    }
    has[i] = hasNext[i];
    curT[i] = nextT[i];
    curV[i] = nextV[i];
    SampleIterator it = pieces[i].it();
    hasNext[i] = has[i] && it.next();
    if (hasNext[i]) {
      nextT[i] = it.timestamp();
      nextV[i] = it.value();
    }
  }

  @Override
  public boolean next() {
    while (true) {
      if (!started) {
        for (int i = 0; i < pieces.length; i++) {
          advance(i);
        }
        started = true;
      } else {
        for (int i = 0; i < pieces.length; i++) {
          if (has[i] && curT[i] <= t) {
            advance(i);
          }
        }
      }
      int best = -1;
      for (int i = 0; i < pieces.length; i++) {
        if (has[i] && (best < 0 || curT[i] < curT[best])) {
          best = i;
        }
      }
      if (best < 0 || curT[best] > end) {
        valid = false; // samples after end are lookahead only; all later ones are after it too
        return false;
      }
      t = curT[best];
      double read = curV[best];
      v = Double.isNaN(read) ? read : stitch(best, read);
      if (isLead(best) && !(leads == Leads.FIRST && !emitted)) {
        continue; // read for the join, not shown
      }
      emitted = true;
      valid = true;
      return true;
    }
  }

  /** A cumulative piece's sample followed by another in the same rollup window. */
  private boolean isLead(int i) {
    long res = pieces[i].resolution();
    return pieces[i].cumulative()
        && res > 0
        && hasNext[i]
        && Math.floorDiv(nextT[i], res) == Math.floorDiv(curT[i], res);
  }

  private double stitch(int p, double read) {
    boolean cumulative = pieces[p].cumulative();
    if (!any) {
      total = read;
    } else if (p == prev) {
      total = cumulative ? read + offset[p] : total + step(prevRawish, read);
    } else {
      total += step(lastRawOfPrevious(), read);
    }
    if (cumulative) {
      offset[p] = total - read;
    }
    any = true;
    prev = p;
    prevT = t;
    prevRawish = read;
    return total;
  }

  /**
   * The raw value the previous piece ended on: for a raw piece its value; for a cumulative piece
   * that has no more samples, the raw value behind its last one (its cumulative value otherwise,
   * which is never below the raw one, when pieces overlap in time or the raw value is unknown).
   */
  private double lastRawOfPrevious() {
    Piece p = pieces[prev];
    if (!p.cumulative() || has[prev] || p.lastRaw() == null) {
      return prevRawish;
    }
    double r = p.lastRaw().at(prevT);
    return Double.isNaN(r) ? prevRawish : r;
  }

  private static double step(double from, double to) {
    return to >= from ? to - from : to;
  }

  @Override
  public boolean seek(long target) {
    if (valid && t >= target) {
      return true;
    }
    while (next()) { // every sample counts towards the total: no skipping
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
}
