package dev.vigil.tsdb;

import dev.vigil.tsdb.head.Head;
import dev.vigil.tsdb.head.MemSeries;
import dev.vigil.tsdb.wal.RecordEncoder;
import dev.vigil.tsdb.wal.RecordType;
import dev.vigil.tsdb.wal.Wal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.Lock;

/**
 * The {@link Appender} of a {@link Tsdb}: buffers a transaction, then on commit writes one WAL
 * write (new series records, one samples record) and applies the samples to the head.
 */
final class HeadAppender implements Appender {
  /*
   * The hot path: append() resolves the ref by array index, checks order against the series'
   * newest time (racy read, re-checked under the series lock at commit) and stores into parallel
   * primitive arrays. No boxing, no label hashing once the caller passes refs.
   */
  private final Head head;
  private final Wal wal;
  private final Lock commitLock;
  private final TsdbMetrics metrics;
  private final RecordEncoder enc = new RecordEncoder();
  private final List<MemSeries> newSeries = new ArrayList<>();
  private MemSeries[] series = new MemSeries[64];
  private long[] ts = new long[64];
  private double[] vs = new double[64];
  private int n;
  private long mint = Long.MAX_VALUE;
  private long maxt = Long.MIN_VALUE;

  HeadAppender(Head head, Wal wal, Lock commitLock, TsdbMetrics metrics) {
    this.head = head;
    this.wal = wal;
    this.commitLock = commitLock;
    this.metrics = metrics;
  }

  @Override
  public long append(long ref, Labels labels, long t, double v) {
    MemSeries s = ref != 0 ? head.byRef(ref) : null;
    if (s == null) {
      if (labels == null) {
        throw new IllegalArgumentException("unknown series ref " + ref + " and no labels given");
      }
      s = head.getOrCreate(labels);
    }
    if (t < head.minValidTime()) {
      metrics.outOfOrderRejected.increment();
      throw OutOfOrderException.outOfBounds(s.labels(), t, head.minValidTime());
    }
    long last = s.lastTimeHint();
    if (t < last && (head.outOfOrderWindow() == 0 || t < last - head.outOfOrderWindow())) {
      metrics.outOfOrderRejected.increment();
      throw new OutOfOrderException(s.labels(), t, last);
    }
    if (!s.logged() && (newSeries.isEmpty() || newSeries.get(newSeries.size() - 1) != s)) {
      newSeries.add(s); // duplicates from interleaved appends are dropped when encoding
    }
    if (n == ts.length) {
      int cap = n * 2;
      series = Arrays.copyOf(series, cap);
      ts = Arrays.copyOf(ts, cap);
      vs = Arrays.copyOf(vs, cap);
    }
    series[n] = s;
    ts[n] = t;
    vs[n] = v;
    n++;
    if (t < mint) {
      mint = t;
    }
    if (t > maxt) {
      maxt = t;
    }
    return s.ref();
  }

  @Override
  public void commit() {
    if (n == 0 && newSeries.isEmpty()) {
      return;
    }
    encode();
    commitLock.lock();
    try {
      if (wal != null) {
        wal.write(enc.buffer(), enc.length());
      }
      for (MemSeries s : newSeries) {
        s.markLogged();
      }
      int applied = 0;
      for (int i = 0; i < n; i++) {
        int r = head.append(series[i], ts[i], vs[i]);
        if (r == MemSeries.OK) {
          applied++;
        } else if (r == MemSeries.DUPLICATE) {
          metrics.duplicateRejected.increment();
        } else {
          metrics.outOfOrderRejected.increment();
        }
      }
      if (n > 0) {
        head.updateRange(mint, maxt);
      }
      metrics.samplesAppended.add(applied);
    } finally {
      commitLock.unlock();
      clear();
    }
  }

  private void encode() {
    enc.reset();
    if (!newSeries.isEmpty()) {
      enc.begin(RecordType.SERIES);
      java.util.Set<MemSeries> done =
          java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      for (MemSeries s : newSeries) {
        if (done.add(s)) {
          enc.series(s.ref(), s.labels());
        }
      }
      enc.end();
    }
    if (n > 0) {
      enc.begin(RecordType.SAMPLES);
      enc.uvarint(n);
      long r0 = series[0].ref();
      long t0 = ts[0];
      enc.uvarint(r0);
      enc.varint(t0);
      for (int i = 0; i < n; i++) {
        enc.varint(series[i].ref() - r0);
        enc.varint(ts[i] - t0);
        enc.long64(Double.doubleToRawLongBits(vs[i]));
      }
      enc.end();
    }
  }

  @Override
  public void rollback() {
    clear();
  }

  private void clear() {
    Arrays.fill(series, 0, n, null);
    n = 0;
    newSeries.clear();
    mint = Long.MAX_VALUE;
    maxt = Long.MIN_VALUE;
  }
}
