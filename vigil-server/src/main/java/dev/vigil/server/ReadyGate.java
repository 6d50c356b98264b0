package dev.vigil.server;

/**
 * Startup work that {@code /-/ready} waits for beyond Vigil's own (the WAL replay, scraping): a
 * gate taken from {@link Vigil.Builder#holdReady(String)} before start keeps {@code /-/ready} at
 * 503, naming the work, until {@link #open()}. The store, the query API and the dashboard work
 * meanwhile (the work may need them, as the demo's backfill does); {@code /-/healthy} says 200.
 *
 * <pre>{@code
 * Vigil.Builder b = Vigil.builder(config);
 * ReadyGate backfill = b.holdReady("demo backfill");
 * Vigil vigil = b.start();          // /-/ready: 503 "waiting for demo backfill"
 * writeHistory(vigil.storage());
 * backfill.open();                  // /-/ready: 200
 * }</pre>
 *
 * <p>Thread-safe; opening twice is harmless.
 */
public final class ReadyGate {
  private final String what;
  private volatile boolean open;

  ReadyGate(String what) {
    this.what = java.util.Objects.requireNonNull(what, "what");
  }

  /** Lets {@code /-/ready} say 200 once every other gate is open too. */
  public void open() {
    open = true;
  }

  /** Whether {@link #open()} was called. */
  public boolean isOpen() {
    return open;
  }

  /** What the gate waits for, as {@code /-/ready} names it. */
  public String what() {
    return what;
  }
}
