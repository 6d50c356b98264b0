package dev.vigil.server.api;

import dev.vigil.export.ExportFormat;
import dev.vigil.export.ExportWriters;
import dev.vigil.export.SeriesExport;
import dev.vigil.export.SeriesWriter;
import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.model.Querier;
import dev.vigil.model.QueryCanceledException;
import dev.vigil.model.QueryDeadline;
import dev.vigil.model.Queryable;
import dev.vigil.model.SelectHints;
import dev.vigil.model.Series;
import dev.vigil.model.SeriesSet;
import dev.vigil.server.http.ApiError;
import dev.vigil.server.http.Params;
import dev.vigil.server.http.Role;
import dev.vigil.server.http.Router;
import dev.vigil.server.http.Routes;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/export} (VictoriaMetrics' JSON lines: {@code
 * {"metric":{...},"values":[...],"timestamps":[...]}} per series) and {@code GET
 * /api/v1/export/csv} (VictoriaMetrics' columns when {@code format} is given, Vigil's long layout
 * otherwise): the raw samples of every series matching any {@code match[]} between {@code start}
 * and {@code end}, for tools that pull history (vmctl, {@code vigil export --url}).
 *
 * <p>Bounded before any sample is read: the matching series are counted first and more than {@link
 * #MAX_SERIES} are refused with 422; then the body streams series by series (constant memory), and
 * stops at {@code server.limits.query_timeout} (the body is then cut short: the status was sent).
 */
public final class ExportApi implements Routes {
  /** The most series one export request may match: 100,000, about 20 MB of label sets. */
  public static final int MAX_SERIES = 100_000;

  private final Supplier<Queryable> storage;
  private final Duration timeout;
  private final int maxSeries;

  /**
   * @param timeout the server's query timeout: the longest an export streams
   */
  public ExportApi(Supplier<Queryable> storage, Duration timeout) {
    this(storage, timeout, MAX_SERIES);
  }

  ExportApi(Supplier<Queryable> storage, Duration timeout, int maxSeries) {
    this.storage = storage;
    this.timeout = timeout;
    this.maxSeries = maxSeries;
  }

  @Override
  public void register(Router r) {
    Router pool = r.onQueryPool();
    pool.get("/api/v1/export", Role.READ, ctx -> export(ctx, false));
    pool.get("/api/v1/export/csv", Role.READ, ctx -> export(ctx, true));
  }

  private void export(Context ctx, boolean csv) {
    List<List<LabelMatcher>> sets = SeriesApi.matchers(ctx);
    if (sets.isEmpty()) {
      throw ApiError.badData("missing match[] parameter: e.g. match[]={job=\"node\"}");
    }
    long start = Params.time(ctx, "start", Params.MIN_TIME);
    long end = Params.time(ctx, "end", Params.MAX_TIME);
    if (end < start) {
      throw ApiError.badData("end timestamp must not be before start time");
    }
    int maxRows = ExportWriters.DEFAULT_MAX_ROWS_PER_LINE;
    String rows = Params.get(ctx, "max_rows_per_line");
    if (rows != null && !rows.isEmpty()) {
      try {
        maxRows = Integer.parseInt(rows.strip());
      } catch (NumberFormatException e) {
        maxRows = -1;
      }
      if (maxRows < 1) {
        throw ApiError.badData(
            "invalid parameter \"max_rows_per_line\": expected a positive integer, got \""
                + rows
                + "\"");
      }
    }
    String format = csv ? Params.get(ctx, "format") : null;
    QueryDeadline deadline = QueryDeadline.after(timeout);
    try (QueryDeadline.Scope scope = deadline.enter();
        Querier q = storage.get().querier(start, end)) {
      int n = count(q, sets, start, end);
      if (n > maxSeries) {
        throw new ApiError(
            ApiError.Type.EXECUTION,
            "the export matches "
                + n
                + " series, more than the "
                + maxSeries
                + " one request may export: narrow match[] or export in parts");
      }
      OutputStream out = ctx.outputStream();
      SeriesWriter w;
      try {
        if (csv && format != null && !format.isBlank()) {
          w = ExportWriters.vmCsv(format, out);
        } else {
          w =
              ExportWriters.open(
                  csv ? ExportFormat.CSV : ExportFormat.JSONL,
                  ExportWriters.Layout.LONG,
                  out,
                  maxRows);
        }
      } catch (IllegalArgumentException e) {
        throw ApiError.badData("invalid parameter \"format\": " + e.getMessage());
      }
      ctx.status(200).contentType(csv ? "text/csv; charset=utf-8" : "application/stream+json");
      try (w) {
        SeriesExport.write(select(q, sets, start, end), start, end, w, written -> deadline.check());
        w.finish();
      }
    } catch (QueryCanceledException e) {
      throw new ApiError(
          e.isTimeout() ? ApiError.Type.TIMEOUT : ApiError.Type.CANCELED, e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The number of distinct series matching any set (labels only: no sample is read). */
  private static int count(Querier q, List<List<LabelMatcher>> sets, long start, long end) {
    SeriesSet s = select(q, sets, start, end);
    int n = 0;
    while (s.next()) {
      n++;
    }
    return n;
  }

  /**
   * The series of every set, each once: one set streams as storage returns it; several are
   * deduplicated by a set of the label sets seen (bounded by {@link #MAX_SERIES}).
   */
  private static SeriesSet select(Querier q, List<List<LabelMatcher>> sets, long start, long end) {
    List<SeriesSet> parts = new ArrayList<>();
    for (List<LabelMatcher> m : sets) {
      try {
        parts.add(q.select(SelectHints.range(start, end), m));
      } catch (IllegalArgumentException e) {
        throw ApiError.badData(e.getMessage());
      }
    }
    if (parts.size() == 1) {
      return parts.get(0);
    }
    Set<Labels> seen = new HashSet<>();
    return new SeriesSet() {
      private int i;
      private Series cur;

      @Override
      public boolean next() {
        while (i < parts.size()) {
          if (parts.get(i).next()) {
            cur = parts.get(i).at();
            if (seen.add(cur.labels())) {
              return true;
            }
          } else {
            i++;
          }
        }
        return false;
      }

      @Override
      public Series at() {
        return cur;
      }
    };
  }
}
