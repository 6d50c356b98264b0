package dev.vigil.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * Label values to child, for one labelled metric: lookups never lock and never allocate.
 *
 * <p>Thread safety: {@link #get} runs without locks; every mutation holds {@code this}.
 */
final class ChildTable<C> {
  /*
   * Design: open addressing with linear probing in one Object[] of (key, child) pairs, where the
   * key is the caller's label values copied into a String[]. A writer stores the child plainly and
   * then publishes the key with a release store; a reader loads the key with acquire, so it sees
   * the child. Removal replaces the key with TOMBSTONE. Growth copies live pairs into a new array
   * and publishes it through the volatile field; a reader still probing the old array may miss a
   * key, which sends it to the locked slow path that looks again in the current array. Compared
   * with ConcurrentHashMap<List<String>, C> (client_java), a lookup allocates no key object and
   * hashes the strings' cached hash codes only.
   *
   * Per child the table costs the String[] key (16 + 4 per label bytes) and two slots at load
   * factor <= 0.5 (16 bytes).
   */
  private static final Object TOMBSTONE = new Object();
  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);
  private static final int MIN_PAIRS = 8;

  private volatile Object[] slots = new Object[2 * MIN_PAIRS];
  private volatile long[] touched; // last access millis per pair, only when expiry is on
  private int size; // guarded by this
  private int used; // live + tombstones, guarded by this

  ChildTable(boolean trackAccess) {
    if (trackAccess) {
      touched = new long[MIN_PAIRS];
    }
  }

  static int hash(String[] values) {
    int h = 1;
    for (String v : values) {
      h = 31 * h + (v == null ? 0 : v.hashCode()); // null: a miss, rejected on the slow path
    }
    return h ^ (h >>> 16);
  }

  /** The child for these label values, or null. Lock-free. */
  @SuppressWarnings("unchecked")
  C get(String[] values, int hash) {
    Object[] t = slots;
    int mask = (t.length >> 1) - 1;
    int i = hash & mask;
    for (int probes = 0; probes <= mask; probes++) {
      Object k = SLOTS.getAcquire(t, i << 1);
      if (k == null) {
        return null;
      }
      if (k != TOMBSTONE && matches((String[]) k, values)) {
        return (C) t[(i << 1) + 1];
      }
      i = (i + 1) & mask;
    }
    return null;
  }

  /** One-value lookup without an array: {@code labelValues(a)} allocates nothing. */
  @SuppressWarnings("unchecked")
  C get1(String v0, int hash) {
    Object[] t = slots;
    int mask = (t.length >> 1) - 1;
    int i = hash & mask;
    for (int probes = 0; probes <= mask; probes++) {
      Object k = SLOTS.getAcquire(t, i << 1);
      if (k == null) {
        return null;
      }
      if (k != TOMBSTONE) {
        String[] key = (String[]) k;
        if (eq(key[0], v0)) {
          return (C) t[(i << 1) + 1];
        }
      }
      i = (i + 1) & mask;
    }
    return null;
  }

  /** Two-value lookup without an array: {@code labelValues(a, b)} allocates nothing. */
  @SuppressWarnings("unchecked")
  C get2(String v0, String v1, int hash) {
    Object[] t = slots;
    int mask = (t.length >> 1) - 1;
    int i = hash & mask;
    for (int probes = 0; probes <= mask; probes++) {
      Object k = SLOTS.getAcquire(t, i << 1);
      if (k == null) {
        return null;
      }
      if (k != TOMBSTONE) {
        String[] key = (String[]) k;
        if (eq(key[0], v0) && eq(key[1], v1)) {
          return (C) t[(i << 1) + 1];
        }
      }
      i = (i + 1) & mask;
    }
    return null;
  }

  /** Three-value lookup without an array. */
  @SuppressWarnings("unchecked")
  C get3(String v0, String v1, String v2, int hash) {
    Object[] t = slots;
    int mask = (t.length >> 1) - 1;
    int i = hash & mask;
    for (int probes = 0; probes <= mask; probes++) {
      Object k = SLOTS.getAcquire(t, i << 1);
      if (k == null) {
        return null;
      }
      if (k != TOMBSTONE) {
        String[] key = (String[]) k;
        if (eq(key[0], v0) && eq(key[1], v1) && eq(key[2], v2)) {
          return (C) t[(i << 1) + 1];
        }
      }
      i = (i + 1) & mask;
    }
    return null;
  }

  private static boolean eq(String a, String b) {
    return a == b || a.equals(b);
  }

  /** The hash {@link #hash(String[])} gives for these values, without an array. */
  static int hash1(String v0) {
    int h = 31 + (v0 == null ? 0 : v0.hashCode());
    return h ^ (h >>> 16);
  }

  static int hash2(String v0, String v1) {
    int h = 31 + (v0 == null ? 0 : v0.hashCode());
    h = 31 * h + (v1 == null ? 0 : v1.hashCode());
    return h ^ (h >>> 16);
  }

  static int hash3(String v0, String v1, String v2) {
    int h = 31 + (v0 == null ? 0 : v0.hashCode());
    h = 31 * h + (v1 == null ? 0 : v1.hashCode());
    h = 31 * h + (v2 == null ? 0 : v2.hashCode());
    return h ^ (h >>> 16);
  }

  /** Records an access at {@code nowMillis} for expiry (best effort, no lock). */
  void touch(String[] values, int hash, long nowMillis) {
    Object[] t = slots;
    long[] times = touched;
    if (times == null || times.length != (t.length >> 1)) {
      return;
    }
    int mask = (t.length >> 1) - 1;
    int i = hash & mask;
    for (int probes = 0; probes <= mask; probes++) {
      Object k = SLOTS.getAcquire(t, i << 1);
      if (k == null) {
        return;
      }
      if (k != TOMBSTONE && matches((String[]) k, values)) {
        if (times[i] != nowMillis) {
          times[i] = nowMillis;
        }
        return;
      }
      i = (i + 1) & mask;
    }
  }

  private static boolean matches(String[] key, String[] values) {
    for (int j = 0; j < key.length; j++) {
      String a = key[j];
      String b = values[j];
      if (a != b && !a.equals(b)) {
        return false;
      }
    }
    return true;
  }

  /** Number of children. */
  synchronized int size() {
    return size;
  }

  /** Inserts (caller holds the lock and checked absence). {@code key} must be a private copy. */
  void putLocked(String[] key, int hash, C child, long nowMillis) {
    if ((used + 1) * 2 > (slots.length >> 1)) {
      rehash(Math.max(MIN_PAIRS, Integer.highestOneBit(Math.max(1, size + 1) * 4)));
    }
    Object[] t = slots;
    int mask = (t.length >> 1) - 1;
    int i = hash & mask;
    while (true) {
      Object k = t[i << 1];
      if (k == null || k == TOMBSTONE) {
        if (k == null) {
          used++;
        }
        t[(i << 1) + 1] = child;
        SLOTS.setRelease(t, i << 1, (Object) key);
        long[] times = touched;
        if (times != null) {
          times[i] = nowMillis;
        }
        size++;
        return;
      }
      i = (i + 1) & mask;
    }
  }

  /** Removes the child for these values (caller holds the lock); returns it or null. */
  @SuppressWarnings("unchecked")
  C removeLocked(String[] values) {
    Object[] t = slots;
    int mask = (t.length >> 1) - 1;
    int i = hash(values) & mask;
    for (int probes = 0; probes <= mask; probes++) {
      Object k = t[i << 1];
      if (k == null) {
        return null;
      }
      if (k != TOMBSTONE && matches((String[]) k, values)) {
        C c = (C) t[(i << 1) + 1];
        SLOTS.setRelease(t, i << 1, TOMBSTONE);
        t[(i << 1) + 1] = null;
        size--;
        return c;
      }
      i = (i + 1) & mask;
    }
    return null;
  }

  /** Drops every child (caller holds the lock). */
  void clearLocked() {
    slots = new Object[2 * MIN_PAIRS];
    if (touched != null) {
      touched = new long[MIN_PAIRS];
    }
    size = 0;
    used = 0;
  }

  /** Removes children last touched before {@code cutoffMillis} (caller holds the lock). */
  int expireLocked(long cutoffMillis) {
    long[] times = touched;
    Object[] t = slots;
    if (times == null) {
      return 0;
    }
    int removed = 0;
    for (int i = 0; i < times.length; i++) {
      Object k = t[i << 1];
      if (k != null && k != TOMBSTONE && times[i] < cutoffMillis) {
        SLOTS.setRelease(t, i << 1, TOMBSTONE);
        t[(i << 1) + 1] = null;
        size--;
        removed++;
      }
    }
    return removed;
  }

  private void rehash(int pairs) {
    Object[] old = slots;
    long[] oldTimes = touched;
    Object[] t = new Object[pairs * 2];
    long[] times = oldTimes == null ? null : new long[pairs];
    int mask = pairs - 1;
    for (int j = 0; j < (old.length >> 1); j++) {
      Object k = old[j << 1];
      if (k != null && k != TOMBSTONE) {
        int i = hash((String[]) k) & mask;
        while (t[i << 1] != null) {
          i = (i + 1) & mask;
        }
        t[i << 1] = k;
        t[(i << 1) + 1] = old[(j << 1) + 1];
        if (times != null) {
          times[i] = oldTimes[j];
        }
      }
    }
    used = size;
    if (times != null) {
      touched = times;
    }
    slots = t; // volatile publish after the contents
  }

  /** Visits every (label values, child) pair; values arrays must not be modified. */
  @SuppressWarnings("unchecked")
  void forEach(BiConsumer<String[], C> action) {
    Object[] t = slots;
    for (int i = 0; i < (t.length >> 1); i++) {
      Object k = SLOTS.getAcquire(t, i << 1);
      if (k != null && k != TOMBSTONE) {
        C c = (C) t[(i << 1) + 1];
        if (c != null) {
          action.accept((String[]) k, c);
        }
      }
    }
  }

  @Override
  public String toString() {
    return "ChildTable" + Arrays.toString(slots);
  }
}
