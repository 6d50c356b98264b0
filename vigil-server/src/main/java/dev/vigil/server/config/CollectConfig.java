package dev.vigil.server.config;

import java.time.Duration;

/**
 * The {@code collect} section: what Vigil collects about this host and itself.
 *
 * @param interval how often (default 5 s, at least 1 s)
 * @param system CPU, memory, disk, network of this host
 * @param jvm the JVM Vigil runs in
 * @param gpu NVIDIA GPUs, when present
 * @param self Vigil's own metrics (scrape, storage, HTTP)
 * @param namespace prefix for the application recorders' metric names (e.g. {@code dinoair_})
 */
public record CollectConfig(
    Duration interval, boolean system, boolean jvm, boolean gpu, boolean self, String namespace) {

  /** Every 5 s, everything on, recorders prefixed {@code app_}. */
  public static CollectConfig defaults() {
    return new CollectConfig(Duration.ofSeconds(5), true, true, true, true, "app_");
  }
}
