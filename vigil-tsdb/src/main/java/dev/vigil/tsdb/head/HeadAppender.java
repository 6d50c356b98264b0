package dev.vigil.tsdb.head;

import dev.vigil.model.Appender;
import dev.vigil.model.Exemplar;
import dev.vigil.model.Labels;
import dev.vigil.model.OutOfOrderException;
import dev.vigil.tsdb.wal.RecordEncoder;
import dev.vigil.tsdb.wal.RecordType;
import dev.vigil.tsdb.wal.Wal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Lock;

/**
 * The {@link Appender} of a {@link Head}: buffers a transaction, pinning every series it touches;
 * on commit applies the samples to the head and logs what the head accepted in one WAL write (new
 * series records, one samples record, one exemplars record).
 *
 * <p>One thread at a time (the {@link Appender} contract). Commits hold the commit lock given to
 * {@link Head#appender} shared for the whole apply-and-log step.
 */
final class HeadAppender implements Appender {
  /*
   * The hot path: append() resolves the ref by array index, checks the bounds against two
   * volatile/cached longs, pins the series and checks its order in one uncontended monitor enter
   * (MemSeries.pin), and stores into parallel primitive arrays. No boxing, no allocation, no label
   * hashing once the caller passes refs.
   *
   * Commit order: apply, then log only the accepted samples. Two appenders may both pass the
   * early check against the same newest time (A appends t=100, B appends and commits t=200, A
   * commits): only under the series' monitor at commit is A's fate decided. Logging before that
   * put a sample the head refused into the WAL, and replay (which must accept out-of-order
   * samples, since WAL order is not commit order across concurrent commits) brought it back.
   * Logging after applying means the WAL holds exactly what the head holds, whatever the
   * interleaving. The price: between apply and log, readers may see samples whose commit has not
   * returned; if the WAL write then fails (a full disk), commit throws and those samples stay
   * visible. Their record is then kept by the head (Head.keepUnlogged) and written before the
   * record of any later commit (Head.logUnlogged at the start of every commit), so no commit is
   * acknowledged while something visible before it is missing from the WAL: a client's retry of
   * the refused batch that gets a 2xx finds it durable, and a restart shows what was shown
   * before. While the WAL still fails, logUnlogged throws before anything is applied, so a full
   * disk leaves at most one record per concurrent commit in memory. Never is a commit
   * acknowledged before its bytes are written. Prometheus logs first and applies after, so a WAL
   * failure leaves nothing visible, but then a sample refused at apply is in the WAL.
   *
   * Pins: each buffered sample and exemplar holds one pin on its series (MemSeries.pin); the
   * commit releases a sample's pin in the same monitor enter that applies it, rollback releases
   * them all. GC (HeadGc) leaves pinned series alone.
   */
  private final Head head;
  private final Wal wal;
  private final Lock commitLock;
  private final ExemplarSink exemplars;
  private final AppendCounters counters;
  private final List<MemSeries> exSeries = new ArrayList<>();
  private final List<Exemplar> exPending = new ArrayList<>();
  private final List<MemSeries> newSeries = new ArrayList<>();
  // The transaction's arrays and WAL encoder, taken from the head's spares at the first append
  // and given back when the transaction ends: a scrape of 20,000 series grew a new set from 64
  // entries each time (~1.5 MiB of garbage per scrape with the encoder's buffer).
  private Buffers buf = Buffers.EMPTY;
  private RecordEncoder enc;
  private MemSeries[] series = buf.series;
  private long[] ts = buf.ts;
  private double[] vs = buf.vs;
  private int n;
  private int pinnedFrom; // samples [pinnedFrom, n) still hold their pin
  private long maxValidTime; // the clock read once per transaction, plus the max ahead time

  /** A transaction's sample arrays and WAL encoder, reused across transactions (Head.spare). */
  static final class Buffers {
    static final Buffers EMPTY = new Buffers(0);

    /** Larger sets are not kept for reuse (a one-off huge batch must not stay in memory). */
    static final int MAX_KEPT = 1 << 20;

    MemSeries[] series;
    long[] ts;
    double[] vs;
    final RecordEncoder enc = new RecordEncoder();

    Buffers(int capacity) {
      series = new MemSeries[capacity];
      ts = new long[capacity];
      vs = new double[capacity];
    }
  }

  private void take() {
    buf = head.takeBuffers();
    series = buf.series;
    ts = buf.ts;
    vs = buf.vs;
  }

  HeadAppender(
      Head head, Wal wal, Lock commitLock, ExemplarSink exemplars, AppendCounters counters) {
    this.head = head;
    this.wal = wal;
    this.commitLock = commitLock;
    this.exemplars = exemplars;
    this.counters = counters;
    this.maxValidTime = head.maxValidTime();
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

  /** The labels to name in an error, without creating a series. */
  private Labels nameOf(long ref, Labels labels) {
    if (labels != null) {
      return labels;
    }
    return resolve(ref, null).labels();
  }

  private void noteNew(MemSeries s) {
    if (!s.logged() && (newSeries.isEmpty() || newSeries.get(newSeries.size() - 1) != s)) {
      newSeries.add(s); // duplicates from interleaved appends are dropped when encoding
    }
  }

  @Override
  public long appendExemplar(long ref, Labels labels, Exemplar e) {
    MemSeries s = resolve(ref, labels);
    while (!s.pin()) {
      s = resolve(0, s.labels()); // GC removed it: this creates it again
    }
    boolean keep = false;
    try {
      keep = exemplars.check(s.labels(), e);
    } finally {
      if (keep) {
        noteNew(s);
        exSeries.add(s);
        exPending.add(e);
      } else {
        s.unpin();
      }
    }
    return s.ref();
  }

  @Override
  public long append(long ref, Labels labels, long t, double v) {
    // The common case inline; refusals and growth in methods of their own, which keeps this
    // method (inlined into every caller's scrape loop) small for the JIT.
    long minValid = head.minValidTime();
    if (t < minValid || t > maxValidTime) {
      throw outOfRange(ref, labels, t, minValid);
    }
    MemSeries s = ref != 0 ? head.byRef(ref) : null;
    if (s == null) {
      s = resolve(ref, labels);
    }
    int r = s.pin(t, minValid, head.outOfOrderWindow());
    if (r != MemSeries.OK) {
      s = pinAgain(s, r, t, minValid);
    }
    if (!s.logged()) {
      noteNew(s);
    }
    if (n == ts.length) {
      grow();
    }
    series[n] = s;
    ts[n] = t;
    vs[n] = v;
    n++;
    return s.ref;
  }

  private OutOfOrderException outOfRange(long ref, Labels labels, long t, long minValid) {
    counters.outOfOrder().increment();
    if (t < minValid) {
      return OutOfOrderException.outOfBounds(nameOf(ref, labels), t, minValid);
    }
    return OutOfOrderException.tooFarAhead(nameOf(ref, labels), t, maxValidTime, head.maxAheadMs());
  }

  /** After a refused pin: resolves a series GC removed again, or throws for an old sample. */
  private MemSeries pinAgain(MemSeries s, int r, long t, long minValid) {
    while (r == MemSeries.REMOVED) {
      s = resolve(0, s.labels()); // GC removed it: this creates it again
      r = s.pin(t, minValid, head.outOfOrderWindow());
    }
    if (r != MemSeries.OK) {
      counters.outOfOrder().increment();
      throw new OutOfOrderException(s.labels(), t, s.lastTime());
    }
    return s;
  }

  /** The first sample of a transaction takes the head's spare buffers; later ones double them. */
  private void grow() {
    if (buf == Buffers.EMPTY) {
      take();
    }
    if (n == ts.length) {
      int cap = Math.max(64, n * 2);
      series = buf.series = Arrays.copyOf(series, cap);
      ts = buf.ts = Arrays.copyOf(ts, cap);
      vs = buf.vs = Arrays.copyOf(vs, cap);
    }
  }

  @Override
  public void commit() {
    if (n == 0 && newSeries.isEmpty() && exPending.isEmpty()) {
      clear();
      return;
    }
    commitLock.lock();
    try {
      if (wal != null) {
        head.logUnlogged(wal); // throws while the WAL still fails: then nothing here is applied
      }
      int kept = apply();
      encode(kept);
      if (wal != null && enc.length() > 0) {
        try {
          wal.write(enc.buffer(), enc.length());
        } catch (RuntimeException e) {
          // Applied but not logged: the record goes before the next commit's (see the note).
          head.keepUnlogged(Arrays.copyOf(enc.buffer(), enc.length()));
          for (MemSeries s : newSeries) {
            s.markLogged(); // their series records are in the kept record
          }
          throw e;
        }
      }
      for (MemSeries s : newSeries) {
        s.markLogged();
      }
      counters.appended().add(kept);
      for (int i = 0; i < exPending.size(); i++) {
        exemplars.add(exSeries.get(i).labels(), exPending.get(i));
      }
    } finally {
      commitLock.unlock();
      clear();
    }
  }

  /**
   * Applies the buffered samples to their series (releasing each pin), moves the accepted ones to
   * the front of the buffer and widens the head's range by them; returns how many were accepted.
   * The caller holds the commit lock. A method of its own: the JIT compiles this loop, the hot part
   * of a commit, as a small unit, without the rest of commit().
   */
  private int apply() {
    long minValid = head.minValidTime(); // stable: raised only under the exclusive lock
    long window = head.outOfOrderWindow();
    HeadChunkFile file = head.chunkFile();
    int kept = 0;
    long mint = Long.MAX_VALUE;
    long maxt = Long.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      MemSeries s = series[i];
      long t = ts[i];
      pinnedFrom = i + 1; // commitAppend releases the pin first, even when it throws
      int r = s.commitAppend(t, vs[i], minValid, window, file);
      if (r == MemSeries.OK) {
        series[kept] = s; // compact the accepted samples to the front: they are logged
        ts[kept] = t;
        vs[kept] = vs[i];
        kept++;
        mint = Math.min(mint, t);
        maxt = Math.max(maxt, t);
      } else if (r == MemSeries.DUPLICATE) {
        counters.duplicate().increment();
      } else {
        counters.outOfOrder().increment();
      }
    }
    if (kept > 0) {
      head.updateRange(mint, maxt);
    }
    return kept;
  }

  private void encode(int kept) {
    if (buf == Buffers.EMPTY) {
      take();
    }
    enc = buf.enc;
    enc.reset();
    if (!newSeries.isEmpty()) {
      enc.begin(RecordType.SERIES);
      Set<MemSeries> done = Collections.newSetFromMap(new IdentityHashMap<>());
      for (MemSeries s : newSeries) {
        if (done.add(s)) {
          enc.series(s.ref(), s.labels());
        }
      }
      enc.end();
    }
    if (kept > 0) {
      encodeSamples(kept);
    }
    if (!exPending.isEmpty()) {
      WalRecords.exemplars(enc, exSeries, exPending);
    }
  }

  /** The SAMPLES record of the first {@code kept} buffered samples (docs/format/wal.md). */
  private void encodeSamples(int kept) {
    enc.begin(RecordType.SAMPLES);
    enc.uvarint(kept);
    long r0 = series[0].ref;
    long t0 = ts[0];
    enc.uvarint(r0);
    enc.varint(t0);
    for (int i = 0; i < kept; i++) {
      enc.sample(series[i].ref - r0, ts[i] - t0, Double.doubleToRawLongBits(vs[i]));
    }
    enc.end();
  }

  @Override
  public void rollback() {
    clear();
  }

  /** Releases the pins still held and empties the transaction. */
  private void clear() {
    for (int i = pinnedFrom; i < n; i++) {
      series[i].unpin();
    }
    for (MemSeries s : exSeries) {
      s.unpin();
    }
    Arrays.fill(series, 0, n, null);
    n = 0;
    if (buf != Buffers.EMPTY) {
      head.giveBackBuffers(buf);
      buf = Buffers.EMPTY;
      series = buf.series;
      ts = buf.ts;
      vs = buf.vs;
      enc = null;
    }
    pinnedFrom = 0;
    newSeries.clear();
    exSeries.clear();
    exPending.clear();
    maxValidTime = head.maxValidTime();
  }
}
