package dev.vigil.metrics;

import dev.vigil.metrics.model.Exemplar;
import dev.vigil.metrics.model.Labels;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.InstantSource;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * The counter child. Thread safe.
 *
 * <p>Concurrency: the first thread to increment becomes the owner and adds to {@code ownerCount}
 * with a plain read and an opaque write (it is the only writer). When a second thread increments,
 * the cell turns contended for good: from then on every thread, the owner included, adds to its own
 * stripe of {@link ThreadStripes}, or, when it has none (a short-lived thread once every stripe is
 * taken), to a shared slot with one atomic add. The total is the owner's total plus the stripes. No
 * path takes a lock: {@code inc} never blocks.
 */
final class CounterCell implements Counter.Child {
  /*
   * Why an owner: an uncontended compare-and-set still costs a locked instruction (~5-8 ns); the
   * owner's increment is a load, an add and a store (~1 ns), and most series are updated from one
   * thread. Why everyone moves to stripes once contended: the owner's writes to this object would
   * otherwise invalidate the cache line every other thread reads to find its way, so after the
   * switch this object is read-only and each thread writes only its own padded stripe. Slot 0 of
   * the stripes counts whole increments; fractional increments go to a DoubleAdder.
   *
   * Concurrency: owner moves only null -> T (compareAndSet) -> CONTENDED (set once the stripes
   * exist) and never back, so ownerCount has one writer for the cell's life: T. T may still add
   * to ownerCount after another thread marked the cell contended (it read its own id just
   * before); that is harmless, because ownerCount stays summed by get() forever. Every other
   * update goes to the stripes (see ThreadStripes), which take no lock. get() reads ownerCount
   * opaque and each stripe slot opaque or volatile, so a total never includes half an update
   * and, read twice by one thread, never goes backwards (StripesTest).
   */
  static final Thread CONTENDED = new Thread("vigil-contended-marker");

  private static final VarHandle OWNER;
  private static final VarHandle COUNT;
  private static final VarHandle EXTRAS;
  private static final VarHandle STRIPES;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      OWNER = l.findVarHandle(CounterCell.class, "owner", Thread.class);
      COUNT = l.findVarHandle(CounterCell.class, "ownerCount", long.class);
      EXTRAS = l.findVarHandle(CounterCell.class, "extras", Extras.class);
      STRIPES = l.findVarHandle(CounterCell.class, "stripes", ThreadStripes.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final InstantSource clock;

  @SuppressWarnings("unused") // through OWNER: null, then the owner, then CONTENDED
  private Thread owner;

  private long ownerCount; // whole increments of the owner, written by the owner only (opaque)

  @SuppressWarnings("unused") // through STRIPES: set once
  private ThreadStripes stripes;

  // Exemplar and fractional increments, made on first use: most counters never need them, and
  // one reference instead of two fields keeps the child at 40 bytes.
  @SuppressWarnings("unused") // through EXTRAS: set once
  private Extras extras;

  // Creation time in whole seconds since the epoch (unsigned, good until 2106): an int instead of
  // a long keeps the child at 40 bytes; _created needs no millisecond precision.
  private final int createdSeconds;

  CounterCell(InstantSource clock) {
    this.clock = clock;
    this.createdSeconds = (int) (clock.millis() / 1000);
  }

  @Override
  public void inc() {
    Thread t = Thread.currentThread();
    if (OWNER.getOpaque(this) == t) {
      COUNT.setOpaque(this, ownerCount + 1);
    } else {
      slowAdd(t, 1);
    }
  }

  @Override
  public void inc(double amount) {
    long whole = (long) amount;
    if (whole == amount && whole >= 0) {
      Thread t = Thread.currentThread();
      if (OWNER.getOpaque(this) == t) {
        COUNT.setOpaque(this, ownerCount + whole);
      } else {
        slowAdd(t, whole);
      }
    } else {
      incFraction(amount);
    }
  }

  private void slowAdd(Thread t, long amount) {
    if (OWNER.getOpaque(this) == null && OWNER.compareAndSet(this, null, t)) {
      COUNT.setOpaque(this, ownerCount + amount);
      return;
    }
    stripes().add(0, amount);
  }

  /** The stripes; creating them marks the cell contended. */
  private ThreadStripes stripes() {
    ThreadStripes s = (ThreadStripes) STRIPES.getAcquire(this);
    if (s == null) {
      s = new ThreadStripes(1);
      if (!STRIPES.compareAndSet(this, null, s)) {
        s = (ThreadStripes) STRIPES.getAcquire(this);
      }
      OWNER.setVolatile(this, CONTENDED);
    }
    return s;
  }

  private void incFraction(double amount) {
    if (!(amount >= 0)) {
      throw new IllegalArgumentException(
          "counter increment must be non-negative and not NaN, got " + amount);
    }
    extras().fraction.add(amount);
  }

  @Override
  public void incWithExemplar(double amount, String traceId, String spanId) {
    inc(amount);
    extras().exemplar = Exemplar.of(amount, traceId, spanId, clock.millis());
  }

  @Override
  public void incWithExemplar(double amount, Labels exemplarLabels) {
    inc(amount);
    extras().exemplar = new Exemplar(amount, exemplarLabels, clock.millis());
  }

  private Extras extras() {
    Extras e = (Extras) EXTRAS.getAcquire(this);
    if (e == null) {
      e = new Extras();
      if (!EXTRAS.compareAndSet(this, null, e)) {
        e = (Extras) EXTRAS.getAcquire(this);
      }
    }
    return e;
  }

  /** The latest exemplar, or null. */
  Exemplar exemplar() {
    Extras e = (Extras) EXTRAS.getAcquire(this);
    return e == null ? null : e.exemplar;
  }

  /** Rarely used state of a counter child. */
  private static final class Extras {
    final DoubleAdder fraction = new DoubleAdder();
    volatile Exemplar exemplar;
  }

  long createdMillis() {
    return Integer.toUnsignedLong(createdSeconds) * 1000;
  }

  @Override
  public double get() {
    double total = (long) COUNT.getOpaque(this);
    Extras e = (Extras) EXTRAS.getAcquire(this);
    if (e != null) {
      total += e.fraction.sum();
    }
    ThreadStripes s = (ThreadStripes) STRIPES.getAcquire(this);
    if (s != null) {
      total += s.sum(0);
    }
    return total;
  }
}
