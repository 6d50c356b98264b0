package dev.vigil.server.http;

import dev.vigil.model.StorageWriteException;
import dev.vigil.server.config.ServerConfig;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.security.RouteRole;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP port of Vigil: Javalin on Jetty 12 with platform threads and gzip, serving every
 * {@link Routes} area it is given.
 *
 * <pre>{@code
 * VigilHttpServer http = VigilHttpServer.start(config.server(), List.of(statusRoutes, queryApi));
 * int port = http.port();
 * http.close();
 * }</pre>
 *
 * <p>For every request: security headers (CSP, nosniff, frame-ancestors), a body size limit
 * (Content-Length checked before reading; streamed bodies cut by Javalin at the same size), a
 * header size limit (Jetty answers 431), bearer-token checks by route {@link Role} (HEAD as GET),
 * the {@link BrowserChecks} (Host names, cross-site writes), errors rendered as Prometheus' JSON
 * envelope, and a debug-level request log. A request the client got wrong (a malformed chunked
 * body, a body shorter than announced) is a 400 naming the problem; any other exception a handler
 * lets through is logged with a random error id, and the client gets that id, never the exception's
 * message.
 *
 * <p>Requests run on Jetty's platform threads; the handlers of routes registered through {@link
 * Router#onQueryPool()} run on the {@link QueryPool} ({@code query_max_concurrency} threads, {@code
 * query_queue_length} waiting, then 503 with {@code Retry-After}), so queries never hold the
 * threads health checks and ingest run on.
 */
public final class VigilHttpServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VigilHttpServer.class);

  /** Sent on every response. The dashboard's scripts and styles are its own files. */
  static final String CSP =
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self'"
          + " data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors"
          + " 'none'";

  /**
   * Jetty's platform threads that queries can never take: a request running on or waiting for the
   * {@link QueryPool} holds one, so the HTTP pool has {@code query_max_concurrency +
   * query_queue_length} plus these, and at least {@link #MIN_HTTP_THREADS}.
   */
  static final int HTTP_THREADS_NOT_FOR_QUERIES = 64;

  /** Jetty's own default maximum. */
  static final int MIN_HTTP_THREADS = 200;

  private final Javalin app;
  private final ServerConfig config;
  private final QueryPool queryPool;

  private VigilHttpServer(Javalin app, ServerConfig config, QueryPool queryPool) {
    this.app = app;
    this.config = config;
    this.queryPool = queryPool;
  }

  /**
   * Starts listening and returns once the port is bound.
   *
   * @throws RuntimeException when the port cannot be bound (the message names host and port)
   */
  public static VigilHttpServer start(ServerConfig c, List<Routes> areas) {
    return start(c, areas, RequestObserver.NONE);
  }

  /** Starts with an observer told about every finished request. */
  public static VigilHttpServer start(
      ServerConfig c, List<Routes> areas, RequestObserver observer) {
    Auth auth = new Auth(c);
    BrowserChecks browser = new BrowserChecks(c);
    long maxBody = c.limits().maxBodyBytes();
    QueryPool pool =
        new QueryPool(
            c.limits().queryMaxConcurrency(),
            c.limits().queryQueueLength(),
            c.limits().queryTimeout());
    Javalin app =
        Javalin.create(
            cfg -> {
              cfg.startup.showJavalinBanner = false;
              cfg.startup.showOldJavalinVersionWarning = false;
              // Platform threads, preempted by the OS: a handler that computes cannot hold the
              // thread /-/healthy or a write needs, as it could on a virtual thread's carrier.
              // Queries run on the QueryPool (see its design note).
              cfg.concurrency.useVirtualThreads = false;
              int max =
                  Math.max(
                      MIN_HTTP_THREADS,
                      pool.threads() + pool.queueLength() + HTTP_THREADS_NOT_FOR_QUERIES);
              QueuedThreadPool threads = new QueuedThreadPool(max, 8, 60_000);
              threads.setName("vigil-http");
              cfg.jetty.threadPool = threads;
              cfg.http.compressionStrategy = CompressionStrategy.GZIP;
              cfg.http.maxRequestSize = maxBody;
              cfg.http.prefer405over404 = true;
              cfg.jetty.modifyServletContextHandler(
                  h ->
                      h.addFilter(
                          new org.eclipse.jetty.ee10.servlet.FilterHolder(new MethodGuard()),
                          "/*",
                          java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST)));
              cfg.jetty.modifyHttpConfiguration(
                  h -> {
                    h.setRequestHeaderSize(c.limits().maxHeaderBytes());
                    h.setSendServerVersion(false);
                    h.setSendXPoweredBy(false);
                  });
              if (c.tls().enabled()) {
                var ssl = Tls.contextFactory(c.tls());
                cfg.jetty.addConnector(
                    (server, httpConfig) -> {
                      HttpConfiguration https = new HttpConfiguration(httpConfig);
                      https.addCustomizer(new SecureRequestCustomizer(false));
                      ServerConnector conn =
                          new ServerConnector(
                              server,
                              new SslConnectionFactory(ssl, "http/1.1"),
                              new HttpConnectionFactory(https));
                      conn.setHost(c.host());
                      conn.setPort(c.port());
                      return conn;
                    });
              }
              cfg.requestLogger.http(
                  (ctx, ms) -> {
                    String route;
                    try {
                      route = ctx.endpoint().path;
                    } catch (RuntimeException e) {
                      route = "other";
                    }
                    observer.observe(
                        ctx.method().name(), route, ctx.status().getCode(), ms / 1000.0);
                    if (LOG.isDebugEnabled()) {
                      LOG.debug(
                          "{} {} {} {}ms",
                          ctx.method(),
                          ctx.path(),
                          ctx.status().getCode(),
                          String.format("%.1f", ms));
                    }
                  });
              cfg.routes.before(
                  ctx -> {
                    ctx.header("X-Content-Type-Options", "nosniff");
                    ctx.header("Content-Security-Policy", CSP);
                    ctx.header("X-Frame-Options", "DENY");
                    ctx.header("Referrer-Policy", "no-referrer");
                    browser.checkHost(ctx.header("Host"));
                    String len = ctx.header("Content-Length");
                    if (len != null) {
                      long n;
                      try {
                        n = Long.parseLong(len.trim());
                      } catch (NumberFormatException e) {
                        throw ApiError.badData("invalid Content-Length \"" + len + "\"");
                      }
                      if (n > maxBody) {
                        throw new ApiError(
                            ApiError.Type.TOO_LARGE,
                            "request body of "
                                + n
                                + " bytes is larger than the limit of "
                                + maxBody
                                + " bytes (server.limits.max_body_size)");
                      }
                    }
                  });
              cfg.routes.beforeMatched(
                  ctx -> {
                    Role role = Role.PUBLIC;
                    for (RouteRole r : ctx.routeRoles()) {
                      if (r instanceof Role vr) {
                        role = vr;
                      }
                    }
                    if ((role == Role.WRITE || role == Role.ADMIN) && changesState(ctx)) {
                      browser.checkSameOrigin(
                          ctx.header("Sec-Fetch-Site"), ctx.header("Origin"), ctx.header("Host"));
                    }
                    auth.check(ctx, role);
                  });
              cfg.routes.exception(
                  ApiError.class, (e, ctx) -> Json.error(ctx, e.type(), e.getMessage()));
              cfg.routes.exception(
                  HttpResponseException.class,
                  (e, ctx) -> Json.error(ctx, typeFor(e.getStatus()), e.getMessage()));
              cfg.routes.exception(StorageWriteException.class, VigilHttpServer::storageFailed);
              cfg.routes.exception(
                  Exception.class,
                  (e, ctx) -> {
                    ApiError malformed = malformedRequest(e);
                    if (malformed != null) {
                      LOG.debug("{} {}: {}", ctx.method(), ctx.path(), malformed.getMessage());
                      Json.error(ctx, malformed.type(), malformed.getMessage());
                      return;
                    }
                    String id = String.format("%016x", ThreadLocalRandom.current().nextLong());
                    LOG.warn("{} {} failed (error id {})", ctx.method(), ctx.path(), id, e);
                    Json.error(
                        ctx,
                        ApiError.Type.INTERNAL,
                        "internal error (error id " + id + "); the server log has the details");
                  });
              Router router = new Router(cfg, auth, browser, pool);
              for (Routes area : areas) {
                area.register(router);
              }
            });
    try {
      app.start(c.host(), c.port());
    } catch (RuntimeException e) {
      pool.close();
      throw new IllegalStateException(
          "cannot listen on " + c.host() + ":" + c.port() + ": " + rootMessage(e), e);
    }
    return new VigilHttpServer(app, c, pool);
  }

  /**
   * A storage write that failed (e.g. deleting series on a full disk): the log gets the file and
   * offset, the client the reason without the server's paths; a full disk is 507 with {@code
   * Retry-After}, anything else 500.
   */
  private static void storageFailed(StorageWriteException e, Context ctx) {
    LOG.warn("{} {}: {}", ctx.method(), ctx.path(), e.getMessage());
    if (e.noSpace()) {
      ctx.header("Retry-After", "5");
      Json.error(
          ctx,
          ApiError.Type.INSUFFICIENT_STORAGE,
          "no space left on device: the store refused the write;" + " retry once space is freed");
    } else {
      Json.error(
          ctx,
          ApiError.Type.INTERNAL,
          "storage write failed (" + e.describe() + "); the server log names the file");
    }
  }

  /** Whether a request may change state (everything but GET, HEAD and OPTIONS). */
  private static boolean changesState(io.javalin.http.Context ctx) {
    String m = ctx.method().name();
    return !(m.equals("GET") || m.equals("HEAD") || m.equals("OPTIONS"));
  }

  /**
   * The client's fault behind an exception a handler let through, as a 4xx: a request Jetty could
   * not parse (a broken chunked body, a bad header) or a body that ended before its announced
   * length. Null for anything else, which is the server's fault.
   */
  static ApiError malformedRequest(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof org.eclipse.jetty.http.HttpException he
          && he.getCode() >= 400
          && he.getCode() < 500) {
        String reason = he.getReason() != null ? he.getReason() : t.getMessage();
        return new ApiError(typeFor(he.getCode()), "malformed request: " + reason);
      }
      if (t instanceof java.io.EOFException) {
        return ApiError.badData("malformed request: the body ended early (" + t.getMessage() + ")");
      }
    }
    return null;
  }

  private static String rootMessage(Throwable e) {
    while (e.getCause() != null) {
      e = e.getCause();
    }
    return e.getMessage();
  }

  private static ApiError.Type typeFor(int status) {
    for (ApiError.Type t : ApiError.Type.values()) {
      if (t.status() == status) {
        return t;
      }
    }
    return status >= 500 ? ApiError.Type.INTERNAL : ApiError.Type.BAD_DATA;
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return app.port();
  }

  /** {@code http://host:port} or {@code https://…}. */
  public String baseUrl() {
    String h = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
    if (h.equals("0.0.0.0")) {
      h = "127.0.0.1";
    }
    return (config.tls().enabled() ? "https" : "http") + "://" + h + ":" + port();
  }

  /** The threads queries run on ({@link Router#onQueryPool()}); for its metrics. */
  public QueryPool queryPool() {
    return queryPool;
  }

  /** Stops accepting requests and waits for running ones, then stops the query threads. */
  @Override
  public void close() {
    try {
      app.stop();
    } finally {
      queryPool.close();
    }
  }
}
