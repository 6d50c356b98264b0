package dev.vigil.server.api;

import dev.vigil.model.Durations;
import dev.vigil.server.config.VigilConfig;
import dev.vigil.server.http.Json;
import dev.vigil.server.http.Role;
import dev.vigil.server.http.Router;
import dev.vigil.server.http.Routes;
import io.javalin.http.Context;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/status/buildinfo|config|flags|runtimeinfo}, and {@code /api/v1/alertmanagers}
 * answering empty until notifications land ({@code /api/v1/rules} and {@code /api/v1/alerts} are
 * {@link RulesApi}'s).
 *
 * <p>buildinfo reports {@code version} as {@code 2.42.0-vigil.<version>}: Grafana reads the
 * Prometheus version to choose query features, and Vigil implements the API of Prometheus 2.42.
 */
public final class StatusApi implements Routes {
  /** The Prometheus API level Vigil implements. */
  public static final String PROMETHEUS_API_VERSION = "2.42.0";

  private final ServerState state;
  private final boolean withRulesPlaceholders;

  /**
   * @param withRulesPlaceholders register an empty {@code /api/v1/alertmanagers}
   */
  public StatusApi(ServerState state, boolean withRulesPlaceholders) {
    this(
        state,
        withRulesPlaceholders,
        () -> Map.of("activeAlertmanagers", List.of(), "droppedAlertmanagers", List.of()));
  }

  /**
   * @param withRulesPlaceholders register {@code /api/v1/alertmanagers}
   * @param alertmanagers its data: {@code activeAlertmanagers} and {@code droppedAlertmanagers}
   */
  public StatusApi(
      ServerState state,
      boolean withRulesPlaceholders,
      java.util.function.Supplier<Map<String, Object>> alertmanagers) {
    this.state = state;
    this.withRulesPlaceholders = withRulesPlaceholders;
    this.alertmanagers = alertmanagers;
  }

  private final java.util.function.Supplier<Map<String, Object>> alertmanagers;

  /** Vigil's version from the jar manifest, or {@code development}. */
  public static String vigilVersion() {
    String v = StatusApi.class.getPackage().getImplementationVersion();
    return v == null ? "development" : v;
  }

  @Override
  public void register(Router r) {
    r.get("/api/v1/status/buildinfo", Role.READ, this::buildinfo);
    r.get("/api/v1/status/config", Role.READ, this::config);
    r.get("/api/v1/status/flags", Role.READ, ctx -> Json.successObject(ctx, state.flags()));
    r.get("/api/v1/status/runtimeinfo", Role.READ, this::runtimeinfo);
    r.get(
        "/api/v1/status/walreplay",
        Role.READ,
        ctx -> {
          var w = state.walReplay();
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("min", w.min());
          m.put("max", w.max());
          m.put("current", w.current());
          Json.successObject(ctx, m);
        });
    if (withRulesPlaceholders) {
      r.get(
          "/api/v1/alertmanagers", Role.READ, ctx -> Json.successObject(ctx, alertmanagers.get()));
    }
  }

  private void buildinfo(Context ctx) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("version", PROMETHEUS_API_VERSION + "-vigil." + vigilVersion());
    m.put("revision", "");
    m.put("branch", "");
    m.put("buildUser", "");
    m.put("buildDate", "");
    m.put("goVersion", "java" + Runtime.version().feature());
    Json.successObject(ctx, m);
  }

  /**
   * The configuration in force (defaults, file, environment and flags), secrets as {@code
   * <secret>}: {@code {"status":"success","data":{"yaml":"..."}}} as Prometheus; when the last
   * reload kept settings that change only at a restart, its {@code warnings} say which.
   */
  private void config(Context ctx) {
    String yaml = state.config().effectiveYaml();
    Json.success(
        ctx,
        state.reloadWarnings(),
        List.of(),
        g -> {
          g.writeStartObject();
          g.writeStringField("yaml", yaml);
          g.writeEndObject();
        });
  }

  private void runtimeinfo(Context ctx) {
    VigilConfig c = state.config();
    Runtime rt = Runtime.getRuntime();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("startTime", state.startTime().toString());
    m.put("CWD", Path.of("").toAbsolutePath().toString());
    m.put("reloadConfigSuccess", state.lastReloadOk());
    m.put("lastConfigTime", state.lastReloadTime().toString());
    m.put("corruptionCount", 0);
    m.put("goroutineCount", Thread.activeCount());
    m.put("GOMAXPROCS", rt.availableProcessors());
    m.put("GOMEMLIMIT", rt.maxMemory());
    m.put("GOGC", "");
    m.put("GODEBUG", "");
    m.put("storageRetention", Durations.formatDuration(c.storage().retentionTime()));
    Json.successObject(ctx, m);
  }
}
