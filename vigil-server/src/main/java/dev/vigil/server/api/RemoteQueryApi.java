package dev.vigil.server.api;

import dev.vigil.server.http.Json;
import dev.vigil.server.http.Role;
import dev.vigil.server.http.Router;
import dev.vigil.server.http.Routes;
import dev.vigil.server.remote.RemoteQueryBackend;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/status/remote_query}: the {@code query.remote} backend's URL and mode (null
 * when queries read the local store only), its requests by HTTP status and its last failure
 * (Vigil's own; Prometheus has no such endpoint). The dashboard's Targets page shows it beside the
 * remote write queues.
 */
public final class RemoteQueryApi implements Routes {
  private final Supplier<RemoteQueryBackend.Status> status;

  public RemoteQueryApi(Supplier<RemoteQueryBackend.Status> status) {
    this.status = status;
  }

  @Override
  public void register(Router r) {
    r.get(
        "/api/v1/status/remote_query",
        Role.READ,
        ctx -> {
          RemoteQueryBackend.Status s = status.get();
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("url", s.url());
          m.put("mode", s.mode());
          m.put("requests", s.requests());
          m.put("lastError", s.lastError() == null ? "" : s.lastError());
          Json.successObject(ctx, m);
        });
  }
}
