package dev.vigil.web;

import dev.vigil.collectors.recorders.ApiRequestScope;
import dev.vigil.collectors.recorders.Recorders;
import io.javalin.config.JavalinState;
import io.javalin.http.Context;
import io.javalin.plugin.Plugin;
import io.javalin.router.Endpoint;
import java.util.Objects;

/**
 * A Javalin 7 plugin that records every request as an API request of the vigil-collectors recorders
 * ({@code api_requests_total}, {@code api_errors_total}, {@code api_request_duration_seconds},
 * {@code api_requests_in_flight}), labelled by the matched endpoint's path template ({@code
 * /users/{id}}), never by raw path.
 *
 * {@snippet :
 * Javalin app = Javalin.create(cfg -> {
 *   cfg.registerPlugin(new JavalinMetricsPlugin(recorders, "backend"));
 *   cfg.routes.get("/users/{id}", ctx -> ctx.result("..."));
 * });
 * }
 *
 * <p>A request that matched no endpoint (a 404, a static file) is {@code unmatched}. The status is
 * the one sent, after exception and error handlers ran, so a handler that throws counts as what its
 * exception handler answered (500 by default). Thread-safe.
 */
public final class JavalinMetricsPlugin extends Plugin<Void> {
  private static final String SCOPE = JavalinMetricsPlugin.class.getName() + ".scope";

  private final Recorders recorders;
  private final String service;

  /** Records into {@code recorders} under {@code service}. */
  public JavalinMetricsPlugin(Recorders recorders, String service) {
    this.recorders = Objects.requireNonNull(recorders, "recorders");
    if (service == null || service.isEmpty()) {
      throw new IllegalArgumentException("JavalinMetricsPlugin: service is null or empty");
    }
    this.service = service;
  }

  @Override
  public void onInitialize(JavalinState state) {
    // Matched requests enter the in-flight gauge once their endpoint is known.
    state.routes.beforeMatched(this::start);
    // Request loggers run for every request, after the response, whatever happened.
    state.requestLogger.http(this::finish);
  }

  @Override
  public String name() {
    return "vigil-metrics";
  }

  private void start(Context ctx) {
    Endpoint e = ctx.endpoints().matchedHttpEndpoint();
    if (e == null || e.path == null || e.path.isEmpty() || ctx.attribute(SCOPE) != null) {
      return;
    }
    ctx.attribute(SCOPE, recorders.startApiRequest(service, e.path, ctx.req().getMethod()));
  }

  private void finish(Context ctx, Float millis) {
    int code = ctx.statusCode();
    int status = code >= 100 && code <= 599 ? code : 500;
    ApiRequestScope scope = ctx.attribute(SCOPE);
    if (scope != null) {
      scope.status(status).close();
    } else {
      double seconds = millis == null ? 0 : Math.max(0, millis / 1000.0);
      recorders.recordApiRequest(
          service, ServletMetricsFilter.UNMATCHED, ctx.req().getMethod(), status, seconds);
    }
  }
}
