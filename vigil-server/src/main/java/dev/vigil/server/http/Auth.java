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
    switch (role) {
      case PUBLIC -> {}
      case READ -> {
        if (read.isEmpty()) {
          return;
        }
        require(ctx, role, read, write, admin);
      }
      case WRITE -> {
        if (read.isEmpty() && write.isEmpty() && admin.isEmpty()) {
          return;
        }
        require(ctx, role, write, admin);
      }
      case ADMIN -> {
        if (admin.isEmpty()) {
          throw new ApiError(
              ApiError.Type.UNAVAILABLE,
              "admin APIs disabled: set server.auth.admin_tokens to enable them");
        }
        require(ctx, role, admin);
      }
    }
  }

  @SafeVarargs
  private static void require(Context ctx, Role role, List<byte[]>... allowed) {
    String h = ctx.header("Authorization");
    if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"vigil\"");
      throw new ApiError(
          ApiError.Type.UNAUTHORIZED,
          "this endpoint needs a "
              + role.name().toLowerCase()
              + " token: send Authorization: Bearer <token>");
    }
    byte[] given = h.substring(7).trim().getBytes(StandardCharsets.UTF_8);
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
