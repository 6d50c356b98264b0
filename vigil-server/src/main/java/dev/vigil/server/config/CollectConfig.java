package dev.vigil.server.config;

import dev.vigil.collectors.recorders.Recorders;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The {@code collect} section: what Vigil collects about this host and itself.
 *
 * @param interval how often (default 5 s, at least 1 s)
 * @param system CPU, memory, disk, network of this host
 * @param jvm the JVM Vigil runs in
 * @param gpu NVIDIA GPUs, when present
 * @param self Vigil's own metrics (scrape, storage, HTTP)
 * @param namespace prefix for the application recorders' metric names (e.g. {@code dinoair_})
 * @param sampling the share 0-1 of the recorders' events and exemplars kept: {@code default} for
 *     every recorder, or one of {@link #SAMPLED} (absent: 1, all kept)
 */
public record CollectConfig(
    Duration interval,
    boolean system,
    boolean jvm,
    boolean gpu,
    boolean self,
    String namespace,
    Map<String, Double> sampling) {

  /** The keys of {@code collect.sampling}: {@code default} and the recorders with events. */
  public static final List<String> SAMPLED =
      java.util.stream.Stream.concat(
              java.util.stream.Stream.of("default"), Recorders.SAMPLED.stream())
          .toList();

  public CollectConfig {
    // A default of 1 is the default: left out, so equal configurations compare equal.
    Map<String, Double> m = new java.util.HashMap<>(sampling == null ? Map.of() : sampling);
    m.remove("default", 1.0);
    sampling = Map.copyOf(m);
  }

  /** Without sampling: every event and exemplar kept. */
  public CollectConfig(
      Duration interval, boolean system, boolean jvm, boolean gpu, boolean self, String namespace) {
    this(interval, system, jvm, gpu, self, namespace, Map.of());
  }

  /** Every 5 s, everything on, recorders prefixed {@code app_}. */
  public static CollectConfig defaults() {
    return new CollectConfig(Duration.ofSeconds(5), true, true, true, true, "app_");
  }

  /** A copy with other sampling rates. */
  public CollectConfig withSampling(Map<String, Double> value) {
    return new CollectConfig(interval, system, jvm, gpu, self, namespace, value);
  }

  /**
   * Sets this section's sampling rates on running recorders (a reload): {@code default}, then each
   * recorder's own, every recorder not named back to {@code default}.
   */
  public void applySampling(Recorders r) {
    Map<String, Double> own = new java.util.HashMap<>(sampling);
    Double all = own.remove("default");
    r.sampling(all == null ? 1.0 : all, own);
  }

  /** Sets this section's namespace and sampling rates on a recorders' builder; returns it. */
  public Recorders.Builder recorders(Recorders.Builder b) {
    b.namespace(namespace);
    Double all = sampling.get("default");
    if (all != null) {
      b.sampling(all);
    }
    for (Map.Entry<String, Double> e : sampling.entrySet()) {
      if (!e.getKey().equals("default")) {
        b.sampling(e.getKey(), e.getValue());
      }
    }
    return b;
  }
}
