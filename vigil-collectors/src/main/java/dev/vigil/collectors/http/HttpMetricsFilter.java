package dev.vigil.collectors.http;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import dev.vigil.collectors.recorders.ApiRequestScope;
import dev.vigil.collectors.recorders.Recorders;
import java.io.IOException;
import java.util.Objects;
import java.util.function.Function;

/**
 * Records every request a JDK {@code HttpServer} context serves as an API request: requests,
 * errors, duration and in-flight, labelled by route template, never by raw path.
 *
 * {@snippet :
 * HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
 * HttpContext ctx = server.createContext("/api/users", handler);
 * ctx.getFilters().add(new HttpMetricsFilter(recorders, "backend"));
 * }
 *
 * <p>By default the route is the context's path ({@code /api/users}): a context serves every path
 * under it, so this keeps the label's cardinality to the number of contexts. A route function can
 * map an exchange to a finer template (e.g. {@code /api/users/{id}}); it must return a bounded set
 * of values. A handler that throws, or returns without sending a response, is recorded with status
 * 500 and the exception passes on. Thread-safe.
 */
public final class HttpMetricsFilter extends Filter {

  private final Recorders recorders;
  private final String service;
  private final Function<HttpExchange, String> route;

  /** Records into {@code recorders} under {@code service}, routing by context path. */
  public HttpMetricsFilter(Recorders recorders, String service) {
    this(recorders, service, ex -> ex.getHttpContext().getPath());
  }

  /** Records into {@code recorders} under {@code service}, routing with {@code route}. */
  public HttpMetricsFilter(
      Recorders recorders, String service, Function<HttpExchange, String> route) {
    this.recorders = Objects.requireNonNull(recorders, "recorders");
    if (service == null || service.isEmpty()) {
      throw new IllegalArgumentException("HttpMetricsFilter: service is null or empty");
    }
    this.service = service;
    this.route = Objects.requireNonNull(route, "route");
  }

  @Override
  public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
    String r = route.apply(exchange);
    if (r == null || r.isEmpty()) {
      r = "unmatched";
    }
    ApiRequestScope scope = recorders.startApiRequest(service, r, exchange.getRequestMethod());
    try {
      chain.doFilter(exchange);
      int code = exchange.getResponseCode();
      scope.status(code >= 100 && code <= 599 ? code : 500);
    } finally {
      scope.close(); // status stays 500 when the handler threw
    }
  }

  @Override
  public String description() {
    return "Vigil API request metrics for service " + service;
  }
}
