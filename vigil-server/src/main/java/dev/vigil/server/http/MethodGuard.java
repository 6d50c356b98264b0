package dev.vigil.server.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Answers a request whose method Vigil has no route for with 405 before Javalin sees it.
 *
 * <p>Javalin 7 turns every method name into a {@code HandlerType} it keeps for ever in a static
 * map, and throws {@code IllegalArgumentException} for a name outside {@code [A-Z]+}: a {@code
 * M-SEARCH} request was a 500 with an empty body and a stack trace in the log (found by {@code
 * HttpFuzzTest}), and a client sending ever new upper-case names grew that map without bound. Only
 * the methods below reach Javalin, all of them names it predefines.
 *
 * <p>A WebSocket upgrade ({@code Upgrade: websocket}) must be a GET: any other method was passed by
 * Javalin to Jetty's WebSocket servlet, which answered PATCH with 501 (found by {@code
 * HttpFuzzTest}).
 */
final class MethodGuard implements Filter {
  /** The methods of Vigil's routes, plus those Javalin answers itself. */
  static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE");

  private static final String ALLOW = "GET, HEAD, POST, PUT, DELETE";

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (req instanceof HttpServletRequest http
        && (!METHODS.contains(http.getMethod()) || nonGetUpgrade(http))) {
      HttpServletResponse out = (HttpServletResponse) res;
      out.setStatus(405);
      out.setHeader("Allow", ALLOW);
      out.setHeader("X-Content-Type-Options", "nosniff");
      out.setContentType("application/json");
      // The method is not echoed: it is client text of any length.
      byte[] body =
          ("{\"status\":\"error\",\"errorType\":\"method_not_allowed\",\"error\":"
                  + "\"method not allowed: Vigil answers "
                  + ALLOW
                  + "\"}")
              .getBytes(StandardCharsets.UTF_8);
      out.setContentLength(body.length);
      out.getOutputStream().write(body);
      return;
    }
    chain.doFilter(req, res);
  }

  private static boolean nonGetUpgrade(HttpServletRequest http) {
    String upgrade = http.getHeader("Upgrade");
    return upgrade != null
        && upgrade.toLowerCase(java.util.Locale.ROOT).contains("websocket")
        && !http.getMethod().equals("GET");
  }
}
