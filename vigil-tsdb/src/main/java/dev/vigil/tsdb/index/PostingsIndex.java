package dev.vigil.tsdb.index;

import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.model.QueryDeadline;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.roaringbitmap.RoaringBitmap;

/**
 * An inverted index: label name → value → bitmap of series ids. The head keeps one that grows with
 * new series; a block loads one from its index file. Thread-safe (a read-write lock: adds and
 * removes are rare next to appends, which never touch it).
 */
public final class PostingsIndex {
  private final Map<String, Map<String, RoaringBitmap>> index = new HashMap<>();
  private final RoaringBitmap all = new RoaringBitmap();
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

  public void add(int ref, Labels labels) {
    lock.writeLock().lock();
    try {
      all.add(ref);
      for (int i = 0; i < labels.size(); i++) {
        index
            .computeIfAbsent(labels.name(i), k -> new HashMap<>())
            .computeIfAbsent(labels.value(i), k -> new RoaringBitmap())
            .add(ref);
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Adds a whole postings list (loading a block index). */
  public void put(String name, String value, RoaringBitmap ids) {
    lock.writeLock().lock();
    try {
      index.computeIfAbsent(name, k -> new HashMap<>()).put(value, ids);
      all.or(ids);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Visits every (name, value, ids) in name, value order (writing a block index). */
  public void forEachSorted(PostingsVisitor v) {
    lock.readLock().lock();
    try {
      for (String name : new TreeSet<>(index.keySet())) {
        Map<String, RoaringBitmap> vals = index.get(name);
        for (String value : new TreeSet<>(vals.keySet())) {
          v.visit(name, value, vals.get(value));
        }
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Receives postings lists. */
  @FunctionalInterface
  public interface PostingsVisitor {
    void visit(String name, String value, RoaringBitmap ids);
  }

  public void remove(int ref, Labels labels) {
    lock.writeLock().lock();
    try {
      all.remove(ref);
      for (int i = 0; i < labels.size(); i++) {
        Map<String, RoaringBitmap> vals = index.get(labels.name(i));
        if (vals == null) {
          continue;
        }
        RoaringBitmap bm = vals.get(labels.value(i));
        if (bm != null) {
          bm.remove(ref);
          if (bm.isEmpty()) {
            vals.remove(labels.value(i));
            if (vals.isEmpty()) {
              index.remove(labels.name(i));
            }
          }
        }
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * The refs matching all matchers (a copy). Equality and regex matchers are answered from the
   * postings; matchers that match the empty string subtract the series with a non-matching value.
   * Literal sets ({@code =~"a|b"}) are looked up, not scanned.
   *
   * @throws dev.vigil.model.QueryCanceledException when the thread's {@link QueryDeadline} passes
   *     while label values are scanned
   */
  public RoaringBitmap select(List<LabelMatcher> matchers) {
    QueryDeadline deadline = QueryDeadline.current();
    lock.readLock().lock();
    try {
      RoaringBitmap result = all.clone();
      for (LabelMatcher m : matchers) {
        Map<String, RoaringBitmap> vals = index.getOrDefault(m.name(), Map.of());
        java.util.Set<String> set = m.matchesEmpty() ? null : m.setMatches();
        if (m.matchesEmpty()) {
          // Remove series whose value for the label does not match.
          RoaringBitmap bad = new RoaringBitmap();
          for (Map.Entry<String, RoaringBitmap> e : vals.entrySet()) {
            deadline.checkEvery();
            if (!m.matches(e.getKey())) {
              bad.or(e.getValue());
            }
          }
          result.andNot(bad);
        } else if (set != null && set.size() == 1) {
          RoaringBitmap bm = vals.get(set.iterator().next());
          if (bm == null) {
            return new RoaringBitmap();
          }
          result.and(bm);
        } else if (set != null && set.size() < vals.size()) {
          RoaringBitmap any = new RoaringBitmap();
          for (String v : set) {
            RoaringBitmap bm = vals.get(v);
            if (bm != null) {
              any.or(bm);
            }
          }
          result.and(any);
        } else {
          RoaringBitmap any = new RoaringBitmap();
          for (Map.Entry<String, RoaringBitmap> e : vals.entrySet()) {
            deadline.checkEvery();
            if (m.matches(e.getKey())) {
              any.or(e.getValue());
            }
          }
          result.and(any);
        }
        if (result.isEmpty()) {
          return result;
        }
      }
      return result;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Sorted label names of the given refs (all when null). */
  public List<String> labelNames(RoaringBitmap refs) {
    QueryDeadline deadline = QueryDeadline.current();
    lock.readLock().lock();
    try {
      TreeSet<String> out = new TreeSet<>();
      for (Map.Entry<String, Map<String, RoaringBitmap>> e : index.entrySet()) {
        if (refs == null) {
          out.add(e.getKey());
          continue;
        }
        for (RoaringBitmap bm : e.getValue().values()) {
          deadline.checkEvery();
          if (RoaringBitmap.intersects(bm, refs)) {
            out.add(e.getKey());
            break;
          }
        }
      }
      return new ArrayList<>(out);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Sorted values of a label over the given refs (all when null). */
  public List<String> labelValues(String name, RoaringBitmap refs) {
    QueryDeadline deadline = QueryDeadline.current();
    lock.readLock().lock();
    try {
      TreeSet<String> out = new TreeSet<>();
      for (Map.Entry<String, RoaringBitmap> e : index.getOrDefault(name, Map.of()).entrySet()) {
        deadline.checkEvery();
        if (refs == null || RoaringBitmap.intersects(e.getValue(), refs)) {
          out.add(e.getKey());
        }
      }
      return new ArrayList<>(out);
    } finally {
      lock.readLock().unlock();
    }
  }
}
