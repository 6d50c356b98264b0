package dev.vigil.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Per-thread stripes of {@code width} long slots, for series updated by several threads. Thread
 * safe and lock-free: no method takes a lock or waits for another thread.
 *
 * <p>A stripe is claimed by the first thread that maps to it and belongs to that thread for the
 * life of the table; that thread alone writes the stripe's owned slots, with a plain read and an
 * opaque write. A thread that maps to a stripe claimed by another doubles the table (up to a cap)
 * and, at the cap, adds to the stripe's shared slots with one atomic instruction (a compare-and-set
 * loop for doubles). Readers sum owned and shared slots of every stripe; a sum taken during updates
 * includes each update wholly or not at all.
 */
final class ThreadStripes {
  /*
   * Concurrency:
   * - Layout of a stripe: [PAD | owner thread id | owned slots (width) | shared slots (width) |
   *   PAD]. Stripes never share cache lines: PAD longs (128 bytes) on both sides cover
   *   adjacent-line prefetch.
   * - owner: 0, then set once by compareAndSet(0, tid). Thread ids are unique for the life of the
   *   JVM and never 0, so an owner never changes and each owned slot has exactly one writer ever;
   *   that is what makes the plain read-add-write correct. Readers load owned slots opaque (no
   *   torn longs, and each reader's successive loads never go back in time).
   * - shared slots: written by any thread with getAndAdd (longs) or a compareAndSet loop (double
   *   bits), read volatile.
   * - table: the volatile field `stripes`. It only grows, by doubling, and a new table is
   *   published with compareAndSet against the table it was copied from; it holds the same stripe
   *   objects as that table, plus new empty ones. So the tables form one chain in which each
   *   holds every stripe of the ones before: an update made through a table that has since been
   *   replaced lands in a stripe that every later reader still sums. A thread that loses the
   *   compareAndSet drops its copy and looks again in the winner's table. Growth stops at
   *   MAX_STRIPES, which the thread checks before trying, so a thread without a stripe never
   *   retries growth once the table is full.
   *
   * Why owned stripes at all, rather than LongAdder: a LongAdder pays a locked compare-and-set
   * per increment even when each thread has its own cell; an owned slot is written like a local
   * variable. That wins for long-lived threads (platform threads, pools). A short-lived thread
   * (a virtual thread per request) finds every stripe owned by a thread that has ended, and pays
   * one locked getAndAdd on a shared slot picked by its thread id: the same price as LongAdder's
   * cell. docs/BENCHMARKS.md ("Contended updates") has both measured against LongAdder.
   * The stripe is picked from a mixed hash of the thread id, so no ThreadLocal lookup is needed.
   *
   * An earlier version grew the table under `synchronized (this)` and entered that block on
   * every update from a thread without a stripe once the table was full: every virtual thread
   * after warm-up. StripesNeverBlockTest holds that monitor and checks no update waits for it.
   */
  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle STRIPES;
  private static final int PAD = 16;
  static final int MAX_STRIPES = // package-private for tests
      Math.max(16, Integer.highestOneBit(Runtime.getRuntime().availableProcessors()) * 8);

  static {
    try {
      STRIPES =
          MethodHandles.lookup().findVarHandle(ThreadStripes.class, "stripes", long[][].class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final int width;
  private volatile long[][] stripes;

  ThreadStripes(int width) {
    this.width = width;
    this.stripes = new long[][] {newStripe(), newStripe()};
  }

  private long[] newStripe() {
    return new long[PAD + 1 + 2 * width + PAD];
  }

  private static int hash(long tid) {
    return (int) ((tid * 0x9E3779B97F4A7C15L) >>> 40);
  }

  /**
   * The stripe this thread owns, or null when it maps to a stripe owned by another thread even at
   * the largest table size. Lock-free: each retry follows a successful claim or growth by another
   * thread, and growth is bounded.
   */
  private long[] owned(long tid) {
    long[][] s = stripes;
    while (true) {
      long[] st = s[hash(tid) & (s.length - 1)];
      long o = (long) LONGS.getOpaque(st, PAD);
      if (o == tid) {
        return st;
      }
      if (o == 0) {
        if (LONGS.compareAndSet(st, PAD, 0L, tid)) {
          return st;
        }
        continue; // claimed by another thread meanwhile: look again
      }
      if (s.length >= MAX_STRIPES) {
        return null;
      }
      s = grow(s);
    }
  }

  /** Publishes a table twice the size of {@code seen}; returns the current table. */
  private long[][] grow(long[][] seen) {
    long[][] bigger = new long[seen.length * 2][];
    System.arraycopy(seen, 0, bigger, 0, seen.length);
    for (int j = seen.length; j < bigger.length; j++) {
      bigger[j] = newStripe();
    }
    if (STRIPES.compareAndSet(this, seen, bigger)) {
      return bigger;
    }
    return stripes; // another thread grew it first: use its table
  }

  private long[] shared(long tid) {
    long[][] s = stripes;
    return s[hash(tid) & (s.length - 1)];
  }

  /** Adds {@code delta} to slot {@code i}. */
  void add(int i, long delta) {
    long tid = Thread.currentThread().threadId();
    long[] st = owned(tid);
    if (st != null) {
      int idx = PAD + 1 + i;
      LONGS.setOpaque(st, idx, (long) LONGS.get(st, idx) + delta);
    } else {
      LONGS.getAndAdd(shared(tid), PAD + 1 + width + i, delta);
    }
  }

  /** Adds {@code delta} to slot {@code i}, which holds double bits. */
  void addDouble(int i, double delta) {
    long tid = Thread.currentThread().threadId();
    long[] st = owned(tid);
    if (st != null) {
      int idx = PAD + 1 + i;
      double v = Double.longBitsToDouble((long) LONGS.get(st, idx)) + delta;
      LONGS.setOpaque(st, idx, Double.doubleToRawLongBits(v));
      return;
    }
    addSharedDouble(shared(tid), PAD + 1 + width + i, delta);
  }

  private static void addSharedDouble(long[] st, int idx, double delta) {
    while (true) {
      long old = (long) LONGS.getVolatile(st, idx);
      long next = Double.doubleToRawLongBits(Double.longBitsToDouble(old) + delta);
      if (LONGS.compareAndSet(st, idx, old, next)) {
        return;
      }
    }
  }

  /** Adds 1 to slot {@code bucket} and {@code value} to the double slot {@code sumSlot}. */
  void observe(int bucket, int sumSlot, double value) {
    long tid = Thread.currentThread().threadId();
    long[] st = owned(tid);
    if (st != null) {
      int b = PAD + 1 + bucket;
      LONGS.setOpaque(st, b, (long) LONGS.get(st, b) + 1);
      int s = PAD + 1 + sumSlot;
      double v = Double.longBitsToDouble((long) LONGS.get(st, s)) + value;
      LONGS.setOpaque(st, s, Double.doubleToRawLongBits(v));
      return;
    }
    st = shared(tid);
    LONGS.getAndAdd(st, PAD + 1 + width + bucket, 1L);
    addSharedDouble(st, PAD + 1 + width + sumSlot, value);
  }

  /** Sum of slot {@code i} over all stripes. */
  long sum(int i) {
    long total = 0;
    for (long[] s : stripes) {
      total += (long) LONGS.getOpaque(s, PAD + 1 + i);
      total += (long) LONGS.getVolatile(s, PAD + 1 + width + i);
    }
    return total;
  }

  /** Sum of double slot {@code i} over all stripes. */
  double sumDouble(int i) {
    double total = 0;
    for (long[] s : stripes) {
      total += Double.longBitsToDouble((long) LONGS.getOpaque(s, PAD + 1 + i));
      total += Double.longBitsToDouble((long) LONGS.getVolatile(s, PAD + 1 + width + i));
    }
    return total;
  }
}
