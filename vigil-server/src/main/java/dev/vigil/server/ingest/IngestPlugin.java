package dev.vigil.server.ingest;

import dev.vigil.ingest.IngestLimits;
import dev.vigil.server.Vigil;
import dev.vigil.server.VigilPlugin;
import dev.vigil.server.http.Routes;
import java.util.List;

/**
 * Mounts push ingest ({@link IngestRoutes}) on every {@link Vigil} with HTTP, found through {@code
 * META-INF/services/dev.vigil.server.VigilPlugin}. Storage is looked up per request, so pushes made
 * while the store still opens get 503 (retried by senders). The body limit is the server's {@code
 * server.limits.max_body_size} (decompressed: 8 times that, at least 64 MiB); the series, label and
 * rate limits are {@link IngestLimits}' defaults.
 */
public final class IngestPlugin implements VigilPlugin {
  @Override
  public List<Routes> routes(Vigil vigil) {
    long maxBody = vigil.config().server().limits().maxBodyBytes();
    IngestLimits limits =
        IngestLimits.builder()
            .maxBodyBytes((int) Math.min(Integer.MAX_VALUE, maxBody))
            .maxDecompressedBytes(
                (int) Math.min(Integer.MAX_VALUE, Math.max(maxBody * 8, 64L << 20)))
            .build();
    return List.of(
        new IngestRoutes(
            () -> vigil.storage().appender(), limits, vigil.registry(), System::currentTimeMillis));
  }
}
