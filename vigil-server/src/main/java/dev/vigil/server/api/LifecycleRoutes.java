package dev.vigil.server.api;

import dev.vigil.server.http.ApiError;
import dev.vigil.server.http.Role;
import dev.vigil.server.http.Router;
import dev.vigil.server.http.Routes;
import io.javalin.http.Context;
import java.util.function.Supplier;

/**
 * {@code /-/healthy}, {@code /-/ready} (503 until the WAL is replayed and startup work such as the
 * demo's backfill is done, see {@code ReadyGate}) and {@code /-/reload} (POST or PUT, write role),
 * with Prometheus' status codes.
 */
public final class LifecycleRoutes implements Routes {
  private final ServerState state;
  private final Supplier<String> reload;

  /**
   * @param reload reloads the configuration and returns null on success or the error message
   *     (answered 500, as Prometheus answers a failed reload); it may throw an {@code ApiError} for
   *     another status
   */
  public LifecycleRoutes(ServerState state, Supplier<String> reload) {
    this.state = state;
    this.reload = reload;
  }

  @Override
  public void register(Router r) {
    r.get(
        "/-/healthy",
        Role.PUBLIC,
        ctx -> ctx.contentType("text/plain").result("Vigil is Healthy.\n"));
    r.get("/-/ready", Role.PUBLIC, this::ready);
    r.post("/-/reload", Role.WRITE, this::reload);
    r.put("/-/reload", Role.WRITE, this::reload);
  }

  private void ready(Context ctx) {
    ctx.contentType("text/plain");
    if (state.ready()) {
      ctx.result("Vigil is Ready.\n");
    } else {
      String work = state.started() ? state.waitingFor() : null;
      ctx.status(503).result("Service Unavailable" + (work != null ? ": " + work : "") + "\n");
    }
  }

  private void reload(Context ctx) {
    String err = reload.get();
    if (err != null) {
      throw new ApiError(ApiError.Type.INTERNAL, "failed to reload config: " + err);
    }
    // Empty as Prometheus' answer, unless the reload kept settings that need a restart.
    StringBuilder kept = new StringBuilder();
    for (String w : state.reloadWarnings()) {
      kept.append(w).append('\n');
    }
    ctx.contentType("text/plain").result(kept.toString());
  }
}
