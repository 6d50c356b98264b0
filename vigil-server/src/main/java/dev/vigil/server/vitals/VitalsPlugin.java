package dev.vigil.server.vitals;

import dev.vigil.server.Vigil;
import dev.vigil.server.VigilPlugin;
import dev.vigil.server.http.Routes;
import java.util.List;

/**
 * Mounts browser metrics ({@link VitalsRoutes}: {@code /vitals.js} and {@code POST /api/v1/vitals})
 * on every {@link Vigil} with HTTP, found through {@code
 * META-INF/services/dev.vigil.server.VigilPlugin}. The {@code browser_vitals} section is read again
 * after each reload.
 */
public final class VitalsPlugin implements VigilPlugin {
  @Override
  public List<Routes> routes(Vigil vigil) {
    return List.of(new VitalsRoutes(vigil::config, vigil.registry(), System::nanoTime));
  }
}
