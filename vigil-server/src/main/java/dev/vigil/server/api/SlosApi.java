package dev.vigil.server.api;

import dev.vigil.rules.slo.Slo;
import dev.vigil.server.http.Json;
import dev.vigil.server.http.Role;
import dev.vigil.server.http.Router;
import dev.vigil.server.http.Routes;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/slos} (a Vigil extension, docs/api.md): the SLOs whose rules run, in
 * configuration order, each with its Sloth id, objective, period, SLI kind, alert names and the
 * selector of its series ({@code {sloth_id="…"}}), for the SLO page.
 */
public final class SlosApi implements Routes {
  private final Supplier<List<Slo>> slos;

  /**
   * @param slos the running SLOs (throws {@link dev.vigil.server.http.ApiError} unavailable until
   *     the rules are loaded)
   */
  public SlosApi(Supplier<List<Slo>> slos) {
    this.slos = slos;
  }

  @Override
  public void register(Router r) {
    r.get("/api/v1/slos", Role.READ, this::list);
  }

  private void list(Context ctx) {
    List<Object> out = new ArrayList<>();
    for (Slo s : slos.get()) {
      out.add(json(s));
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("slos", out);
    Json.successObject(ctx, data);
  }

  static Map<String, Object> json(Slo s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", s.id());
    m.put("service", s.service());
    m.put("name", s.name());
    m.put("objective", s.objective());
    m.put("period", s.periodText());
    m.put("description", s.description());
    m.put("labels", s.labels());
    m.put("source", s.source());
    m.put("kind", s.kind().apiName());
    m.put("pageAlert", s.pageAlert());
    m.put("ticketAlert", s.ticketAlert());
    m.put("selector", s.selector());
    // The burn-rate alerts' windows and thresholds, which depend on the period and the format.
    m.put("windows", dev.vigil.rules.slo.SloRules.alertWindows(s));
    return m;
  }
}
