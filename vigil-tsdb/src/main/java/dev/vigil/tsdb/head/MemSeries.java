package dev.vigil.tsdb.head;

import dev.vigil.model.Labels;
import dev.vigil.model.SampleIterator;
import dev.vigil.tsdb.chunkenc.XorChunk;
import dev.vigil.tsdb.query.ArrayChunkIterator;
import dev.vigil.tsdb.query.ChunkMeta;
import dev.vigil.tsdb.query.ChunkSeriesIterator;
import dev.vigil.tsdb.query.Intervals;
import dev.vigil.tsdb.query.MergeIterator;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One series in the head: its open Gorilla chunk, refs of its full chunks in the {@link
 * HeadChunkFile}, a small sorted buffer of accepted out-of-order samples, its deleted ranges, and
 * its part in the commit protocol (how many open transactions hold it, whether GC removed it).
 *
 * <p>Every mutable field is guarded by the instance's monitor, except {@link #logged} (volatile,
 * see below). Nothing outside this package mutates a series.
 */
public final class MemSeries {
  /*
   * Memory model. lastTime, pending and removed are read and written only under this monitor: the
   * appender's early order check, the commit, GC and readers all take it, so the monitor's
   * happens-before edges order every access and no value is read stale or torn (a plain long is
   * not atomic under JLS 17.7). One uncontended monitor enter per append() costs what the racy
   * read it replaced saved, and makes the early check exact at that instant.
   *
   * logged is written once (false -> true) by a committer after its WAL write returned and read by
   * appenders deciding whether to log a series record. It is volatile: a reader that sees true
   * sees it after the write that set it, so that WAL write (and the series record in it) happened
   * before; the record precedes any samples the reader logs. A reader that sees false logs the
   * record again, which replay tolerates (same ref, same labels).
   */

  /** Result of {@link #append}: accepted (or an identical sample was there already). */
  public static final int OK = 0;

  /** Result of {@link #append}: another value at this timestamp is stored. */
  public static final int DUPLICATE = 1;

  /** Result of {@link #append}: too old (out-of-order window, or before the min valid time). */
  public static final int OUT_OF_ORDER = 2;

  /** Result of {@link #pin}: GC removed this series; resolve its labels again. */
  static final int REMOVED = 3;

  final int ref;
  final Labels labels;
  private long lastTime = Long.MIN_VALUE;
  private volatile boolean logged;
  private int pending;
  private boolean removed;
  private XorChunk open;
  private long[] full; // ref, minTime, maxTime per full chunk
  private int nFull;
  private long[] oooT;
  private double[] oooV;
  private int oooN;
  private Intervals deleted = Intervals.NONE;

  MemSeries(int ref, Labels labels) {
    this.ref = ref;
    this.labels = labels;
  }

  public int ref() {
    return ref;
  }

  public Labels labels() {
    return labels;
  }

  /** Whether a WAL series record for this series has been written. */
  boolean logged() {
    return logged;
  }

  /** Notes that the WAL holds this series' record (after the write returned). */
  void markLogged() {
    logged = true;
  }

  /** The newest in-order timestamp (Long.MIN_VALUE when none). */
  synchronized long lastTime() {
    return lastTime;
  }

  /**
   * The appender's early check, and its claim on the series: unless GC removed the series or {@code
   * t} is already too old, counts one more pending sample, which keeps GC away until the
   * transaction commits or rolls back ({@link #commitAppend} or {@link #unpin}).
   *
   * @return {@link #OK} (pinned), {@link #OUT_OF_ORDER} (not pinned; {@link #lastTime()} names the
   *     bound) or {@link #REMOVED}
   */
  synchronized int pin(long t, long minValidTime, long oooWindow) {
    if (removed) {
      return REMOVED;
    }
    if (t < lastTime && t < oooBound(minValidTime, oooWindow)) {
      return OUT_OF_ORDER;
    }
    pending++;
    return OK;
  }

  /** Pins without an order check (an exemplar's series). */
  synchronized boolean pin() {
    if (removed) {
      return false;
    }
    pending++;
    return true;
  }

  /** Releases one pin taken by {@link #pin}. */
  synchronized void unpin() {
    pending--;
  }

  /** Applies a pinned sample at commit and releases its pin, in one monitor enter. */
  synchronized int commitAppend(
      long t, double v, long minValidTime, long oooWindow, HeadChunkFile f) {
    pending--;
    if (t < minValidTime) {
      return OUT_OF_ORDER;
    }
    return append(t, v, oooBound(minValidTime, oooWindow), f);
  }

  /** Oldest timestamp accepted out of order now; the caller holds the monitor. */
  private long oooBound(long minValidTime, long oooWindow) {
    return oooWindow > 0 ? Math.max(minValidTime, lastTime - oooWindow) : Long.MAX_VALUE;
  }

  /**
   * Appends a sample. In-order samples go to the open chunk (spilling it to {@code file} when
   * full); older ones at or after {@code oooMinTime} go to the out-of-order buffer.
   */
  synchronized int append(long t, double v, long oooMinTime, HeadChunkFile file) {
    if (t <= lastTime) {
      if (t == lastTime) {
        return open != null
                && Double.doubleToRawLongBits(v) == Double.doubleToRawLongBits(open.lastValue())
            ? OK
            : DUPLICATE;
      }
      if (t < oooMinTime) {
        return OUT_OF_ORDER;
      }
      return insertOutOfOrder(t, v, file);
    }
    if (open == null) {
      open = new XorChunk();
    } else if (open.count() >= XorChunk.TARGET_SAMPLES) {
      spill(file);
    }
    open.append(t, v);
    lastTime = t;
    return OK;
  }

  private void spill(HeadChunkFile file) {
    long r = file.write(open.bytes(), open.byteLength(), open.maxTime());
    if (full == null) {
      full = new long[12];
    } else if (nFull * 3 == full.length) {
      full = Arrays.copyOf(full, full.length + (full.length >> 1) / 3 * 3 + 3);
    }
    full[nFull * 3] = r;
    full[nFull * 3 + 1] = open.minTime();
    full[nFull * 3 + 2] = open.maxTime();
    nFull++;
    open.reset();
  }

  private int insertOutOfOrder(long t, double v, HeadChunkFile file) {
    if (oooT == null) {
      oooT = new long[8];
      oooV = new double[8];
    }
    int i = Arrays.binarySearch(oooT, 0, oooN, t);
    if (i >= 0) {
      return Double.doubleToRawLongBits(oooV[i]) == Double.doubleToRawLongBits(v) ? OK : DUPLICATE;
    }
    // A sample at an existing in-order timestamp would be shadowed by it: a duplicate. Decoding
    // here is slow but out-of-order appends are rare.
    if (inOrderIterator(t, t, file).next()) {
      return DUPLICATE;
    }
    i = -i - 1;
    if (oooN == oooT.length) {
      oooT = Arrays.copyOf(oooT, oooN * 2);
      oooV = Arrays.copyOf(oooV, oooN * 2);
    }
    System.arraycopy(oooT, i, oooT, i + 1, oooN - i);
    System.arraycopy(oooV, i, oooV, i + 1, oooN - i);
    oooT[i] = t;
    oooV[i] = v;
    oooN++;
    return OK;
  }

  /** Adds a deleted range. */
  synchronized void delete(long mint, long maxt) {
    deleted = deleted.add(mint, maxt);
  }

  /** The deleted ranges of this series. */
  public synchronized Intervals deletedRanges() {
    return deleted;
  }

  /**
   * GC of one series: drops what lies wholly before {@code mint}, then marks the series removed
   * when nothing is left at or after {@code mint} and no open transaction holds it.
   *
   * @return whether the series is removed now (the caller unlinks it while holding this monitor)
   */
  synchronized boolean collect(long mint) {
    truncateBefore(mint);
    if (pending > 0 || lastTime >= mint || (oooN > 0 && oooT[oooN - 1] >= mint)) {
      return false;
    }
    removed = true;
    return true;
  }

  /** Drops full chunks and out-of-order samples wholly before {@code mint}. */
  private void truncateBefore(long mint) {
    int keep = 0;
    for (int i = 0; i < nFull; i++) {
      if (full[i * 3 + 2] >= mint) {
        System.arraycopy(full, i * 3, full, keep * 3, 3);
        keep++;
      }
    }
    nFull = keep;
    if (open != null && open.count() > 0 && open.maxTime() < mint) {
      open = null; // nothing left; the next append starts a fresh chunk
    }
    int k = 0;
    for (int i = 0; i < oooN; i++) {
      if (oooT[i] >= mint) {
        oooT[k] = oooT[i];
        oooV[k++] = oooV[i];
      }
    }
    oooN = k;
  }

  /**
   * A lazy iterator over {@code [mint, maxt]} (deleted ranges skipped). Takes a consistent snapshot
   * of the chunk list now; chunks are decoded as the iterator reaches them.
   */
  public synchronized SampleIterator iterator(long mint, long maxt, HeadChunkFile file) {
    SampleIterator in = inOrderIterator(mint, maxt, file);
    if (oooN == 0) {
      return in;
    }
    int from = lowerBound(oooT, oooN, mint);
    int to = maxt == Long.MAX_VALUE ? oooN : lowerBound(oooT, oooN, maxt + 1);
    if (from == to) {
      return in;
    }
    long[] ts = Arrays.copyOfRange(oooT, from, to);
    double[] vs = Arrays.copyOfRange(oooV, from, to);
    ChunkMeta m =
        new ChunkMeta(ts[0], ts[ts.length - 1], () -> new ArrayChunkIterator(ts, vs, ts.length));
    SampleIterator ooo = new ChunkSeriesIterator(List.of(m), mint, maxt, deleted);
    return new MergeIterator(List.of(in, ooo));
  }

  private SampleIterator inOrderIterator(long mint, long maxt, HeadChunkFile file) {
    List<ChunkMeta> metas = new ArrayList<>();
    for (int i = 0; i < nFull; i++) {
      long cmin = full[i * 3 + 1];
      long cmax = full[i * 3 + 2];
      if (cmax < mint || cmin > maxt) {
        continue;
      }
      long r = full[i * 3];
      ByteBuffer seg = file.segment(r);
      metas.add(
          new ChunkMeta(
              cmin,
              cmax,
              () -> {
                byte[] b = HeadChunkFile.read(seg, r);
                return XorChunk.iterator(b, 0, b.length);
              }));
    }
    if (open != null && open.count() > 0 && open.maxTime() >= mint && open.minTime() <= maxt) {
      byte[] b = Arrays.copyOf(open.bytes(), open.byteLength());
      metas.add(
          new ChunkMeta(open.minTime(), open.maxTime(), () -> XorChunk.iterator(b, 0, b.length)));
    }
    return metas.isEmpty()
        ? SampleIterator.EMPTY
        : new ChunkSeriesIterator(metas, mint, maxt, deleted);
  }

  /** Whether any sample may lie in {@code [mint, maxt]} (by chunk bounds). */
  public synchronized boolean hasData(long mint, long maxt) {
    long min = minTime();
    long max = Math.max(lastTime, oooN > 0 ? oooT[oooN - 1] : Long.MIN_VALUE);
    return min != Long.MAX_VALUE && min <= maxt && max >= mint;
  }

  /** Full chunks, the open chunk when it holds samples, the out-of-order buffer when not empty. */
  synchronized int chunkCount() {
    return nFull + (open != null && open.count() > 0 ? 1 : 0) + (oooN > 0 ? 1 : 0);
  }

  /** Minimum timestamp held, or Long.MAX_VALUE when empty. */
  synchronized long minTime() {
    long m = Long.MAX_VALUE;
    if (nFull > 0) {
      m = full[1];
    } else if (open != null && open.count() > 0) {
      m = open.minTime();
    }
    if (oooN > 0) {
      m = Math.min(m, oooT[0]);
    }
    return m;
  }

  private static int lowerBound(long[] a, int n, long key) {
    int lo = 0;
    int hi = n;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] < key) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
