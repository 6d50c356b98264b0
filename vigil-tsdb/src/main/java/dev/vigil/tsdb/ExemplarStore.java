package dev.vigil.tsdb;

import dev.vigil.model.Exemplar;
import dev.vigil.model.ExemplarException;
import dev.vigil.model.ExemplarQueryable;
import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.model.SeriesExemplars;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The exemplars of a store in memory: a fixed-capacity circular buffer shared by all series, the
 * newest {@code capacity} exemplars kept, each series' exemplars chained oldest to newest.
 *
 * <p>Thread-safe: every method holds the store's monitor (appends happen at commit, a few per
 * series and scrape; queries walk only the chains of matching series).
 */
final class ExemplarStore implements dev.vigil.tsdb.head.ExemplarSink {
  /*
   * Layout (the same design as Prometheus' CircularExemplarStorage): parallel arrays indexed by
   * slot, next[slot] links a series' exemplars oldest -> newest, and an index maps series labels
   * to the slots of its oldest and newest exemplar. Writing slot i evicts the exemplar there; it
   * is always the oldest of its series (slots are written in time order per series), so the
   * series' chain just starts at next[i], and a series left without exemplars leaves the index.
   * Arrays grow by doubling up to the capacity, so a store that sees few exemplars stays small.
   */
  private static final int INITIAL_SLOTS = 1024;
  private static final int NONE = -1;

  private final int capacity;
  private final Map<Labels, Chain> index = new HashMap<>();
  private Labels[] labels;
  private double[] values;
  private long[] times;
  private int[] next;
  private Chain[] owner;
  private int nextSlot;
  private int size;
  private long newestTime = Long.MIN_VALUE;
  final LongAdder appended = new LongAdder();
  final LongAdder outOfOrder = new LongAdder();

  /** A series' exemplars: first and last slot of its chain. */
  private static final class Chain {
    final Labels series;
    int oldest = NONE;
    int newest = NONE;

    Chain(Labels series) {
      this.series = series;
    }
  }

  /** Result of {@link #validate}: the exemplar would be stored. */
  static final int OK = 0;

  /** Result of {@link #validate}: the same as the series' newest exemplar, or storage is off. */
  static final int IGNORED = 1;

  /**
   * @param capacity how many exemplars are kept; 0 disables exemplar storage
   */
  ExemplarStore(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("max exemplars must not be negative, got " + capacity);
    }
    this.capacity = capacity;
    int initial = Math.min(capacity, INITIAL_SLOTS);
    labels = new Labels[initial];
    values = new double[initial];
    times = new long[initial];
    next = new int[initial];
    owner = new Chain[initial];
  }

  int capacity() {
    return capacity;
  }

  boolean enabled() {
    return capacity > 0;
  }

  /**
   * Checks an exemplar against the series' stored ones without storing it.
   *
   * @return {@link #OK} or {@link #IGNORED} (a duplicate of the newest, or storage disabled)
   * @throws ExemplarException when out of order or its label set is too long
   */
  synchronized int validate(Labels series, Exemplar e) {
    if (capacity == 0) {
      return IGNORED;
    }
    int len = e.labelSetLength();
    if (len > Exemplar.MAX_LABEL_SET_CHARS) {
      throw new ExemplarException(
          ExemplarException.Reason.LABEL_SET_TOO_LONG,
          "exemplar label set of "
              + series
              + " is "
              + len
              + " characters long, more than the "
              + Exemplar.MAX_LABEL_SET_CHARS
              + " OpenMetrics allows: "
              + e.labels());
    }
    Chain c = index.get(series);
    if (c == null) {
      return OK;
    }
    int n = c.newest;
    if (times[n] == e.timestampMs()
        && Double.doubleToLongBits(values[n]) == Double.doubleToLongBits(e.value())
        && labels[n].equals(e.labels())) {
      return IGNORED;
    }
    if (e.timestampMs() < times[n]) {
      throw new ExemplarException(
          ExemplarException.Reason.OUT_OF_ORDER,
          "out-of-order exemplar for "
              + series
              + ": timestamp "
              + e.timestampMs()
              + " is older than the series' newest exemplar at "
              + times[n]);
    }
    return OK;
  }

  /** {@link #validate}, counting an out-of-order refusal. */
  @Override
  public boolean check(Labels series, Exemplar e) {
    try {
      return validate(series, e) == OK;
    } catch (ExemplarException ex) {
      if (ex.reason() == ExemplarException.Reason.OUT_OF_ORDER) {
        outOfOrder.increment();
      }
      throw ex;
    }
  }

  /**
   * Stores an exemplar unless it is a duplicate of the series' newest or out of order (counted).
   *
   * @return whether it was stored
   */
  @Override
  public synchronized boolean add(Labels series, Exemplar e) {
    try {
      if (validate(series, e) != OK) {
        return false;
      }
    } catch (ExemplarException ex) {
      if (ex.reason() == ExemplarException.Reason.OUT_OF_ORDER) {
        outOfOrder.increment();
      }
      return false;
    }
    int slot = nextSlot;
    if (slot == labels.length) {
      grow();
    }
    Chain evicted = owner[slot];
    if (evicted != null) {
      evicted.oldest = next[slot];
      if (evicted.oldest == NONE) {
        index.remove(evicted.series);
      }
      size--;
    }
    Chain c = index.computeIfAbsent(series, Chain::new);
    labels[slot] = e.labels();
    values[slot] = e.value();
    times[slot] = e.timestampMs();
    next[slot] = NONE;
    owner[slot] = c;
    if (c.newest == NONE) {
      c.oldest = slot;
    } else {
      next[c.newest] = slot;
    }
    c.newest = slot;
    size++;
    nextSlot = slot + 1 == capacity ? 0 : slot + 1;
    newestTime = Math.max(newestTime, e.timestampMs());
    appended.increment();
    return true;
  }

  private void grow() {
    int n = (int) Math.min(capacity, labels.length * 2L);
    labels = Arrays.copyOf(labels, n);
    values = Arrays.copyOf(values, n);
    times = Arrays.copyOf(times, n);
    next = Arrays.copyOf(next, n);
    owner = Arrays.copyOf(owner, n);
  }

  /** Every stored exemplar of one series, oldest first (empty when none). */
  synchronized List<Exemplar> of(Labels series) {
    Chain c = index.get(series);
    List<Exemplar> out = new ArrayList<>();
    if (c != null) {
      collect(c, Long.MIN_VALUE, Long.MAX_VALUE, out);
    }
    return out;
  }

  /** See {@link ExemplarQueryable#selectExemplars}. */
  synchronized List<SeriesExemplars> select(
      long mint, long maxt, List<List<LabelMatcher>> matcherSets) {
    List<SeriesExemplars> out = new ArrayList<>();
    if (matcherSets.isEmpty() || size == 0) {
      return out;
    }
    for (Chain c : index.values()) {
      if (times[c.oldest] > maxt || times[c.newest] < mint || !matchesAny(c.series, matcherSets)) {
        continue;
      }
      List<Exemplar> ex = new ArrayList<>();
      collect(c, mint, maxt, ex);
      if (!ex.isEmpty()) {
        out.add(new SeriesExemplars(c.series, ex));
      }
    }
    out.sort(Comparator.comparing(SeriesExemplars::seriesLabels));
    return out;
  }

  private static boolean matchesAny(Labels series, List<List<LabelMatcher>> sets) {
    for (List<LabelMatcher> set : sets) {
      boolean all = true;
      for (LabelMatcher m : set) {
        if (!m.matches(series)) {
          all = false;
          break;
        }
      }
      if (all) {
        return true;
      }
    }
    return false;
  }

  private void collect(Chain c, long mint, long maxt, List<Exemplar> out) {
    for (int i = c.oldest; i != NONE && times[i] <= maxt; i = next[i]) {
      if (times[i] >= mint) {
        out.add(new Exemplar(labels[i], values[i], times[i]));
      }
    }
  }

  /** Exemplars stored now. */
  synchronized int size() {
    return size;
  }

  /** Series with at least one stored exemplar. */
  synchronized int seriesCount() {
    return index.size();
  }

  /** Timestamp (ms) of the newest exemplar stored, or {@link Long#MIN_VALUE}. */
  synchronized long newestTime() {
    return newestTime;
  }
}
