package dev.vigil.server.seeds;

import dev.vigil.server.Vigil;
import dev.vigil.server.VigilPlugin;
import dev.vigil.server.http.Routes;
import java.util.List;

/**
 * Mounts the seeds' API ({@link SeedApiRoutes}) and the WebSocket ({@link LiveRoutes}, at most
 * {@link #MAX_WS_CONNECTIONS} connections) on every {@link Vigil} with HTTP, found through {@code
 * META-INF/services/dev.vigil.server.VigilPlugin}. Queries before the store is open get 503.
 */
public final class SeedsPlugin implements VigilPlugin {
  /** WebSocket connections served at once. */
  public static final int MAX_WS_CONNECTIONS = 256;

  private LiveRoutes live;

  @Override
  public List<Routes> routes(Vigil vigil) {
    DashboardData d =
        new DashboardData(
            vigil::engine,
            vigil.recorders().namespace(),
            vigil.recorders()::recentErrors,
            System::currentTimeMillis);
    live = new LiveRoutes(d, MAX_WS_CONNECTIONS, vigil.registry());
    return List.of(new SeedApiRoutes(d), live);
  }

  @Override
  public void close() {
    if (live != null) {
      live.close();
    }
  }
}
