package dev.vigil.tsdb;

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
   */
  record Piece(SampleIterator it, boolean cumulative, LastRaw lastRaw) {}

  private final Piece[] pieces;
  private final boolean[] has;
  private final double[] offset;
  private boolean started;
  private boolean valid; // the current sample exists
  private long t;
  private double v;

  private boolean any; // a number was emitted
  private int prev = -1; // piece of the last number emitted
  private long prevT;
  private double prevRawish; // its value as read (raw, or the piece's cumulative value)
  private double total; // the counter emitted last

  CounterStitch(List<Piece> pieces) {
    this.pieces = pieces.toArray(new Piece[0]);
    this.has = new boolean[this.pieces.length];
    this.offset = new double[this.pieces.length];
  }

  @Override
  public boolean next() {
    if (!started) {
      started = true;
      for (int i = 0; i < pieces.length; i++) {
        has[i] = pieces[i].it().next();
      }
    } else {
      for (int i = 0; i < pieces.length; i++) {
        if (has[i] && pieces[i].it().timestamp() <= t) {
          has[i] = pieces[i].it().next();
        }
      }
    }
    int best = -1;
    for (int i = 0; i < pieces.length; i++) {
      if (has[i] && (best < 0 || pieces[i].it().timestamp() < pieces[best].it().timestamp())) {
        best = i;
      }
    }
    if (best < 0) {
      valid = false;
      return false;
    }
    valid = true;
    t = pieces[best].it().timestamp();
    double read = pieces[best].it().value();
    v = Double.isNaN(read) ? read : stitch(best, read);
    return true;
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
