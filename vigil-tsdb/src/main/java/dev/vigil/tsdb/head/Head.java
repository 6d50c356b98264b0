package dev.vigil.tsdb.head;

import dev.vigil.model.Appender;
import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.tsdb.index.PostingsIndex;
import dev.vigil.tsdb.wal.Wal;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.function.LongSupplier;
import org.roaringbitmap.RoaringBitmap;

/**
 * The in-memory part of the store: every series with recent samples, their open chunks, the
 * postings index over them, the head's time range, and the rules every sample passes to get in.
 *
 * <pre>{@code
 * Head head = new Head(dir.resolve("chunks_head"), 0, 600_000, System::currentTimeMillis);
 * Appender app = head.appender(wal, commitLock.readLock(), exemplars, counters);
 * app.append(0, Labels.of("__name__", "up"), now, 1);
 * app.commit();                        // applied to the head, then what was accepted is logged
 * }</pre>
 *
 * <p>Thread-safe. Series are found by ref through a paged array (no hashing, no allocation on the
 * append path) or by labels through a concurrent map; each series guards its own chunks. The head
 * is split by operation: this file holds the series registry, the time range and reads; {@link
 * HeadAppender} the append/commit protocol; {@link HeadGc} garbage collection; replay enters
 * through {@link #appendReplayed}.
 */
public final class Head implements AutoCloseable {
  /*
   * Refs are dense ints handed out in order and never reused, so a ref indexes a page of 4096
   * slots: one array read instead of a hash lookup per sample. Pages are published with
   * volatile writes through the pages array replacement; a slot written before the ref is
   * returned to anyone happens-before its use (the ref travels through a map or a commit).
   *
   * The commit protocol (as Prometheus' head_append.go): an appender pins every series it
   * appends to (MemSeries.pin, under the series monitor) and GC skips pinned series, so a series
   * created by an uncommitted transaction is never collected under it. At commit the head decides
   * under each series' monitor what it accepts, applies it, and only then is the accepted part
   * logged, so the WAL holds exactly the samples the running head holds and replay may accept
   * every logged sample at or after the minimum valid time (see HeadAppender for why this order).
   *
   * Lock order: the head's monitor (series creation, GC) before a series' monitor; nothing holds a
   * series' monitor while taking the head's. The store's commit lock (held shared by commits,
   * exclusively while the minimum valid time rises or the WAL rolls) is outside both.
   */
  private static final int PAGE_BITS = 12;
  private static final int PAGE = 1 << PAGE_BITS;

  /** Default of how far ahead of the clock a sample may lie: Prometheus' maxAheadTime. */
  public static final long DEFAULT_MAX_AHEAD_MS = 10 * 60_000L;

  final ConcurrentHashMap<Labels, MemSeries> byLabels = new ConcurrentHashMap<>();
  private volatile MemSeries[][] pages = new MemSeries[16][];
  private final AtomicInteger nextRef = new AtomicInteger(1);
  final PostingsIndex postings = new PostingsIndex();
  private final HeadChunkFile chunkFile;
  final AtomicLong minTime = new AtomicLong(Long.MAX_VALUE);
  final AtomicLong maxTime = new AtomicLong(Long.MIN_VALUE);
  private volatile long minValidTime = Long.MIN_VALUE;
  private final long outOfOrderWindow;
  private final long maxAheadMs;
  private final LongSupplier clock;
  // Records of commits the head applied but whose WAL write failed, oldest first; guarded by
  // itself. Written before any later commit's record (HeadAppender's note).
  private final ArrayDeque<byte[]> unlogged = new ArrayDeque<>();

  /** A head with the default limit ahead of the wall clock (WAL tools and tests). */
  public Head(Path chunkDir, long outOfOrderWindow) throws IOException {
    this(chunkDir, outOfOrderWindow, DEFAULT_MAX_AHEAD_MS, System::currentTimeMillis);
  }

  /**
   * @param chunkDir the spill directory for full chunks (emptied now)
   * @param outOfOrderWindow how far (ms) behind a series' newest sample an append is accepted
   * @param maxAheadMs how far (ms) ahead of {@code clock} a sample may lie
   * @param clock the present, in ms since the epoch
   */
  public Head(Path chunkDir, long outOfOrderWindow, long maxAheadMs, LongSupplier clock)
      throws IOException {
    if (maxAheadMs < 0) {
      throw new IllegalArgumentException("max ahead time must not be negative, got " + maxAheadMs);
    }
    this.chunkFile = new HeadChunkFile(chunkDir);
    this.outOfOrderWindow = outOfOrderWindow;
    this.maxAheadMs = maxAheadMs;
    this.clock = clock;
  }

  /**
   * A new transaction on this head. Commits hold {@code commitLock} while they apply and log; the
   * caller takes the matching exclusive lock to raise the minimum valid time or roll the WAL.
   *
   * @param wal where accepted samples are logged, or null (no WAL)
   */
  public Appender appender(
      Wal wal, Lock commitLock, ExemplarSink exemplars, AppendCounters counters) {
    return new HeadAppender(this, wal, commitLock, exemplars, counters);
  }

  // Spare transaction buffers: one per concurrent appender up to the slots' number; more
  // concurrent appenders make their own (and the extra sets are dropped when they end).
  private final java.util.concurrent.atomic.AtomicReferenceArray<HeadAppender.Buffers> spares =
      new java.util.concurrent.atomic.AtomicReferenceArray<>(4);

  HeadAppender.Buffers takeBuffers() {
    for (int i = 0; i < spares.length(); i++) {
      HeadAppender.Buffers b = spares.getAndSet(i, null);
      if (b != null) {
        return b;
      }
    }
    return new HeadAppender.Buffers(64);
  }

  void giveBackBuffers(HeadAppender.Buffers b) {
    if (b.ts.length > HeadAppender.Buffers.MAX_KEPT) {
      return;
    }
    for (int i = 0; i < spares.length(); i++) {
      if (spares.compareAndSet(i, null, b)) {
        return;
      }
    }
  }

  /** The series with this ref, or null. */
  public MemSeries byRef(long ref) {
    if (ref <= 0 || ref > Integer.MAX_VALUE) {
      return null;
    }
    MemSeries[][] p = pages;
    int page = (int) (ref >>> PAGE_BITS);
    if (page >= p.length || p[page] == null) {
      return null;
    }
    return p[page][(int) (ref & (PAGE - 1))];
  }

  public MemSeries byLabels(Labels labels) {
    return byLabels.get(labels);
  }

  /** The series with these labels, created when absent. */
  public MemSeries getOrCreate(Labels labels) {
    MemSeries s = byLabels.get(labels);
    return s != null ? s : create(labels, 0);
  }

  /**
   * Creates a series with a given ref (WAL replay) or a new one ({@code ref} 0). When the labels
   * exist already, returns the existing series.
   */
  public MemSeries create(Labels labels, int ref) {
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("a series needs at least one label");
    }
    // Interning (a String.intern per name and value) before taking the head's monitor: series
    // created by concurrent appenders no longer wait on each other's interning.
    return createInterned(interned(labels), ref);
  }

  private synchronized MemSeries createInterned(Labels labels, int ref) {
    MemSeries s = byLabels.get(labels);
    if (s != null) {
      return s;
    }
    if (ref == 0) {
      ref = nextRef.getAndIncrement();
    } else {
      nextRef.accumulateAndGet(ref + 1, Math::max);
      if (byRef(ref) != null) {
        ref = nextRef.getAndIncrement(); // an old ref reused for other labels: give a new one
      }
    }
    s = new MemSeries(ref, labels);
    setSlot(ref, s);
    postings.add(ref, labels);
    byLabels.put(labels, s);
    return s;
  }

  /**
   * The labels with the JVM's one copy of each name and value ({@link String#intern}): decoders
   * (remote write, push, OTLP, WAL replay) make fresh strings for every series, and at 20,000
   * series those copies were most of a server's heap (docs/BENCHMARKS.md, "Resident memory"). The
   * given labels when all their strings are that copy already (the scrape path interns them).
   */
  static Labels interned(Labels l) {
    String[] nv = null;
    for (int i = 0; i < l.size(); i++) {
      String n = l.name(i);
      String v = l.value(i);
      String in = n.intern();
      String iv = v.intern();
      if (nv == null && (in != n || iv != v)) {
        nv = new String[l.size() * 2];
        for (int j = 0; j < i; j++) {
          nv[2 * j] = l.name(j);
          nv[2 * j + 1] = l.value(j);
        }
      }
      if (nv != null) {
        nv[2 * i] = in;
        nv[2 * i + 1] = iv;
      }
    }
    return nv == null ? l : Labels.of(nv);
  }

  private void setSlot(int ref, MemSeries s) {
    int page = ref >>> PAGE_BITS;
    MemSeries[][] p = pages;
    if (page >= p.length) {
      p = java.util.Arrays.copyOf(p, Math.max(page + 1, p.length * 2));
    }
    if (p[page] == null) {
      p[page] = new MemSeries[PAGE];
    }
    p[page][ref & (PAGE - 1)] = s;
    pages = p; // volatile publish
  }

  /**
   * Creates (or finds) a series named by a WAL series record. When it gets the record's ref, the
   * WAL holds its record, so commits need not log it again; an old ref reused for other labels gets
   * a new ref, whose record the next commit logs.
   */
  public MemSeries replaySeries(Labels labels, int ref) {
    MemSeries s = create(labels, ref);
    if (s.ref() == ref) {
      s.markLogged();
    }
    return s;
  }

  /**
   * Appends a replayed sample: accepted out of order down to the minimum valid time, since the WAL
   * holds only samples the head accepted when they were committed.
   *
   * @return a {@link MemSeries} result
   */
  public int appendReplayed(MemSeries s, long t, double v) {
    if (t < minValidTime) {
      return MemSeries.OUT_OF_ORDER;
    }
    return s.append(t, v, minValidTime, chunkFile);
  }

  /** Widens the head's time range to include {@code [mint, maxt]}. */
  public void updateRange(long mint, long maxt) {
    minTime.accumulateAndGet(mint, Math::min);
    maxTime.accumulateAndGet(maxt, Math::max);
  }

  public long minTime() {
    return Math.max(minTime.get(), minValidTime);
  }

  public long maxTime() {
    return maxTime.get();
  }

  public boolean isEmpty() {
    return maxTime.get() == Long.MIN_VALUE;
  }

  /** Samples before this time are in blocks already and rejected. */
  public long minValidTime() {
    return minValidTime;
  }

  public long outOfOrderWindow() {
    return outOfOrderWindow;
  }

  /** How far (ms) ahead of the clock a sample may lie. */
  public long maxAheadMs() {
    return maxAheadMs;
  }

  /**
   * Keeps the encoded record of a commit whose samples this head applied but whose WAL write
   * failed, to be written by {@link #logUnlogged} before any later commit's record.
   */
  void keepUnlogged(byte[] record) {
    synchronized (unlogged) {
      unlogged.addLast(record);
    }
  }

  /**
   * Writes the records kept by {@link #keepUnlogged}, oldest first, dropping each once written.
   * Called by every commit (holding the store's commit lock shared) before it applies anything.
   *
   * @throws dev.vigil.model.StorageWriteException when the WAL still refuses them; they stay kept
   */
  void logUnlogged(Wal wal) {
    synchronized (unlogged) {
      for (byte[] r = unlogged.peekFirst(); r != null; r = unlogged.peekFirst()) {
        wal.write(r, r.length);
        unlogged.pollFirst();
      }
    }
  }

  /** The newest timestamp accepted now: the clock plus {@link #maxAheadMs()} (saturating). */
  public long maxValidTime() {
    long now = clock.getAsLong();
    long t = now + maxAheadMs;
    return t < now ? Long.MAX_VALUE : t;
  }

  public int numSeries() {
    return byLabels.size();
  }

  /** The head's postings index (label pair to series refs). */
  public PostingsIndex postings() {
    return postings;
  }

  /**
   * Chunks held now: every series' full and open chunks, and its out-of-order buffer when not
   * empty. Takes each series' monitor in turn.
   */
  public long chunkCount() {
    long n = 0;
    for (MemSeries s : byLabels.values()) {
      n += s.chunkCount();
    }
    return n;
  }

  public HeadChunkFile chunkFile() {
    return chunkFile;
  }

  /** Series matching all matchers, sorted by labels. */
  public List<MemSeries> select(List<LabelMatcher> matchers) {
    RoaringBitmap refs = postings.select(matchers);
    List<MemSeries> out = new ArrayList<>(refs.getCardinality());
    refs.forEach(
        (int r) -> {
          MemSeries s = byRef(r);
          if (s != null) {
            out.add(s);
          }
        });
    out.sort(Comparator.comparing(MemSeries::labels));
    return out;
  }

  /** All series, sorted by labels. */
  public List<MemSeries> allSorted() {
    List<MemSeries> out = new ArrayList<>(byLabels.values());
    out.sort(Comparator.comparing(MemSeries::labels));
    return out;
  }

  public List<String> labelNames(List<LabelMatcher> matchers) {
    return postings.labelNames(matchers.isEmpty() ? null : postings.select(matchers));
  }

  public List<String> labelValues(String name, List<LabelMatcher> matchers) {
    return postings.labelValues(name, matchers.isEmpty() ? null : postings.select(matchers));
  }

  /**
   * Forgets everything before {@code mint} (persisted in a block now): rejects appends before it,
   * drops full chunks wholly before it, and removes series left without samples that no open
   * transaction holds. See {@link HeadGc}.
   */
  public synchronized void truncate(long mint) throws IOException {
    minValidTime = Math.max(minValidTime, mint);
    HeadGc.collect(this, mint);
    chunkFile.truncateBefore(mint);
  }

  /** Unlinks a series GC removed; the caller holds the head's and the series' monitors. */
  void unlink(MemSeries s) {
    byLabels.remove(s.labels, s);
    postings.remove(s.ref, s.labels);
    pages[s.ref >>> PAGE_BITS][s.ref & (PAGE - 1)] = null;
  }

  /** Marks {@code [mint, maxt]} of a series deleted. */
  public void delete(MemSeries s, long mint, long maxt) {
    s.delete(mint, maxt);
  }

  /** Raises the minimum valid time (at start-up, from the newest block). */
  public void setMinValidTime(long t) {
    minValidTime = Math.max(minValidTime, t);
  }

  @Override
  public void close() {
    chunkFile.close();
  }
}
