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
  private volatile boolean lastReloadOk = true;
  private volatile Instant lastReloadTime = Instant.now();
  private volatile String lastReloadError = "";
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

  /** Whether the storage has replayed its WAL and queries see all data. */
  public boolean ready() {
    return ready;
  }

  public void setReady(boolean r) {
    ready = r;
  }

  /** Records a successful reload with the new config. */
  public void reloaded(VigilConfig c) {
    config.set(c);
    lastReloadOk = true;
    lastReloadError = "";
    lastReloadTime = Instant.now();
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
