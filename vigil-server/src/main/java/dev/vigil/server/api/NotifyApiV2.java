package dev.vigil.server.api;

import dev.vigil.notify.builtin.AlertsApi;
import dev.vigil.notify.builtin.BuiltinNotifier;
import dev.vigil.server.http.ApiError;
import dev.vigil.server.http.Role;
import dev.vigil.server.http.Router;
import dev.vigil.server.http.Routes;
import io.javalin.http.Context;
import java.util.function.Supplier;

/**
 * Alertmanager's API v2 for the built-in notifier ({@code notify} in vigil.yml): {@code GET|POST
 * /api/v2/alerts} (POST needs a write token), {@code GET /api/v2/alerts/groups}, {@code GET
 * /api/v2/receivers}. Answers are Alertmanager's plain JSON, not Prometheus' envelope.
 */
public final class NotifyApiV2 implements Routes {
  private final Supplier<BuiltinNotifier> notifier;

  /** {@code notifier} answers null until the notifier has started (503 meanwhile). */
  public NotifyApiV2(Supplier<BuiltinNotifier> notifier) {
    this.notifier = notifier;
  }

  @Override
  public void register(Router r) {
    r.get("/api/v2/alerts", Role.READ, this::handle);
    r.post("/api/v2/alerts", Role.WRITE, this::handle);
    r.get("/api/v2/alerts/groups", Role.READ, this::handle);
    r.get("/api/v2/receivers", Role.READ, this::handle);
  }

  private void handle(Context ctx) {
    String method = ctx.method().name().equals("HEAD") ? "GET" : ctx.method().name();
    BuiltinNotifier n = notifier.get();
    if (n == null) {
      throw new ApiError(ApiError.Type.UNAVAILABLE, "the notifier is starting");
    }
    AlertsApi.Response res = n.api().handle(method, ctx.path(), ctx.queryParamMap(), ctx.body());
    ctx.status(res.status()).contentType("application/json").result(res.body());
  }
}
