package dev.vigil.server.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.websocket.WsConfig;
import java.util.function.Consumer;

/**
 * What a {@link Routes} area may register: HTTP handlers with the {@link Role} they need, and
 * WebSocket endpoints. Authentication, security headers, size limits and error rendering are done
 * by the server for every route.
 */
public final class Router {
  private final JavalinConfig config;
  private final Auth auth;
  private final BrowserChecks browser;
  private final QueryPool pool;
  private final boolean onPool;

  Router(JavalinConfig config, Auth auth, BrowserChecks browser, QueryPool pool) {
    this(config, auth, browser, pool, false);
  }

  private Router(
      JavalinConfig config, Auth auth, BrowserChecks browser, QueryPool pool, boolean onPool) {
    this.config = config;
    this.auth = auth;
    this.browser = browser;
    this.pool = pool;
    this.onPool = onPool;
  }

  /**
   * This router, but the handlers of the routes registered through it run on the {@link QueryPool}:
   * for every handler that evaluates PromQL or scans the index, so that it can never take the
   * threads health checks, ingest and scraping run on. When the pool and its queue are full the
   * request is answered 503 {@code unavailable} with {@code Retry-After}.
   */
  public Router onQueryPool() {
    return new Router(config, auth, browser, pool, true);
  }

  /** The pool query handlers run on; for schedulers of their own (the {@code /ws} pushes). */
  public QueryPool queryPool() {
    return pool;
  }

  private Handler wrap(Handler h) {
    if (!onPool) {
      return h;
    }
    return ctx -> {
      try {
        pool.run(() -> h.handle(ctx));
      } catch (QueryPool.Rejected e) {
        ctx.header("Retry-After", Integer.toString(QueryPool.RETRY_AFTER_SECONDS));
        throw new ApiError(ApiError.Type.UNAVAILABLE, e.getMessage());
      } catch (QueryPool.WrappedException e) {
        throw (Exception) e.getCause();
      }
    };
  }

  /**
   * A GET route, and HEAD on the same path with the same role (registered explicitly: a HEAD that
   * falls through to the GET handler would carry no role and skip the token check).
   */
  public Router get(String path, Role role, Handler h) {
    Handler wrapped = wrap(h);
    config.routes.addHttpHandler(HandlerType.GET, path, wrapped, role);
    config.routes.addHttpHandler(HandlerType.HEAD, path, wrapped, role);
    return this;
  }

  /** A POST route. */
  public Router post(String path, Role role, Handler h) {
    config.routes.addHttpHandler(HandlerType.POST, path, wrap(h), role);
    return this;
  }

  /** A PUT route. */
  public Router put(String path, Role role, Handler h) {
    config.routes.addHttpHandler(HandlerType.PUT, path, wrap(h), role);
    return this;
  }

  /** A DELETE route. */
  public Router delete(String path, Role role, Handler h) {
    config.routes.addHttpHandler(HandlerType.DELETE, path, wrap(h), role);
    return this;
  }

  /** GET and POST (form body) with the same handler, as Prometheus' query endpoints. */
  public Router getAndPost(String path, Role role, Handler h) {
    return get(path, role, h).post(path, role, h);
  }

  /**
   * The credentials of a WebSocket upgrade: its {@code Authorization} header, else its {@code
   * token} query parameter as a bearer token (browsers cannot set headers on a WebSocket, so the
   * dashboard passes its token that way).
   */
  static String wsAuthorization(io.javalin.websocket.WsContext ctx) {
    String h = ctx.header("Authorization");
    if (h != null && !h.isBlank()) {
      return h;
    }
    String token = ctx.queryParam("token");
    return token == null || token.isEmpty() ? null : "Bearer " + token;
  }

  /**
   * A WebSocket endpoint; the upgrade request is checked against the role like HTTP routes, with
   * the token from the {@code Authorization} header or the {@code token} query parameter, and
   * refused when another site opens it ({@link BrowserChecks}).
   */
  public Router ws(String path, Role role, Consumer<WsConfig> ws) {
    // Route roles are checked for HTTP endpoints only: check the upgrade's token on connect and
    // close at once (1008) before any message is handled.
    config.routes.addWsHandler(
        io.javalin.websocket.WsHandlerType.WEBSOCKET_BEFORE,
        path,
        before ->
            before.onConnect(
                ctx -> {
                  try {
                    browser.checkHost(ctx.header("Host"));
                    browser.checkSameOrigin(
                        ctx.header("Sec-Fetch-Site"), ctx.header("Origin"), ctx.header("Host"));
                    auth.check(wsAuthorization(ctx), () -> {}, role);
                  } catch (ApiError e) {
                    ctx.session.close(
                        1008, e.getMessage(), org.eclipse.jetty.websocket.api.Callback.NOOP);
                  }
                }));
    config.routes.addWsHandler(io.javalin.websocket.WsHandlerType.WEBSOCKET, path, ws, role);
    return this;
  }
}
