package dev.vigil.server.anomaly;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.vigil.model.Durations;
import dev.vigil.rules.anomaly.AnomalyDetector;
import dev.vigil.rules.anomaly.AnomalyMark;
import dev.vigil.server.http.ApiError;
import dev.vigil.server.http.Json;
import dev.vigil.server.http.Params;
import dev.vigil.server.http.Role;
import dev.vigil.server.http.Router;
import dev.vigil.server.http.Routes;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The marks and their current scores (docs/api.md, "Anomaly detection"):
 *
 * <ul>
 *   <li>{@code GET /api/v1/anomaly/marks}: every mark with its options and each series' latest
 *       value, baseline, band, score and model;
 *   <li>{@code POST /api/v1/anomaly/marks} with {@code expr} (and optional {@code name}, {@code
 *       threshold}, {@code alert}, {@code for}): marks an expression (what a chart's "Detect
 *       anomalies" does); 400 naming the problem;
 *   <li>{@code DELETE /api/v1/anomaly/marks/{name}}: removes a mark made through the API.
 * </ul>
 */
public final class AnomalyApi implements Routes {
  private final Supplier<AnomalyService> service;

  public AnomalyApi(Supplier<AnomalyService> service) {
    this.service = service;
  }

  @Override
  public void register(Router r) {
    r.get("/api/v1/anomaly/marks", Role.READ, this::list);
    r.post("/api/v1/anomaly/marks", Role.WRITE, this::add);
    r.delete("/api/v1/anomaly/marks/{name}", Role.WRITE, this::remove);
  }

  private void list(Context ctx) {
    AnomalyService s = service.get();
    var status = s.detector().status();
    Json.success(
        ctx,
        g -> {
          g.writeStartArray();
          for (AnomalyDetector.MarkStatus m : status) {
            writeMark(g, m.mark());
            g.writeStringField("lastError", m.lastError() == null ? "" : m.lastError());
            g.writeArrayFieldStart("series");
            for (AnomalyDetector.SeriesStatus ss : m.series()) {
              g.writeStartObject();
              g.writeObjectFieldStart("labels");
              for (Map.Entry<String, String> e : ss.labels().entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
              }
              g.writeEndObject();
              g.writeNumberField("timestamp", ss.timestampMs() / 1000.0);
              g.writeStringField("value", Json.formatValue(ss.value()));
              g.writeStringField("baseline", Json.formatValue(ss.baseline()));
              g.writeStringField("lower", Json.formatValue(ss.lower()));
              g.writeStringField("upper", Json.formatValue(ss.upper()));
              g.writeStringField("score", Json.formatValue(ss.score()));
              g.writeStringField("model", ss.model());
              g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
          }
          g.writeEndArray();
        });
  }

  private static void writeMark(JsonGenerator g, AnomalyMark m) throws IOException {
    g.writeStartObject();
    g.writeStringField("name", m.name());
    g.writeStringField("expr", m.expr());
    g.writeStringField("source", m.source() == AnomalyMark.Source.CONFIG ? "config" : "api");
    g.writeNumberField("threshold", m.options().threshold());
    g.writeStringField("step", Durations.formatDuration(m.options().step()));
    g.writeNumberField("weeks", m.options().weeks());
    g.writeStringField("window", Durations.formatDuration(m.options().window()));
    g.writeBooleanField("alert", m.alert());
    g.writeStringField("for", Durations.formatDuration(m.alertFor()));
  }

  private void add(Context ctx) {
    AnomalyService s = service.get();
    String expr = Params.get(ctx, "expr");
    if (expr == null || expr.isBlank()) {
      throw ApiError.badData("expr is missing: the PromQL expression to mark");
    }
    if (expr.length() > 4096) {
      throw ApiError.badData("expr is longer than 4096 characters");
    }
    Double threshold = null;
    String t = Params.get(ctx, "threshold");
    if (t != null && !t.isBlank()) {
      try {
        threshold = Double.parseDouble(t.trim());
      } catch (NumberFormatException e) {
        throw ApiError.badData("threshold \"" + t + "\" is not a number");
      }
    }
    String a = Params.get(ctx, "alert");
    if (a != null && !a.equals("true") && !a.equals("false") && !a.isEmpty()) {
      throw ApiError.badData("alert \"" + a + "\" is not true or false");
    }
    Duration alertFor = null;
    String f = Params.get(ctx, "for");
    if (f != null && !f.isBlank()) {
      try {
        alertFor = Durations.parseDuration(f.trim());
      } catch (IllegalArgumentException e) {
        throw ApiError.badData("for: " + e.getMessage());
      }
    }
    AnomalyMark m;
    try {
      m = s.add(Params.get(ctx, "name"), expr, threshold, "true".equals(a), alertFor);
    } catch (IllegalArgumentException e) {
      throw ApiError.badData(e.getMessage());
    }
    Json.success(
        ctx,
        g -> {
          writeMark(g, m);
          g.writeEndObject();
        });
  }

  private void remove(Context ctx) {
    String name = ctx.pathParam("name");
    boolean removed;
    try {
      removed = service.get().remove(name);
    } catch (IllegalArgumentException e) {
      throw ApiError.badData(e.getMessage());
    }
    if (!removed) {
      throw new ApiError(ApiError.Type.NOT_FOUND, "no mark \"" + name + "\" made through the API");
    }
    Json.success(ctx, g -> g.writeString(name));
  }
}
