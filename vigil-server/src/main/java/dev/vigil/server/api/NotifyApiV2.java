package dev.vigil.server.api;

import dev.vigil.notify.builtin.AlertsApi;
import dev.vigil.server.http.Role;
import dev.vigil.server.http.Router;
import dev.vigil.server.http.Routes;
import io.javalin.http.Context;

/**
 * Alertmanager's API v2 for the built-in notifier ({@code notify} in vigil.yml): {@code GET|POST
 * /api/v2/alerts} (POST needs a write token), {@code GET /api/v2/alerts/groups}, {@code GET
 * /api/v2/receivers}. Answers are Alertmanager's plain JSON, not Prometheus' envelope.
 */
public final class NotifyApiV2 implements Routes {
  private final AlertsApi api;

  public NotifyApiV2(AlertsApi api) {
    this.api = api;
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
    AlertsApi.Response res = api.handle(method, ctx.path(), ctx.queryParamMap(), ctx.body());
    ctx.status(res.status()).contentType("application/json").result(res.body());
  }
}
