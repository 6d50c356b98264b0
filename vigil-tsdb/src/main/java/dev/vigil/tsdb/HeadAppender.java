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
  private final ExemplarStore exemplars;
  private final List<MemSeries> exSeries = new ArrayList<>();
  private final List<Exemplar> exPending = new ArrayList<>();
  private final RecordEncoder enc = new RecordEncoder();
  private final List<MemSeries> newSeries = new ArrayList<>();
  private MemSeries[] series = new MemSeries[64];
  private long[] ts = new long[64];
  private double[] vs = new double[64];
  private int n;
  private long mint = Long.MAX_VALUE;
  private long maxt = Long.MIN_VALUE;

  HeadAppender(Head head, Wal wal, Lock commitLock, TsdbMetrics metrics, ExemplarStore exemplars) {
    this.exemplars = exemplars;
    this.head = head;
    this.wal = wal;
    this.commitLock = commitLock;
    this.metrics = metrics;
  }

  private MemSeries resolve(long ref, Labels labels) {
    MemSeries s = ref != 0 ? head.byRef(ref) : null;
    if (s == null) {
      if (labels == null) {
        throw new IllegalArgumentException("unknown series ref " + ref + " and no labels given");
      }
      s = head.getOrCreate(labels);
    }
    return s;
  }

  private void noteNew(MemSeries s) {
    if (!s.logged() && (newSeries.isEmpty() || newSeries.get(newSeries.size() - 1) != s)) {
      newSeries.add(s); // duplicates from interleaved appends are dropped when encoding
    }
  }

  @Override
  public long appendExemplar(long ref, Labels labels, Exemplar e) {
    MemSeries s = resolve(ref, labels);
    int r;
    try {
      r = exemplars.validate(s.labels(), e);
    } catch (ExemplarException ex) {
      if (ex.reason() == ExemplarException.Reason.OUT_OF_ORDER) {
        exemplars.outOfOrder.increment();
      }
      throw ex;
    }
    if (r == ExemplarStore.OK) {
      noteNew(s);
      exSeries.add(s);
      exPending.add(e);
    }
    return s.ref();
  }

  @Override
  public long append(long ref, Labels labels, long t, double v) {
    MemSeries s = resolve(ref, labels);
    if (t < head.minValidTime()) {
      metrics.outOfOrderRejected.increment();
      throw OutOfOrderException.outOfBounds(s.labels(), t, head.minValidTime());
    }
    long last = s.lastTimeHint();
    if (t < last && (head.outOfOrderWindow() == 0 || t < last - head.outOfOrderWindow())) {
      metrics.outOfOrderRejected.increment();
      throw new OutOfOrderException(s.labels(), t, last);
    }
    noteNew(s);
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
    if (n == 0 && newSeries.isEmpty() && exPending.isEmpty()) {
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
      for (int i = 0; i < exPending.size(); i++) {
        exemplars.add(exSeries.get(i).labels(), exPending.get(i));
      }
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
    if (!exPending.isEmpty()) {
      encodeExemplars(enc, exSeries, exPending);
    }
  }

  /** One EXEMPLARS record: the exemplars of {@code series} (one per exemplar, refs may repeat). */
  static void encodeExemplars(RecordEncoder enc, List<MemSeries> series, List<Exemplar> ex) {
    enc.begin(RecordType.EXEMPLARS);
    enc.uvarint(ex.size());
    long r0 = series.get(0).ref();
    long t0 = ex.get(0).timestampMs();
    enc.uvarint(r0);
    enc.varint(t0);
    for (int i = 0; i < ex.size(); i++) {
      Exemplar e = ex.get(i);
      enc.varint(series.get(i).ref() - r0);
      enc.varint(e.timestampMs() - t0);
      enc.long64(Double.doubleToRawLongBits(e.value()));
      Labels l = e.labels();
      enc.uvarint(l.size());
      for (int j = 0; j < l.size(); j++) {
        enc.string(l.name(j));
        enc.string(l.value(j));
      }
    }
    enc.end();
  }

  @Override
  public void rollback() {
    clear();
  }

  private void clear() {
    Arrays.fill(series, 0, n, null);
    n = 0;
    newSeries.clear();
    exSeries.clear();
    exPending.clear();
    mint = Long.MAX_VALUE;
    maxt = Long.MIN_VALUE;
  }
}
