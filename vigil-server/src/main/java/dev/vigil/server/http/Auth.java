package dev.vigil.server.http;

import dev.vigil.server.config.ServerConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Bearer-token checks for the three roles. Tokens are compared in constant time.
 *
 * <ul>
 *   <li>{@link Role#READ}: open when no read tokens are configured; else any read, write or admin
 *       token.
 *   <li>{@link Role#WRITE}: open when no tokens at all are configured (the loopback default); else
 *       a write or admin token.
 *   <li>{@link Role#ADMIN}: an admin token; with none configured the admin API is disabled (503, as
 *       Prometheus without {@code --web.enable-admin-api}).
 * </ul>
 */
final class Auth {
  private final List<byte[]> read;
  private final List<byte[]> write;
  private final List<byte[]> admin;

  Auth(ServerConfig c) {
    this.read = bytes(c.readTokens());
    this.write = bytes(c.writeTokens());
    this.admin = bytes(c.adminTokens());
  }

  private static List<byte[]> bytes(List<String> tokens) {
    return tokens.stream().map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
  }

  /**
   * Checks the request against the role.
   *
   * @throws ApiError unauthorized (401) without a token, forbidden (403) with a wrong one,
   *     unavailable (503) for the admin API when no admin token exists
   */
  void check(Context ctx, Role role) {
    check(
        ctx.header("Authorization"),
        () -> ctx.header("WWW-Authenticate", "Bearer realm=\"vigil\""),
        role);
  }

  /**
   * Checks an {@code Authorization} header value against the role (WebSocket upgrades, which do not
   * pass the HTTP route checks).
   *
   * @param onMissing called before the 401 for a missing token (to set {@code WWW-Authenticate})
   */
  void check(String authorization, Runnable onMissing, Role role) {
    switch (role) {
      case PUBLIC -> {}
      case READ -> {
        if (read.isEmpty()) {
          return;
        }
        require(authorization, onMissing, role, read, write, admin);
      }
      case WRITE -> {
        if (read.isEmpty() && write.isEmpty() && admin.isEmpty()) {
          return;
        }
        require(authorization, onMissing, role, write, admin);
      }
      case ADMIN -> {
        if (admin.isEmpty()) {
          throw new ApiError(
              ApiError.Type.UNAVAILABLE,
              "admin APIs disabled: set server.auth.admin_tokens to enable them");
        }
        require(authorization, onMissing, role, admin);
      }
    }
  }

  @SafeVarargs
  private static void require(String h, Runnable onMissing, Role role, List<byte[]>... allowed) {
    // "Token <t>" is how InfluxDB 2.x clients (Telegraf's influxdb_v2 output) send the same token.
    int skip =
        h == null
            ? -1
            : h.regionMatches(true, 0, "Bearer ", 0, 7)
                ? 7
                : h.regionMatches(true, 0, "Token ", 0, 6) ? 6 : -1;
    if (skip < 0) {
      onMissing.run();
      throw new ApiError(
          ApiError.Type.UNAUTHORIZED,
          "this endpoint needs a "
              + role.name().toLowerCase()
              + " token: send Authorization: Bearer <token>");
    }
    byte[] given = h.substring(skip).trim().getBytes(StandardCharsets.UTF_8);
    boolean ok = false;
    for (List<byte[]> tokens : allowed) {
      for (byte[] t : tokens) {
        ok |= MessageDigest.isEqual(t, given);
      }
    }
    if (!ok) {
      throw new ApiError(
          ApiError.Type.FORBIDDEN,
          "the bearer token is not valid for the " + role.name().toLowerCase() + " role");
    }
  }
}
