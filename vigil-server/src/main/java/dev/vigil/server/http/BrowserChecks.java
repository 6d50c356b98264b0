package dev.vigil.server.http;

import dev.vigil.server.config.ServerConfig;
import java.net.URI;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Refuses what a web page in the user's browser could make it send to a Vigil it has no business
 * with: requests under a host name the server is not known by (DNS rebinding, when the server needs
 * no token to read) and state-changing requests from another site (a cross-site form or {@code
 * fetch} POST to a write or admin endpoint, or a WebSocket opened by another site).
 *
 * <p>Thread-safe; frozen at construction.
 */
final class BrowserChecks {
  /*
   * DNS rebinding: a page at attacker.example re-resolves its own name to 127.0.0.1 and then talks
   * to the loopback server as a same-origin page, reading every answer. Its requests still carry
   * Host: attacker.example, so a server that needs no token answers only names it knows: its
   * listen address, `localhost` and `*.localhost` (RFC 6761; browsers resolve them to loopback
   * themselves), IP literals (a rebinding needs a name) and `server.allowed_hosts`. With read
   * tokens the page has nothing to authenticate with, so any Host is served, as behind a proxy.
   *
   * Cross-site writes: an HTML form may POST text/plain (Influx line protocol!) or a urlencoded
   * body to any origin without a CORS preflight, and the browser sends it. Browsers label such
   * requests: `Sec-Fetch-Site` (all current ones) and `Origin` (on every POST). A write or admin
   * request is refused when Sec-Fetch-Site is `cross-site` or `same-site` (another port or
   * subdomain is another application), or when its Origin is not the server's own. Clients that
   * are not browsers (Prometheus, Grafana, Telegraf, curl) send neither header and pass; so does
   * the dashboard, whose requests are same-origin. The same Origin rule guards WebSocket upgrades,
   * which browsers let any page open (no CORS), whatever the route's role.
   */

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private final boolean checkHost;
  private final Set<String> names = new HashSet<>();

  BrowserChecks(ServerConfig c) {
    this.checkHost = c.readTokens().isEmpty();
    names.add("localhost");
    names.add(normalize(c.host()));
    for (String n : c.allowedHosts()) {
      names.add(normalize(n));
    }
  }

  /**
   * Checks the {@code Host} header of a request (a missing one passes: browsers always send it).
   *
   * @throws ApiError forbidden (403) naming the host and {@code server.allowed_hosts}
   */
  void checkHost(String hostHeader) {
    if (!checkHost || hostHeader == null || hostHeader.isBlank()) {
      return;
    }
    String name = hostName(hostHeader);
    if (name.startsWith("[")
        || IPV4.matcher(name).matches()
        || names.contains(name)
        || name.endsWith(".localhost")) {
      return;
    }
    throw new ApiError(
        ApiError.Type.FORBIDDEN,
        "host \""
            + name
            + "\" is not a name this server answers to: without read tokens Vigil answers only its"
            + " listen address, localhost and IP addresses (against DNS rebinding); add the name"
            + " to server.allowed_hosts");
  }

  /**
   * Checks that a state-changing request does not come from another site.
   *
   * @param secFetchSite the {@code Sec-Fetch-Site} header, or null
   * @param origin the {@code Origin} header, or null
   * @param hostHeader the {@code Host} header, or null
   * @throws ApiError forbidden (403) saying cross-site requests are refused
   */
  void checkSameOrigin(String secFetchSite, String origin, String hostHeader) {
    if (secFetchSite != null) {
      String s = secFetchSite.trim().toLowerCase(Locale.ROOT);
      if (s.equals("cross-site") || s.equals("same-site")) {
        throw crossSite("Sec-Fetch-Site: " + s);
      }
    }
    if (origin != null && !sameAuthority(origin, hostHeader)) {
      throw crossSite("Origin: " + origin);
    }
  }

  private static ApiError crossSite(String what) {
    return new ApiError(
        ApiError.Type.FORBIDDEN,
        "cross-site request refused ("
            + what
            + "): write and admin endpoints accept requests from the dashboard's own origin and"
            + " from clients that send no Origin header");
  }

  /** Whether an Origin ({@code scheme://host[:port]}) names the authority in the Host header. */
  private static boolean sameAuthority(String origin, String hostHeader) {
    if (hostHeader == null) {
      return false;
    }
    URI u;
    try {
      u = URI.create(origin.trim());
    } catch (IllegalArgumentException e) {
      return false; // "null" and anything unparsable are opaque origins: another site
    }
    if (u.getHost() == null || u.getScheme() == null) {
      return false;
    }
    int port = u.getPort();
    if (port < 0) {
      port = u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }
    String h = hostHeader.trim();
    int hostPort = hostPort(h, u.getScheme().equalsIgnoreCase("https") ? 443 : 80);
    return normalize(u.getHost()).equals(hostName(h)) && port == hostPort;
  }

  /** The host of a Host header value, lower case, without port and trailing dot. */
  static String hostName(String hostHeader) {
    String h = hostHeader.trim();
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return normalize(end < 0 ? h : h.substring(0, end + 1));
    }
    int colon = h.indexOf(':');
    return normalize(colon >= 0 && colon == h.lastIndexOf(':') ? h.substring(0, colon) : h);
  }

  private static int hostPort(String h, int dflt) {
    int from = h.startsWith("[") ? h.indexOf(']') + 1 : 0;
    int colon = h.indexOf(':', Math.max(from, 0));
    if (colon < 0 || (from == 0 && colon != h.lastIndexOf(':'))) {
      return dflt;
    }
    try {
      return Integer.parseInt(h.substring(colon + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String normalize(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    if (n.endsWith(".")) {
      n = n.substring(0, n.length() - 1);
    }
    if (n.contains(":") && !n.startsWith("[")) {
      n = "[" + n + "]"; // an IPv6 listen address, written as in a Host header
    }
    return n;
  }
}
