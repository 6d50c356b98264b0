package dev.vigil.server;

import dev.vigil.server.http.Role;
import dev.vigil.server.http.Router;
import dev.vigil.server.http.Routes;

/**
 * The dashboard at {@code /}: static files from the classpath folder {@code dashboard/} (plain ES
 * modules, no build step). While that folder has no {@code index.html}, {@code /} redirects to
 * {@code /api/v1/status/buildinfo}.
 */
final class DashboardRoutes implements Routes {
  static final String FOLDER = "dashboard";

  @Override
  public void register(Router r) {
    if (DashboardRoutes.class.getClassLoader().getResource(FOLDER + "/index.html") != null) {
      r.classpathFiles("/" + FOLDER, "/");
    } else {
      r.get("/", Role.PUBLIC, ctx -> ctx.redirect("/api/v1/status/buildinfo"));
    }
  }
}
