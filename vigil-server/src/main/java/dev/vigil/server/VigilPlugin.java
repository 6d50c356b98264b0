package dev.vigil.server;

import dev.vigil.server.http.Routes;
import java.util.List;

/**
 * A module that adds HTTP areas to a running Vigil (push ingest, the seeds' API, WebSocket), found
 * with {@link java.util.ServiceLoader}: list the implementation in {@code
 * META-INF/services/dev.vigil.server.VigilPlugin}. Called once at start, before the server listens;
 * the routes may use everything the {@link Vigil} handle gives.
 */
public interface VigilPlugin {
  /** The areas to register. */
  List<Routes> routes(Vigil vigil);

  /** Called by {@link Vigil#close()} before storage closes. */
  default void close() {}
}
