package dev.vigil.server.api;

import com.fasterxml.jackson.databind.util.RawValue;
import dev.vigil.model.Labels;
import dev.vigil.rules.Alert;
import dev.vigil.rules.GroupStatus;
import dev.vigil.rules.RuleManager;
import dev.vigil.rules.RuleStatus;
import dev.vigil.server.http.ApiError;
import dev.vigil.server.http.Json;
import dev.vigil.server.http.Params;
import dev.vigil.server.http.Role;
import dev.vigil.server.http.Router;
import dev.vigil.server.http.Routes;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * {@code /api/v1/rules} ({@code type}, {@code rule_name[]}, {@code rule_group[]}, {@code file[]})
 * and {@code /api/v1/alerts} in Prometheus 2.42's shapes: alert values as Go's {@code %e} shortest
 * text ({@code "1e+00"}), times as RFC 3339 with nanoseconds, durations and evaluation times as
 * float seconds. When the last reload of the rule files failed, the answer carries the problems as
 * a warning (the previous rules keep running).
 */
public final class RulesApi implements Routes {
  private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

  private final Supplier<RuleManager> rules;

  /**
   * @param rules the rule manager (throws {@link ApiError} unavailable until the store is open)
   */
  public RulesApi(Supplier<RuleManager> rules) {
    this.rules = rules;
  }

  @Override
  public void register(Router r) {
    r.get("/api/v1/rules", Role.READ, this::rules);
    r.get("/api/v1/alerts", Role.READ, this::alerts);
  }

  private void rules(Context ctx) {
    String type = Params.get(ctx, "type");
    type = type == null ? "" : type.toLowerCase(Locale.ROOT);
    if (!type.isEmpty() && !type.equals("alert") && !type.equals("record")) {
      throw ApiError.badData("type: not supported value \"" + type + "\" (use alert or record)");
    }
    Set<String> names = new HashSet<>(Params.all(ctx, "rule_name[]"));
    Set<String> groups = new HashSet<>(Params.all(ctx, "rule_group[]"));
    Set<String> files = new HashSet<>(Params.all(ctx, "file[]"));
    RuleManager m = rules.get();
    boolean ruleFilter = !type.isEmpty() || !names.isEmpty();
    List<Object> out = new ArrayList<>();
    for (GroupStatus g : m.groups()) {
      if ((!groups.isEmpty() && !groups.contains(g.name()))
          || (!files.isEmpty() && !files.contains(g.file()))) {
        continue;
      }
      List<Object> rs = new ArrayList<>();
      for (RuleStatus r : g.rules()) {
        if ((type.equals("alert") && !r.alerting())
            || (type.equals("record") && r.alerting())
            || (!names.isEmpty() && !names.contains(r.name()))) {
          continue;
        }
        rs.add(rule(r));
      }
      if (ruleFilter && rs.isEmpty()) {
        continue;
      }
      Map<String, Object> gm = new LinkedHashMap<>();
      gm.put("name", g.name());
      gm.put("file", g.file());
      gm.put("rules", rs);
      gm.put("interval", goFloat(g.interval().toMillis() / 1000.0));
      gm.put("limit", g.limit());
      gm.put("evaluationTime", goFloat(g.evaluationSeconds()));
      gm.put("lastEvaluation", time(g.lastEvaluation()));
      out.add(gm);
    }
    String err = m.lastReloadError();
    List<String> warnings =
        err == null
            ? List.of()
            : List.of("rule files not reloaded, the previous rules keep running: " + err);
    Json.success(ctx, warnings, List.of(), g -> Json.MAPPER.writeValue(g, Map.of("groups", out)));
  }

  private static Map<String, Object> rule(RuleStatus r) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (r.alerting()) {
      m.put("state", r.state().apiName());
      m.put("name", r.name());
      m.put("query", r.query());
      m.put("duration", goFloat(r.forDuration().toMillis() / 1000.0));
      m.put("keepFiringFor", goFloat(r.keepFiringFor().toMillis() / 1000.0));
      m.put("labels", new TreeMap<>(r.labels()));
      m.put("annotations", new TreeMap<>(r.annotations()));
      List<Object> alerts = new ArrayList<>();
      for (Alert a : r.alerts()) {
        alerts.add(alert(a));
      }
      m.put("alerts", alerts);
    } else {
      m.put("name", r.name());
      m.put("query", r.query());
      if (!r.labels().isEmpty()) {
        m.put("labels", new TreeMap<>(r.labels()));
      }
    }
    m.put("health", r.health());
    if (!r.lastError().isEmpty()) {
      m.put("lastError", r.lastError());
    }
    m.put("evaluationTime", goFloat(r.evaluationSeconds()));
    m.put("lastEvaluation", time(r.lastEvaluation()));
    m.put("type", r.alerting() ? "alerting" : "recording");
    return m;
  }

  private void alerts(Context ctx) {
    List<Object> out = new ArrayList<>();
    for (Alert a : rules.get().alerts()) {
      out.add(alert(a));
    }
    Json.successObject(ctx, Map.of("alerts", out));
  }

  private static Map<String, Object> alert(Alert a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("labels", labels(a.labels()));
    m.put("annotations", new TreeMap<>(a.annotations()));
    m.put("state", a.state().apiName());
    m.put("activeAt", time(Instant.ofEpochMilli(a.activeAt())));
    if (a.keepFiringSince() != Alert.NONE) {
      m.put("keepFiringSince", time(Instant.ofEpochMilli(a.keepFiringSince())));
    }
    m.put("value", formatE(a.value()));
    return m;
  }

  private static Map<String, String> labels(Labels l) {
    Map<String, String> m = new LinkedHashMap<>();
    l.forEach(m::put);
    return m;
  }

  /** Go's {@code time.Time} JSON: RFC 3339 with up to 9 fraction digits, zeros trimmed. */
  static String time(Instant t) {
    if (t == null) {
      return ZERO_TIME;
    }
    String base = DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    int nanos = t.getNano();
    if (nanos == 0) {
      return base;
    }
    String frac = String.format(Locale.ROOT, "%09d", nanos).replaceAll("0+$", "");
    return base.substring(0, base.length() - 1) + "." + frac + "Z";
  }

  /**
   * A float as Go's {@code encoding/json} writes it: shortest digits, {@code 3} not {@code 3.0},
   * {@code 0.000123} not {@code 1.23E-4}, an exponent only below 1e-6 or from 1e21 ({@code 1e-7}).
   */
  static RawValue goFloat(double v) {
    double abs = Math.abs(v);
    if (abs != 0 && (abs < 1e-6 || abs >= 1e21)) {
      String e = formatE(v);
      // Go's clean-up: e-07 becomes e-7.
      return new RawValue(e.replaceFirst("e-0(\\d)$", "e-$1"));
    }
    return new RawValue(Json.formatValue(v));
  }

  /** Go's {@code strconv.FormatFloat(v, 'e', -1, 64)}: {@code 1e+00}, {@code 1.5e-07}. */
  static String formatE(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    boolean neg = v < 0 || (v == 0 && 1 / v < 0);
    if (v == 0) {
      return neg ? "-0e+00" : "0e+00";
    }
    BigDecimal d = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
    String digits = d.unscaledValue().toString();
    int exp = digits.length() - 1 - d.scale();
    StringBuilder b = new StringBuilder(24);
    if (neg) {
      b.append('-');
    }
    b.append(digits.charAt(0));
    if (digits.length() > 1) {
      b.append('.').append(digits, 1, digits.length());
    }
    b.append('e').append(exp < 0 ? '-' : '+');
    int ae = Math.abs(exp);
    if (ae < 10) {
      b.append('0');
    }
    return b.append(ae).toString();
  }
}
