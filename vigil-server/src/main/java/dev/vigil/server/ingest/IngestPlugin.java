package dev.vigil.server.ingest;

import dev.vigil.ingest.IngestLimits;
import dev.vigil.server.Vigil;
import dev.vigil.server.VigilPlugin;
import dev.vigil.server.http.Routes;
import java.util.List;

/**
 * Mounts push ingest ({@link IngestRoutes}) on every {@link Vigil} with HTTP, found through {@code
 * META-INF/services/dev.vigil.server.VigilPlugin}. Storage is looked up per request, so pushes made
 * while the store still opens get 503 (retried by senders).
 */
public final class IngestPlugin implements VigilPlugin {
  @Override
  public List<Routes> routes(Vigil vigil) {
    return List.of(
        new IngestRoutes(
            () -> vigil.storage().appender(),
            IngestLimits.DEFAULTS,
            vigil.registry(),
            System::currentTimeMillis));
  }
}
