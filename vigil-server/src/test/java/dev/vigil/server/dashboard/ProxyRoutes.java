package dev.vigil.server.dashboard;

import dev.vigil.server.http.Role;
import dev.vigil.server.http.Router;
import dev.vigil.server.http.Routes;
import io.javalin.http.Context;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Supplier;

/**
 * Serves the Prometheus HTTP API endpoints the dashboard reads by forwarding them, unchanged, to a
 * Prometheus-compatible data source (here a real Prometheus), so the dashboard is tested on
 * Prometheus' exact JSON through Vigil's HTTP server.
 */
final class ProxyRoutes implements Routes {
  private static final String[] PATHS = {
    "/api/v1/query",
    "/api/v1/query_range",
    "/api/v1/series",
    "/api/v1/labels",
    "/api/v1/label/{name}/values",
    "/api/v1/metadata",
    "/api/v1/targets",
  };
  private final Supplier<String> upstream;
  private final HttpClient client = HttpClient.newHttpClient();

  ProxyRoutes(Supplier<String> upstream) {
    this.upstream = upstream;
  }

  @Override
  public void register(Router router) {
    for (String p : PATHS) {
      router.getAndPost(p, Role.READ, this::forward);
    }
  }

  private void forward(Context ctx) throws Exception {
    String query = ctx.queryString();
    URI uri = URI.create(upstream.get() + ctx.path() + (query == null ? "" : "?" + query));
    HttpRequest.Builder b = HttpRequest.newBuilder(uri);
    if (ctx.method().name().equals("POST")) {
      b.header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(ctx.body()));
    }
    HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    ctx.status(r.statusCode()).contentType("application/json").result(r.body());
  }
}
