package dev.vigil.server.api;

import dev.vigil.collectors.recorders.ErrorSamples;
import dev.vigil.collectors.recorders.Recorders;
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
