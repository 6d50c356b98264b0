package dev.vigil.web;

import dev.vigil.collectors.recorders.ApiRequestScope;
import dev.vigil.collectors.recorders.Recorders;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;
import java.io.IOException;
import java.util.Objects;
import java.util.function.Function;

/**
 * A Jakarta Servlet filter that records every request as an API request of the vigil-collectors
 * recorders: {@code api_requests_total}, {@code api_errors_total}, {@code
 * api_request_duration_seconds} and {@code api_requests_in_flight}, labelled by route template,
 * never by raw path.
 *
 * {@snippet :
 * ServletContextHandler ctx = new ServletContextHandler();
 * ctx.addFilter(new FilterHolder(new ServletMetricsFilter(recorders, "backend")), "/*",
 *     EnumSet.of(DispatcherType.REQUEST));
 * }
 *
 * <p>By default the route is the pattern of the servlet mapping that matched ({@code /api/users/*},
 * {@code /health}, {@code *.jsp}; {@code /} for the context root): a bounded set, one per mapping.
 * A request only the default servlet answers (no mapping of its own, e.g. a 404) is {@code
 * unmatched}. A route function can give a finer template; it runs when the request enters the
 * filter, must return a bounded set of values, and a null or empty answer is {@code unmatched}. A
 * request whose servlet throws is recorded as 500 and the exception passes on; an asynchronous
 * request is recorded when it completes (register the filter with async support for asynchronous
 * servlets). Thread-safe.
 */
public final class ServletMetricsFilter implements Filter {
  /** The route of requests no servlet mapping of their own matched. */
  public static final String UNMATCHED = "unmatched";

  private final Recorders recorders;
  private final String service;
  private final Function<HttpServletRequest, String> route;

  /** Records into {@code recorders} under {@code service}, routing by servlet mapping pattern. */
  public ServletMetricsFilter(Recorders recorders, String service) {
    this(recorders, service, ServletMetricsFilter::servletPattern);
  }

  /** Records into {@code recorders} under {@code service}, routing with {@code route}. */
  public ServletMetricsFilter(
      Recorders recorders, String service, Function<HttpServletRequest, String> route) {
    this.recorders = Objects.requireNonNull(recorders, "recorders");
    if (service == null || service.isEmpty()) {
      throw new IllegalArgumentException("ServletMetricsFilter: service is null or empty");
    }
    this.service = service;
    this.route = Objects.requireNonNull(route, "route");
  }

  /** The pattern of the servlet mapping that matched the request, or {@value #UNMATCHED}. */
  public static String servletPattern(HttpServletRequest request) {
    HttpServletMapping m = request.getHttpServletMapping();
    if (m == null || m.getMappingMatch() == null || m.getMappingMatch() == MappingMatch.DEFAULT) {
      return UNMATCHED;
    }
    if (m.getMappingMatch() == MappingMatch.CONTEXT_ROOT) {
      return "/";
    }
    String p = m.getPattern();
    return p == null || p.isEmpty() ? UNMATCHED : p;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!(request instanceof HttpServletRequest req)
        || !(response instanceof HttpServletResponse res)) {
      chain.doFilter(request, response);
      return;
    }
    String r = route.apply(req);
    if (r == null || r.isEmpty()) {
      r = UNMATCHED;
    }
    ApiRequestScope scope = recorders.startApiRequest(service, r, req.getMethod());
    boolean async = false;
    try {
      chain.doFilter(req, res);
      if (req.isAsyncStarted()) {
        req.getAsyncContext().addListener(new Completion(scope, res));
        async = true;
      } else {
        scope.status(status(res.getStatus()));
      }
    } finally {
      if (!async) {
        scope.close(); // status stays 500 when the servlet threw
      }
    }
  }

  private static int status(int code) {
    return code >= 100 && code <= 599 ? code : 500;
  }

  /** Records an asynchronous request when it completes, fails or times out. */
  private record Completion(ApiRequestScope scope, HttpServletResponse response)
      implements AsyncListener {
    @Override
    public void onComplete(AsyncEvent event) {
      scope.status(status(response.getStatus())).close();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      // onComplete follows with the status the container sent
    }

    @Override
    public void onError(AsyncEvent event) {
      // onComplete follows
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      event.getAsyncContext().addListener(this);
    }
  }
}
