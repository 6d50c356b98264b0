package dev.vigil.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Label values to child, for one labelled metric: lookups never lock and never allocate.
 *
 * <p>Thread safety: the lookups ({@link #get}, {@link #get1}, {@link #get2}, {@link #get3}) and
 * {@link #forEach} run without locks; every method named {@code ...Locked} and {@link #size} need
 * the caller to hold {@code this}. A lookup returns an {@link Entry} whose values are exactly the
 * values asked for, and whose child is the one inserted with those values: never the child of
 * another label set. It may return an entry that a concurrent remove has just taken out; updates
 * through it are then lost with the child, as for any child used after its removal.
 */
final class ChildTable<C> {
  /*
   * Concurrency: open addressing with linear probing in one Object[] whose elements are null
   * (never used), TOMBSTONE (removed) or an Entry. An Entry holds the label values and the child
   * in final fields and is never changed after construction, so a reader that compares an entry's
   * values and then takes its child takes the child of those values: the pair is read through one
   * reference. (The earlier layout kept key and child in two adjacent slots; a reader could match
   * the key, lose the processor while the slot was removed and reused by another key, then read
   * the other key's child: an increment of "a" landed on "b3". ChildTableRaceTest reproduces it.)
   *
   * Writers hold the table's monitor. An insert publishes a new Entry with a release store; a
   * remove stores TOMBSTONE; neither ever writes into an existing Entry. Readers load slots with
   * acquire (final fields would suffice for the entry's contents; acquire also orders the loads of
   * the array's elements after the volatile load of the array). Growth builds a new array from
   * the live entries (the same Entry objects) and publishes it through the volatile field; a
   * reader still probing the old array may miss a key, which sends it to the locked slow path
   * that looks again in the current array, or may find an entry removed since, as above.
   *
   * Expiry: an entry's last access (touched) is the one mutable field, written opaque by any
   * reader, read by the expiry scan under the lock. It is a hint: a touch racing the scan may be
   * missed, and the child expire at that scrape.
   *
   * Compared with ConcurrentHashMap<List<String>, C> (client_java), a lookup allocates no key
   * object and hashes the strings' cached hash codes only. Per child the table costs one Entry
   * (32 bytes for 1-3 labels: values are fields, no String[]) and one or two slot references at
   * load factor <= 0.5 (4-8 bytes with compressed oops).
   */
  private static final Object TOMBSTONE = new Object();
  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);
  private static final VarHandle TOUCHED;
  private static final int MIN_SLOTS = 8;

  static {
    try {
      TOUCHED = MethodHandles.lookup().findVarHandle(Entry.class, "touched", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private volatile Object[] slots = new Object[MIN_SLOTS];
  private final boolean trackAccess;
  private int size; // guarded by this
  private int used; // live + tombstones, guarded by this

  ChildTable(boolean trackAccess) {
    this.trackAccess = trackAccess;
  }

  /**
   * One (label values, child) pair; immutable but for the access time. Subclasses hold one, two or
   * three values as fields, or an array for more.
   */
  abstract static class Entry<C> {
    final C child;

    @SuppressWarnings("unused") // through TOUCHED
    private long touched;

    Entry(C child, long touched) {
      this.child = child;
      this.touched = touched;
    }

    abstract boolean matches(String[] values);

    /** {@link ChildTable#hash(String[])} of the values. */
    abstract int hash();

    /** The label values, in label-name order; a new array. */
    abstract String[] values();

    /** Label value {@code i}. */
    abstract String value(int i);

    /** Records an access (opaque: a hint for expiry). */
    final void touch(long nowMillis) {
      if ((long) TOUCHED.getOpaque(this) != nowMillis) {
        TOUCHED.setOpaque(this, nowMillis);
      }
    }

    final long touched() {
      return (long) TOUCHED.getOpaque(this);
    }

    static <C> Entry<C> of(String[] values, C child, long nowMillis) {
      return switch (values.length) {
        case 1 -> new Entry1<>(values[0], child, nowMillis);
        case 2 -> new Entry2<>(values[0], values[1], child, nowMillis);
        case 3 -> new Entry3<>(values[0], values[1], values[2], child, nowMillis);
        default -> new EntryN<>(values.clone(), child, nowMillis);
      };
    }
  }

  private static final class Entry1<C> extends Entry<C> {
    final String v0;

    Entry1(String v0, C child, long touched) {
      super(child, touched);
      this.v0 = v0;
    }

    @Override
    boolean matches(String[] values) {
      return eq(v0, values[0]);
    }

    @Override
    int hash() {
      return hash1(v0);
    }

    @Override
    String[] values() {
      return new String[] {v0};
    }

    @Override
    String value(int i) {
      return v0;
    }
  }

  private static final class Entry2<C> extends Entry<C> {
    final String v0;
    final String v1;

    Entry2(String v0, String v1, C child, long touched) {
      super(child, touched);
      this.v0 = v0;
      this.v1 = v1;
    }

    @Override
    boolean matches(String[] values) {
      return eq(v0, values[0]) && eq(v1, values[1]);
    }

    @Override
    int hash() {
      return hash2(v0, v1);
    }

    @Override
    String[] values() {
      return new String[] {v0, v1};
    }

    @Override
    String value(int i) {
      return i == 0 ? v0 : v1;
    }
  }

  private static final class Entry3<C> extends Entry<C> {
    final String v0;
    final String v1;
    final String v2;

    Entry3(String v0, String v1, String v2, C child, long touched) {
      super(child, touched);
      this.v0 = v0;
      this.v1 = v1;
      this.v2 = v2;
    }

    @Override
    boolean matches(String[] values) {
      return eq(v0, values[0]) && eq(v1, values[1]) && eq(v2, values[2]);
    }

    @Override
    int hash() {
      return hash3(v0, v1, v2);
    }

    @Override
    String[] values() {
      return new String[] {v0, v1, v2};
    }

    @Override
    String value(int i) {
      return i == 0 ? v0 : i == 1 ? v1 : v2;
    }
  }

  private static final class EntryN<C> extends Entry<C> {
    final String[] vs; // a private copy

    EntryN(String[] vs, C child, long touched) {
      super(child, touched);
      this.vs = vs;
    }

    @Override
    boolean matches(String[] values) {
      for (int j = 0; j < vs.length; j++) {
        if (!eq(vs[j], values[j])) {
          return false;
        }
      }
      return true;
    }

    @Override
    int hash() {
      return ChildTable.hash(vs);
    }

    @Override
    String[] values() {
      return vs.clone();
    }

    @Override
    String value(int i) {
      return vs[i];
    }
  }

  static int hash(String[] values) {
    int h = 1;
    for (String v : values) {
      h = 31 * h + (v == null ? 0 : v.hashCode()); // null: a miss, rejected on the slow path
    }
    return h ^ (h >>> 16);
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

  private static boolean eq(String a, String b) {
    return a == b || a.equals(b);
  }

  /** The entry for these label values, or null. Lock-free. */
  @SuppressWarnings("unchecked")
  Entry<C> get(String[] values, int hash) {
    Object[] t = slots;
    int mask = t.length - 1;
    int i = hash & mask;
    for (int probes = 0; probes <= mask; probes++) {
      Object k = SLOTS.getAcquire(t, i);
      if (k == null) {
        return null;
      }
      if (k != TOMBSTONE && ((Entry<C>) k).matches(values)) {
        return (Entry<C>) k;
      }
      i = (i + 1) & mask;
    }
    return null;
  }

  /** One-value lookup without an array: {@code labelValues(a)} allocates nothing. */
  @SuppressWarnings("unchecked")
  Entry<C> get1(String v0, int hash) {
    Object[] t = slots;
    int mask = t.length - 1;
    int i = hash & mask;
    for (int probes = 0; probes <= mask; probes++) {
      Object k = SLOTS.getAcquire(t, i);
      if (k == null) {
        return null;
      }
      if (k instanceof Entry1<?> e && eq(e.v0, v0)) {
        return (Entry<C>) e;
      }
      i = (i + 1) & mask;
    }
    return null;
  }

  /** Two-value lookup without an array: {@code labelValues(a, b)} allocates nothing. */
  @SuppressWarnings("unchecked")
  Entry<C> get2(String v0, String v1, int hash) {
    Object[] t = slots;
    int mask = t.length - 1;
    int i = hash & mask;
    for (int probes = 0; probes <= mask; probes++) {
      Object k = SLOTS.getAcquire(t, i);
      if (k == null) {
        return null;
      }
      if (k instanceof Entry2<?> e && eq(e.v0, v0) && eq(e.v1, v1)) {
        return (Entry<C>) e;
      }
      i = (i + 1) & mask;
    }
    return null;
  }

  /** Three-value lookup without an array. */
  @SuppressWarnings("unchecked")
  Entry<C> get3(String v0, String v1, String v2, int hash) {
    Object[] t = slots;
    int mask = t.length - 1;
    int i = hash & mask;
    for (int probes = 0; probes <= mask; probes++) {
      Object k = SLOTS.getAcquire(t, i);
      if (k == null) {
        return null;
      }
      if (k instanceof Entry3<?> e && eq(e.v0, v0) && eq(e.v1, v1) && eq(e.v2, v2)) {
        return (Entry<C>) e;
      }
      i = (i + 1) & mask;
    }
    return null;
  }

  /** Number of children (caller holds the lock, or accepts a stale answer). */
  synchronized int size() {
    return size;
  }

  /**
   * Inserts (caller holds the lock and checked absence). {@code values} is copied.
   *
   * @return the new entry
   */
  Entry<C> putLocked(String[] values, int hash, C child, long nowMillis) {
    if ((used + 1) * 2 > slots.length) {
      rehash(Math.max(MIN_SLOTS, Integer.highestOneBit(Math.max(1, size + 1) * 4)));
    }
    Entry<C> e = Entry.of(values, child, trackAccess ? nowMillis : 0);
    Object[] t = slots;
    int mask = t.length - 1;
    int i = hash & mask;
    while (true) {
      Object k = t[i];
      if (k == null || k == TOMBSTONE) {
        if (k == null) {
          used++;
        }
        SLOTS.setRelease(t, i, (Object) e);
        size++;
        return e;
      }
      i = (i + 1) & mask;
    }
  }

  /** Removes the child for these values (caller holds the lock); returns it or null. */
  @SuppressWarnings("unchecked")
  C removeLocked(String[] values) {
    Object[] t = slots;
    int mask = t.length - 1;
    int i = hash(values) & mask;
    for (int probes = 0; probes <= mask; probes++) {
      Object k = t[i];
      if (k == null) {
        return null;
      }
      if (k != TOMBSTONE && ((Entry<C>) k).matches(values)) {
        SLOTS.setRelease(t, i, TOMBSTONE);
        size--;
        return ((Entry<C>) k).child;
      }
      i = (i + 1) & mask;
    }
    return null;
  }

  /** Drops every child (caller holds the lock). */
  void clearLocked() {
    slots = new Object[MIN_SLOTS];
    size = 0;
    used = 0;
  }

  /** Removes children last touched before {@code cutoffMillis} (caller holds the lock). */
  @SuppressWarnings("unchecked")
  int expireLocked(long cutoffMillis) {
    if (!trackAccess) {
      return 0;
    }
    Object[] t = slots;
    int removed = 0;
    for (int i = 0; i < t.length; i++) {
      Object k = t[i];
      if (k != null && k != TOMBSTONE && ((Entry<C>) k).touched() < cutoffMillis) {
        SLOTS.setRelease(t, i, TOMBSTONE);
        size--;
        removed++;
      }
    }
    return removed;
  }

  private void rehash(int capacity) {
    Object[] old = slots;
    Object[] t = new Object[capacity];
    int mask = capacity - 1;
    for (Object k : old) {
      if (k != null && k != TOMBSTONE) {
        @SuppressWarnings("unchecked")
        Entry<C> e = (Entry<C>) k;
        int i = e.hash() & mask;
        while (t[i] != null) {
          i = (i + 1) & mask;
        }
        t[i] = e;
      }
    }
    used = size;
    slots = t; // volatile publish after the contents
  }

  /** Visits every entry. Lock-free; sees a subset of concurrent inserts and removes. */
  @SuppressWarnings("unchecked")
  void forEach(Consumer<Entry<C>> action) {
    Object[] t = slots;
    for (int i = 0; i < t.length; i++) {
      Object k = SLOTS.getAcquire(t, i);
      if (k != null && k != TOMBSTONE) {
        action.accept((Entry<C>) k);
      }
    }
  }

  @Override
  public String toString() {
    return "ChildTable" + Arrays.toString(slots);
  }
}
