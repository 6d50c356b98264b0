package dev.vigil.tsdb.query;

import dev.vigil.model.SampleIterator;
import dev.vigil.tsdb.chunkenc.ChunkIterator;
import java.util.List;

/**
 * Iterates the samples of a series' chunks (sorted by time, not overlapping) within {@code [mint,
 * maxt]}, skipping deleted intervals. Chunks are decoded one at a time, only when reached.
 */
public final class ChunkSeriesIterator implements SampleIterator {
  private final List<ChunkMeta> chunks;
  private final long mint;
  private final long maxt;
  private final Intervals deleted;
  private int next;
  private ChunkIterator cur;
  private long t;
  private double v;
  private boolean done;

  public ChunkSeriesIterator(List<ChunkMeta> chunks, long mint, long maxt, Intervals deleted) {
    this.chunks = chunks;
    this.mint = mint;
    this.maxt = maxt;
    this.deleted = deleted;
  }

  @Override
  public boolean next() {
    while (!done) {
      if (cur == null) {
        if (!openNext(mint)) {
          done = true;
          return false;
        }
      }
      while (cur.next()) {
        long ts = cur.timestamp();
        if (ts < mint) {
          continue;
        }
        if (ts > maxt) {
          done = true;
          return false;
        }
        if (!deleted.isEmpty() && deleted.contains(ts)) {
          continue;
        }
        t = ts;
        v = cur.value();
        return true;
      }
      cur = null;
    }
    return false;
  }

  private boolean openNext(long from) {
    while (next < chunks.size()) {
      ChunkMeta c = chunks.get(next++);
      if (c.maxTime() < from || deleted.covers(c.minTime(), c.maxTime())) {
        continue;
      }
      if (c.minTime() > maxt) {
        return false;
      }
      cur = c.loader().get();
      return true;
    }
    return false;
  }

  @Override
  public boolean seek(long target) {
    if (done) {
      return false;
    }
    if (cur != null && t >= target && t >= mint) {
      return true;
    }
    if (cur == null || chunksAfterCurrentStartBefore(target)) {
      cur = null;
      if (!openNext(Math.max(target, mint))) {
        done = true;
        return false;
      }
    }
    while (next()) {
      if (t >= target) {
        return true;
      }
    }
    return false;
  }

  private boolean chunksAfterCurrentStartBefore(long target) {
    return next < chunks.size() && chunks.get(next).minTime() <= target;
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
