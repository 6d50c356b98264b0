package dev.vigil.tsdb.query;

import dev.vigil.tsdb.chunkenc.ChunkIterator;

/** A {@link ChunkIterator} over decoded arrays. */
public final class ArrayChunkIterator implements ChunkIterator {
  private final long[] ts;
  private final double[] vs;
  private final int n;
  private int i = -1;

  public ArrayChunkIterator(long[] ts, double[] vs, int n) {
    this.ts = ts;
    this.vs = vs;
    this.n = n;
  }

  @Override
  public boolean next() {
    return ++i < n;
  }

  @Override
  public long timestamp() {
    return ts[i];
  }

  @Override
  public double value() {
    return vs[i];
  }
}
