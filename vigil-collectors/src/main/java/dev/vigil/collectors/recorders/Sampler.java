package dev.vigil.collectors.recorders;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Decides which of a recorder's events and exemplars are kept: a share {@code rate} of them, drawn
 * at random (DinoAir's event sampling, DevLoop's {@code sampleRate}). Counters, gauges and
 * histograms never go through a sampler: they stay exact.
 *
 * <p>Rate 1 keeps everything without drawing a number, rate 0 keeps nothing (events off). The
 * random source is {@link ThreadLocalRandom} unless one is injected (tests: a fixed sequence). The
 * rate can change while events are recorded ({@link #rate(double)}: a reloaded {@code
 * collect.sampling}); each event reads it once. Thread-safe when the injected source is.
 */
final class Sampler {
  /**
   * The recorders whose events or exemplars can be sampled, as {@code sampling(name, rate)} names
   * them.
   */
  static final java.util.List<String> RECORDERS =
      java.util.List.of("api", "errors", "files", "spans", "quality");

  /** Keeps everything, always (spans built outside a recorder); never re-rated. */
  static final Sampler ALL = new Sampler(1.0, null);

  // Volatile: a plain load on x86 and ARM's ldar, read once per event.
  private volatile double rate;
  private final DoubleSupplier random;

  /**
   * A sampler keeping a share {@code rate} of events.
   *
   * @param random numbers uniform in [0, 1), or null for {@link ThreadLocalRandom}
   */
  Sampler(double rate, DoubleSupplier random) {
    this.rate = check("sampling", rate);
    this.random = random;
  }

  /** Returns {@code rate} when it is a share 0-1; else throws naming {@code what}. */
  static double check(String what, double rate) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException(
          what + ": rate must be between 0 (no events) and 1 (every event), got " + rate);
    }
    return rate;
  }

  /** Whether to keep this event. */
  boolean sample() {
    double r = rate;
    if (r >= 1) {
      return true;
    }
    if (r <= 0) {
      return false;
    }
    double u = random == null ? ThreadLocalRandom.current().nextDouble() : random.getAsDouble();
    return u < r;
  }

  /** Keeps a share {@code rate} of the events from now on. */
  void rate(double rate) {
    if (this == ALL) {
      throw new IllegalStateException("the shared keep-all sampler is not re-rated");
    }
    this.rate = check("sampling", rate);
  }

  double rate() {
    return rate;
  }
}
