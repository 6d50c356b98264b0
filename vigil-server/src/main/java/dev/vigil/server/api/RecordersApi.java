package dev.vigil.server.api;

import dev.vigil.collectors.recorders.ErrorSamples;
import dev.vigil.collectors.recorders.Recorders;
import dev.vigil.collectors.recorders.SystemMetricEvent;
import dev.vigil.server.http.ApiError;
import dev.vigil.server.http.Json;
import dev.vigil.server.http.Params;
import dev.vigil.server.http.Role;
import dev.vigil.server.http.Router;
import dev.vigil.server.http.Routes;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the application recorders keep in memory beside their metrics (Vigil extensions, {@code
 * docs/api.md}), read role:
 *
 * <ul>
 *   <li>{@code GET /api/v1/errors/samples?type=&limit=}: the errors' stack-trace samples, most
 *       recently seen first, each with its fingerprint, count, first and last seen and cause chain.
 *   <li>{@code GET /api/v1/system_metrics/events?type=&metadata=KEY=VALUE&limit=}: the last values
 *       recorded with {@code recordSystemMetric} and their metadata, newest first; {@code metadata}
 *       (repeatable) keeps the values whose metadata has that entry.
 * </ul>
 *
 * <p>Parameters are checked before any work; a bad one gets 400 naming it.
 */
public final class RecordersApi implements Routes {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  private final Supplier<Recorders> recorders;

  /**
   * @param recorders the recorders whose samples are served
   */
  public RecordersApi(Supplier<Recorders> recorders) {
    this.recorders = recorders;
  }

  @Override
  public void register(Router r) {
    r.get("/api/v1/errors/samples", Role.READ, this::errorSamples);
    r.get("/api/v1/system_metrics/events", Role.READ, this::systemMetricEvents);
  }

  private static int limit(Context ctx) {
    int limit = Params.limit(ctx, "limit");
    if (limit > MAX_LIMIT) {
      throw ApiError.badData(
          "invalid parameter \"limit\": at most " + MAX_LIMIT + ", got " + limit);
    }
    return limit == 0 ? DEFAULT_LIMIT : limit;
  }

  private static String type(Context ctx) {
    String type = Params.get(ctx, "type");
    if (type != null && (type.isEmpty() || type.length() > 128)) {
      throw ApiError.badData(
          "invalid parameter \"type\": give 1 to 128 characters, or leave it out");
    }
    return type;
  }

  private void systemMetricEvents(Context ctx) {
    String type = type(ctx);
    List<String> pairs = Params.all(ctx, "metadata");
    if (pairs.size() > 16) {
      throw ApiError.badData("invalid parameter \"metadata\": at most 16 entries");
    }
    Map<String, String> want = new LinkedHashMap<>();
    for (String p : pairs) {
      int eq = p.indexOf('=');
      if (eq < 1) {
        throw ApiError.badData(
            "invalid parameter \"metadata\": give KEY=VALUE, e.g. metadata=provider=openai");
      }
      want.put(p.substring(0, eq), p.substring(eq + 1));
    }
    int limit = limit(ctx);
    List<Object> out = new ArrayList<>();
    for (SystemMetricEvent e : recorders.get().systemMetricEvents(type, want, limit)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("timestamp", Instant.ofEpochMilli(e.timestampMillis()).toString());
      m.put("type", e.type());
      m.put("kind", e.kind().name().toLowerCase(java.util.Locale.ROOT));
      m.put("value", e.value());
      m.put("metadata", e.metadata());
      out.add(m);
    }
    Json.successObject(ctx, out);
  }

  private void errorSamples(Context ctx) {
    String type = type(ctx);
    int limit = limit(ctx);
    List<Object> out = new ArrayList<>();
    for (ErrorSamples.Sample s : recorders.get().errorSamples(type, limit)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("fingerprint", s.fingerprint());
      m.put("type", s.type());
      m.put("service", s.service());
      m.put("count", s.count());
      m.put("first_seen", Instant.ofEpochMilli(s.firstSeenMillis()).toString());
      m.put("last_seen", Instant.ofEpochMilli(s.lastSeenMillis()).toString());
      List<Object> chain = new ArrayList<>();
      for (ErrorSamples.Cause c : s.chain()) {
        Map<String, Object> cm = new LinkedHashMap<>();
        cm.put("class", c.className());
        cm.put("message", c.message());
        cm.put("frames", c.frames());
        cm.put("frames_omitted", c.framesOmitted());
        chain.add(cm);
      }
      m.put("chain", chain);
      out.add(m);
    }
    Json.successObject(ctx, out);
  }
}
