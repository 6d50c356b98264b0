package dev.vigil.server.api;

import dev.vigil.model.LabelMatcher;
import dev.vigil.server.http.ApiError;
import dev.vigil.server.http.Json;
import dev.vigil.server.http.Params;
import dev.vigil.server.http.Role;
import dev.vigil.server.http.Router;
import dev.vigil.server.http.Routes;
import dev.vigil.tsdb.Tsdb;
import io.javalin.http.Context;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Prometheus' TSDB admin API, only with an admin token ({@link Role#ADMIN}):
 *
 * <ul>
 *   <li>{@code POST|PUT /api/v1/admin/tsdb/snapshot}: a consistent copy under {@code
 *       <storage>/snapshots/<name>}; answers {@code {"name": …}}.
 *   <li>{@code POST|PUT /api/v1/admin/tsdb/delete_series?match[]=…&start=…&end=…}: deletes samples;
 *       204.
 *   <li>{@code POST|PUT /api/v1/admin/tsdb/clean_tombstones}: compacts now so deleted data leaves
 *       the disk; 204.
 * </ul>
 */
public final class AdminApi implements Routes {
  private static final DateTimeFormatter SNAPSHOT_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Supplier<Tsdb> tsdb;

  public AdminApi(Supplier<Tsdb> tsdb) {
    this.tsdb = tsdb;
  }

  @Override
  public void register(Router r) {
    for (String p :
        List.of(
            "/api/v1/admin/tsdb/snapshot",
            "/api/v1/admin/tsdb/delete_series",
            "/api/v1/admin/tsdb/clean_tombstones")) {
      io.javalin.http.Handler h =
          switch (p.substring(p.lastIndexOf('/') + 1)) {
            case "snapshot" -> this::snapshot;
            case "delete_series" -> this::deleteSeries;
            default -> this::cleanTombstones;
          };
      r.post(p, Role.ADMIN, h).put(p, Role.ADMIN, h);
    }
  }

  private void snapshot(Context ctx) {
    Tsdb db = tsdb.get();
    byte[] rnd = new byte[8];
    RANDOM.nextBytes(rnd);
    String name =
        ZonedDateTime.now(ZoneOffset.UTC).format(SNAPSHOT_TIME)
            + "-"
            + HexFormat.of().formatHex(rnd);
    Path target = db.dir().resolve("snapshots").resolve(name);
    try {
      db.snapshot(target);
    } catch (RuntimeException e) {
      throw new ApiError(ApiError.Type.INTERNAL, "create snapshot: " + e.getMessage());
    }
    Json.successObject(ctx, Map.of("name", name));
  }

  private void deleteSeries(Context ctx) {
    List<List<LabelMatcher>> sets = SeriesApi.matchers(ctx);
    if (sets.isEmpty()) {
      throw ApiError.badData("no match[] parameter provided");
    }
    long start = Params.time(ctx, "start", Params.MIN_TIME);
    long end = Params.time(ctx, "end", Params.MAX_TIME);
    if (end < start) {
      throw ApiError.badData("end timestamp must not be before start time");
    }
    Tsdb db = tsdb.get();
    for (List<LabelMatcher> set : sets) {
      try {
        db.delete(start, end, set);
      } catch (IllegalArgumentException e) {
        throw ApiError.badData(e.getMessage());
      }
    }
    ctx.status(204);
  }

  private void cleanTombstones(Context ctx) {
    tsdb.get().maintain();
    ctx.status(204);
  }
}
