package dev.vigil.server.http;

/**
 * One area of the HTTP surface (the query API, status, admin, ingest, the seeds' API, WebSocket).
 * Each area registers its own routes, so a module adds an area without editing the server.
 *
 * <pre>{@code
 * Routes health = r -> r.get("/-/healthy", Role.PUBLIC, ctx -> ctx.result("OK"));
 * VigilHttpServer.start(config, List.of(health, new QueryApi(...)));
 * }</pre>
 */
@FunctionalInterface
public interface Routes {
  /** Adds this area's routes. Called once, before the server starts. */
  void register(Router router);
}
