package dev.vigil.server.http;

import io.javalin.security.RouteRole;

/**
 * Who may call a route. Roles nest: an admin token may also write and read, a write token may also
 * read.
 */
public enum Role implements RouteRole {
  /** Anyone (health checks, static dashboard files). */
  PUBLIC,
  /** Queries and metadata: open when no read tokens are configured. */
  READ,
  /** Pushing data and reloading: open only when no tokens of any kind are configured. */
  WRITE,
  /** Admin API: always needs an admin token; disabled when none is configured. */
  ADMIN
}
