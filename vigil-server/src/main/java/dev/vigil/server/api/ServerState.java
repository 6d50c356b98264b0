package dev.vigil.server.api;

import dev.vigil.server.config.VigilConfig;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the status and lifecycle endpoints report: the current config, readiness, the last reload,
 * the command-line flags. Thread-safe; the server updates it, handlers read it.
 */
public final class ServerState {
  private final Instant startTime = Instant.now();
  private final Map<String, String> flags;
  private final AtomicReference<VigilConfig> config;
  private volatile boolean ready;
  private final Map<String, java.util.function.BooleanSupplier> holds =
      new java.util.concurrent.ConcurrentHashMap<>();
  private volatile boolean lastReloadOk = true;
  private volatile Instant lastReloadTime = Instant.now();
  private volatile String lastReloadError = "";
  private volatile java.util.List<String> reloadWarnings = java.util.List.of();
  private final dev.vigil.tsdb.WalReplayProgress walReplay = new dev.vigil.tsdb.WalReplayProgress();

  public ServerState(VigilConfig config, Map<String, String> flags) {
    this.config = new AtomicReference<>(config);
    this.flags = Map.copyOf(flags);
  }

  public Instant startTime() {
    return startTime;
  }

  public Map<String, String> flags() {
    return flags;
  }

  public VigilConfig config() {
    return config.get();
  }

  /**
   * Whether the storage has replayed its WAL, everything runs and no startup work is pending (see
   * {@link #holdReady}): what {@code /-/ready} answers.
   */
  public boolean ready() {
    return ready && waitingFor() == null;
  }

  /** Whether the storage has replayed its WAL and everything runs: the store may be used. */
  public boolean started() {
    return ready;
  }

  public void setReady(boolean r) {
    ready = r;
  }

  /**
   * Holds {@link #ready()} false until {@code pending} says false: startup work beyond the server's
   * own (the demo's backfill). {@code what} names it in {@code /-/ready}'s answer.
   */
  public void holdReady(String what, java.util.function.BooleanSupplier pending) {
    holds.put(what, pending);
  }

  /** The startup work {@code /-/ready} still waits for, or null. */
  public String waitingFor() {
    for (var h : holds.entrySet()) {
      if (h.getValue().getAsBoolean()) {
        return h.getKey();
      }
    }
    return null;
  }

  /** Records a successful reload with the new config. */
  public void reloaded(VigilConfig c) {
    reloaded(c, java.util.List.of());
  }

  /**
   * Records a successful reload with the config now in force and what the file changed that runs on
   * as before until a restart ({@code warnings}, shown by {@code /api/v1/status/config}).
   */
  public void reloaded(VigilConfig c, java.util.List<String> warnings) {
    config.set(c);
    reloadWarnings = java.util.List.copyOf(warnings);
    lastReloadOk = true;
    lastReloadError = "";
    lastReloadTime = Instant.now();
  }

  /**
   * What the last successful reload kept as it was (settings that change only at a restart), empty
   * when it applied everything.
   */
  public java.util.List<String> reloadWarnings() {
    return reloadWarnings;
  }

  /** Records a failed reload; the old config stays. */
  public void reloadFailed(String error) {
    lastReloadOk = false;
    lastReloadError = error;
    lastReloadTime = Instant.now();
  }

  public boolean lastReloadOk() {
    return lastReloadOk;
  }

  public Instant lastReloadTime() {
    return lastReloadTime;
  }

  public String lastReloadError() {
    return lastReloadError;
  }

  /** The storage's WAL replay at start-up, for {@code /api/v1/status/walreplay}. */
  public dev.vigil.tsdb.WalReplayProgress walReplay() {
    return walReplay;
  }
}
