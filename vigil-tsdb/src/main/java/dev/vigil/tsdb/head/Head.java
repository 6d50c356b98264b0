package dev.vigil.tsdb.head;

import dev.vigil.tsdb.LabelMatcher;
import dev.vigil.tsdb.Labels;
import dev.vigil.tsdb.index.PostingsIndex;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.roaringbitmap.RoaringBitmap;

/**
 * The in-memory part of the store: every series with recent samples, their open chunks, the
 * postings index over them, and the head's time range.
 *
 * <p>Thread-safe. Series are found by ref through a paged array (no hashing, no allocation on the
 * append path) or by labels through a concurrent map; each series guards its own chunks.
 */
public final class Head implements AutoCloseable {
  /*
   * Refs are dense ints handed out in order and never reused, so a ref indexes a page of 4096
   * slots: one array read instead of a hash lookup per sample. Pages are published with
   * volatile writes through the pages array replacement; a slot written before the ref is
   * returned to anyone happens-before its use (the ref travels through a map or a commit).
   */
  private static final int PAGE_BITS = 12;
  private static final int PAGE = 1 << PAGE_BITS;

  private final ConcurrentHashMap<Labels, MemSeries> byLabels = new ConcurrentHashMap<>();
  private volatile MemSeries[][] pages = new MemSeries[16][];
  private final AtomicInteger nextRef = new AtomicInteger(1);
  private final PostingsIndex postings = new PostingsIndex();
  private final HeadChunkFile chunkFile;
  private final AtomicLong minTime = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong maxTime = new AtomicLong(Long.MIN_VALUE);
  private volatile long minValidTime = Long.MIN_VALUE;
  private final long outOfOrderWindow;

  /**
   * @param chunkDir the spill directory for full chunks (emptied now)
   * @param outOfOrderWindow how far (ms) behind a series' newest sample an append is accepted
   */
  public Head(Path chunkDir, long outOfOrderWindow) throws IOException {
    this.chunkFile = new HeadChunkFile(chunkDir);
    this.outOfOrderWindow = outOfOrderWindow;
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
  public synchronized MemSeries create(Labels labels, int ref) {
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("a series needs at least one label");
    }
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
   * Appends under the series lock; see {@link MemSeries#append}. A sample before the minimum valid
   * time is refused ({@link MemSeries#OUT_OF_ORDER}): the caller holds the commit lock shared and
   * the head compactor raises that time under it exclusively, so a sample is either in the head
   * before a block is cut or refused after.
   */
  public int append(MemSeries s, long t, double v) {
    if (t < minValidTime) {
      return MemSeries.OUT_OF_ORDER;
    }
    long ooo =
        outOfOrderWindow > 0
            ? Math.max(minValidTime, s.lastTime - outOfOrderWindow)
            : Long.MAX_VALUE;
    return s.append(t, v, ooo, chunkFile);
  }

  /**
   * Appends a replayed sample: accepted out of order down to the minimum valid time, since it was
   * accepted when it was committed.
   */
  public int appendReplayed(MemSeries s, long t, double v) {
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

  public int numSeries() {
    return byLabels.size();
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
   * drops full chunks wholly before it, and removes series left without samples.
   */
  public synchronized void truncate(long mint) throws IOException {
    minValidTime = Math.max(minValidTime, mint);
    long newMin = Long.MAX_VALUE;
    for (MemSeries s : new ArrayList<>(byLabels.values())) {
      s.truncateBefore(mint);
      if (s.emptyFrom(mint)) {
        byLabels.remove(s.labels, s);
        postings.remove(s.ref, s.labels);
        pages[s.ref >>> PAGE_BITS][s.ref & (PAGE - 1)] = null;
      } else {
        newMin = Math.min(newMin, Math.max(mint, s.minTime()));
      }
    }
    minTime.set(newMin);
    if (byLabels.isEmpty()) {
      maxTime.set(Long.MIN_VALUE);
    }
    chunkFile.truncateBefore(mint);
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
