package dev.vigil.server.ingest;

import dev.vigil.ingest.IngestLimits;
import dev.vigil.server.Vigil;
import dev.vigil.server.VigilPlugin;
import dev.vigil.server.config.VigilConfig;
import dev.vigil.server.http.Routes;
import java.util.List;

/**
 * Mounts push ingest ({@link IngestRoutes}) on every {@link Vigil} with HTTP, found through {@code
 * META-INF/services/dev.vigil.server.VigilPlugin}. Storage is looked up per request, so pushes made
 * while the store still opens get 503 (retried by senders).
 *
 * <p>The limits are the configuration's {@code ingest} section ({@code max_series}, {@code
 * max_labels_per_series}, label name and value lengths, {@code max_decompressed_size}, {@code
 * samples_per_second}, {@code burst_samples}) with the body limit of {@code
 * server.limits.max_body_size}; they are read once at start and change only at a restart.
 */
public final class IngestPlugin implements VigilPlugin {
  @Override
  public List<Routes> routes(Vigil vigil) {
    return List.of(
        new IngestRoutes(
            () -> vigil.storage().appender(),
            limits(vigil.config()),
            vigil.registry(),
            System::currentTimeMillis));
  }

  /** The ingest limits {@code config} asks for: its {@code ingest} section and body size limit. */
  public static IngestLimits limits(VigilConfig config) {
    IngestLimits l = config.ingest();
    long maxBody = config.server().limits().maxBodyBytes();
    return IngestLimits.builder()
        .maxBodyBytes((int) Math.min(Integer.MAX_VALUE, maxBody))
        .maxDecompressedBytes(l.maxDecompressedBytes())
        .maxSeries(l.maxSeries())
        .maxLabelsPerSeries(l.maxLabelsPerSeries())
        .maxLabelNameLength(l.maxLabelNameLength())
        .maxLabelValueLength(l.maxLabelValueLength())
        .samplesPerSecond(l.samplesPerSecond())
        .burstSamples(l.burstSamples())
        .build();
  }
}
