package dev.vigil.server.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.vigil.model.Durations;
import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.model.MetricMetadata;
import dev.vigil.promql.parser.ParseException;
import dev.vigil.promql.parser.Parser;
import dev.vigil.server.http.ApiError;
import dev.vigil.server.http.Json;
import dev.vigil.server.http.Params;
import dev.vigil.server.http.Role;
import dev.vigil.server.http.Router;
import dev.vigil.server.http.Routes;
import dev.vigil.server.scrape.ScrapeManager;
import dev.vigil.server.scrape.Target;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /api/v1/targets} ({@code state}, {@code scrapePool}), {@code /api/v1/metadata} ({@code
 * metric}, {@code limit}, {@code limit_per_metric}) and {@code /api/v1/targets/metadata} from the
 * scrape manager, in Prometheus' shapes.
 */
public final class TargetsApi implements Routes {
  private final Supplier<ScrapeManager> scrapes;

  /**
   * @param scrapes the current scrape manager (replaced on reload)
   */
  public TargetsApi(Supplier<ScrapeManager> scrapes) {
    this.scrapes = scrapes;
  }

  @Override
  public void register(Router r) {
    r.get("/api/v1/targets", Role.READ, this::targets);
    r.get("/api/v1/metadata", Role.READ, this::metadata);
    r.get("/api/v1/targets/metadata", Role.READ, this::targetMetadata);
  }

  /**
   * {@code /api/v1/targets/metadata}: {@code match_target} (a label selector over target labels),
   * {@code metric} (one family; then entries carry no {@code metric} field), {@code limit} (stop
   * adding targets once this many entries are listed), as Prometheus.
   */
  private void targetMetadata(Context ctx) {
    String selector = Params.get(ctx, "match_target");
    List<LabelMatcher> match = List.of();
    if (selector != null && !selector.isEmpty()) {
      try {
        match = Parser.parseMatchers(selector);
      } catch (ParseException | IllegalArgumentException e) {
        throw ApiError.badData("invalid parameter \"match_target\": " + e.getMessage());
      }
    }
    String metric = Params.get(ctx, "metric");
    boolean one = metric != null && !metric.isEmpty();
    int limit = Params.limit(ctx, "limit");
    List<LabelMatcher> matchers = match;
    List<ScrapeManager.TargetMetadata> all = scrapes.get().targetMetadata();
    Json.success(
        ctx,
        g -> {
          g.writeStartArray();
          int n = 0;
          for (ScrapeManager.TargetMetadata tm : all) {
            if (limit > 0 && n >= limit) {
              break;
            }
            Labels labels = tm.target().labels();
            if (!matchers.stream().allMatch(m -> m.matches(labels))) {
              continue;
            }
            for (var e : tm.metadata().entrySet()) {
              if (one && !metric.equals(e.getKey())) {
                continue;
              }
              MetricMetadata m = e.getValue();
              g.writeStartObject();
              g.writeFieldName("target");
              writeLabels(g, labels);
              if (!one) {
                g.writeStringField("metric", e.getKey());
              }
              g.writeStringField("type", m.type());
              g.writeStringField("help", m.help());
              g.writeStringField("unit", m.unit());
              g.writeEndObject();
              n++;
            }
          }
          g.writeEndArray();
        });
  }

  private void targets(Context ctx) {
    String state = Params.get(ctx, "state");
    String pool = Params.get(ctx, "scrapePool");
    if (state == null || state.isEmpty()) {
      state = "any";
    }
    if (!List.of("any", "active", "dropped").contains(state)) {
      throw ApiError.badData("invalid parameter \"state\": must be active, dropped or any");
    }
    boolean active = !state.equals("dropped");
    boolean dropped = !state.equals("active");
    ScrapeManager m = scrapes.get();
    List<Target> targets = m.activeTargets();
    Map<String, List<Labels>> droppedTargets = m.droppedTargets();
    Json.success(
        ctx,
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("activeTargets");
          if (active) {
            for (Target t : targets) {
              if (pool == null || pool.equals(t.job().jobName())) {
                writeTarget(g, t);
              }
            }
          }
          g.writeEndArray();
          g.writeArrayFieldStart("droppedTargets");
          if (dropped) {
            for (var e : droppedTargets.entrySet()) {
              if (pool != null && !pool.equals(e.getKey())) {
                continue;
              }
              for (Labels l : e.getValue()) {
                g.writeStartObject();
                g.writeFieldName("discoveredLabels");
                writeLabels(g, l);
                g.writeEndObject();
              }
            }
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  private static void writeTarget(JsonGenerator g, Target t) throws IOException {
    g.writeStartObject();
    g.writeFieldName("discoveredLabels");
    writeLabels(g, t.discoveredLabels());
    g.writeFieldName("labels");
    writeLabels(g, t.labels());
    g.writeStringField("scrapePool", t.job().jobName());
    g.writeStringField("scrapeUrl", t.url());
    g.writeStringField("globalUrl", t.url());
    g.writeStringField("lastError", t.lastError());
    g.writeStringField(
        "lastScrape", t.lastScrape() == null ? "0001-01-01T00:00:00Z" : t.lastScrape().toString());
    g.writeNumberField("lastScrapeDuration", t.lastDurationSeconds());
    g.writeStringField("health", t.health().wire());
    g.writeStringField("scrapeInterval", Durations.formatDuration(t.job().interval()));
    g.writeStringField("scrapeTimeout", Durations.formatDuration(t.job().timeout()));
    g.writeEndObject();
  }

  /** Writes labels as a JSON object. */
  static void writeLabels(JsonGenerator g, Labels l) throws IOException {
    g.writeStartObject();
    for (int i = 0; i < l.size(); i++) {
      g.writeStringField(l.name(i), l.value(i));
    }
    g.writeEndObject();
  }

  private void metadata(Context ctx) {
    int limit = Params.limit(ctx, "limit");
    int perMetric = Params.limit(ctx, "limit_per_metric");
    String metric = Params.get(ctx, "metric");
    Map<String, List<MetricMetadata>> all = scrapes.get().metadata();
    Json.success(
        ctx,
        g -> {
          g.writeStartObject();
          int n = 0;
          for (var e : all.entrySet()) {
            if (metric != null && !metric.isEmpty() && !metric.equals(e.getKey())) {
              continue;
            }
            if (limit > 0 && n >= limit) {
              break;
            }
            n++;
            g.writeArrayFieldStart(e.getKey());
            int k = 0;
            for (MetricMetadata m : e.getValue()) {
              if (perMetric > 0 && k++ >= perMetric) {
                break;
              }
              g.writeStartObject();
              g.writeStringField("type", m.type());
              g.writeStringField("help", m.help());
              g.writeStringField("unit", m.unit());
              g.writeEndObject();
            }
            g.writeEndArray();
          }
          g.writeEndObject();
        });
  }
}
