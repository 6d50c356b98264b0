package dev.vigil.server.api;

import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.model.Names;
import dev.vigil.model.Querier;
import dev.vigil.model.QueryCanceledException;
import dev.vigil.model.QueryDeadline;
import dev.vigil.model.Queryable;
import dev.vigil.model.SelectHints;
import dev.vigil.model.SeriesSet;
import dev.vigil.promql.parser.ParseException;
import dev.vigil.promql.parser.Parser;
import dev.vigil.server.http.ApiError;
import dev.vigil.server.http.Json;
import dev.vigil.server.http.Params;
import dev.vigil.server.http.Role;
import dev.vigil.server.http.Router;
import dev.vigil.server.http.Routes;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Metadata endpoints over storage: {@code /api/v1/series}, {@code /api/v1/labels} and {@code
 * /api/v1/label/<name>/values}, with {@code match[]}, {@code start}, {@code end} and {@code limit}
 * as Prometheus (a truncated answer carries the warning "results truncated due to limit"), and a
 * {@code timeout} as the query endpoints: the shorter of it and the server's query timeout bounds
 * the selection (checked inside storage's label-value loops); past it the answer is 503 {@code
 * timeout}.
 */
public final class SeriesApi implements Routes {
  private final Supplier<Queryable> storage;
  private final Duration maxTimeout;

  /**
   * @param maxTimeout the server's query timeout: the longest a request may run, whatever its
   *     {@code timeout} parameter
   */
  public SeriesApi(Supplier<Queryable> storage, Duration maxTimeout) {
    this.storage = storage;
    this.maxTimeout = maxTimeout;
  }

  @Override
  public void register(Router r) {
    // Index scans with user regexes: on the query threads, like queries (Router#onQueryPool).
    Router q = r.onQueryPool();
    q.getAndPost("/api/v1/series", Role.READ, this::series);
    q.getAndPost("/api/v1/labels", Role.READ, this::labels);
    q.get("/api/v1/label/{name}/values", Role.READ, this::labelValues);
  }

  /** Parses every {@code match[]} into matcher lists; bad selectors are bad_data (400). */
  static List<List<LabelMatcher>> matchers(Context ctx) {
    List<List<LabelMatcher>> out = new ArrayList<>();
    for (String m : Params.all(ctx, "match[]")) {
      try {
        out.add(Parser.parseMatchers(m));
      } catch (ParseException | IllegalArgumentException e) {
        throw ApiError.badData(e.getMessage());
      }
    }
    return out;
  }

  private record Range(long start, long end) {}

  private static Range range(Context ctx) {
    long start = Params.time(ctx, "start", Params.MIN_TIME);
    long end = Params.time(ctx, "end", Params.MAX_TIME);
    if (end < start) {
      throw ApiError.badData("end timestamp must not be before start time");
    }
    return new Range(start, end);
  }

  /** The request's deadline: its {@code timeout} when shorter than the server's. */
  private QueryDeadline deadline(Context ctx) {
    Duration t = Params.preciseDuration(ctx, "timeout");
    return QueryDeadline.after(t == null || t.compareTo(maxTimeout) > 0 ? maxTimeout : t);
  }

  /**
   * Runs {@code work} under the request's deadline; past it, 503 {@code timeout}. An answer that
   * overran is not given, as the engine does.
   */
  private static <T> T bounded(QueryDeadline deadline, Supplier<T> work) {
    try (QueryDeadline.Scope scope = deadline.enter()) {
      T out = work.get();
      deadline.check();
      return out;
    } catch (QueryCanceledException e) {
      throw new ApiError(
          e.isTimeout() ? ApiError.Type.TIMEOUT : ApiError.Type.CANCELED, e.getMessage());
    }
  }

  private void series(Context ctx) {
    List<List<LabelMatcher>> sets = matchers(ctx);
    if (sets.isEmpty()) {
      throw ApiError.badData("no match[] parameter provided");
    }
    Range r = range(ctx);
    int limit = Params.limit(ctx, "limit");
    QueryDeadline deadline = deadline(ctx);
    TreeSet<Labels> found = new TreeSet<>();
    List<String> warnings = new ArrayList<>();
    bounded(
        deadline,
        () -> {
          try (Querier q = storage.get().querier(r.start, r.end)) {
            for (List<LabelMatcher> set : sets) {
              SeriesSet s = select(q, r, set);
              while (s.next()) {
                deadline.checkEvery();
                found.add(s.at().labels());
              }
              warnings.addAll(s.warnings());
            }
          }
          return null;
        });
    List<Labels> out = new ArrayList<>(found);
    if (limit > 0 && out.size() > limit) {
      out = out.subList(0, limit);
      warnings.add("results truncated due to limit");
    }
    List<Labels> result = out;
    Json.success(
        ctx,
        warnings,
        List.of(),
        g -> {
          g.writeStartArray();
          for (Labels l : result) {
            TargetsApi.writeLabels(g, l);
          }
          g.writeEndArray();
        });
  }

  private static SeriesSet select(Querier q, Range r, List<LabelMatcher> set) {
    try {
      // Labels only ("series", as Prometheus marks it): a remote backend is asked for series,
      // not samples.
      return q.select(
          new SelectHints(r.start, r.end, 0, "series", 0, dev.vigil.model.Resolution.RAW), set);
    } catch (IllegalArgumentException e) {
      throw ApiError.badData(e.getMessage());
    }
  }

  private void labels(Context ctx) {
    List<List<LabelMatcher>> sets = matchers(ctx);
    Range r = range(ctx);
    int limit = Params.limit(ctx, "limit");
    TreeSet<String> names = new TreeSet<>();
    bounded(
        deadline(ctx),
        () -> {
          try (Querier q = storage.get().querier(r.start, r.end)) {
            if (sets.isEmpty()) {
              names.addAll(q.labelNames(List.of()));
            }
            for (List<LabelMatcher> set : sets) {
              names.addAll(labelCall(() -> q.labelNames(set)));
            }
          }
          return null;
        });
    writeStrings(ctx, new ArrayList<>(names), limit);
  }

  private void labelValues(Context ctx) {
    String name = ctx.pathParam("name");
    if (!Names.isValidLabelName(name)) {
      throw ApiError.badData("invalid label name: \"" + name + "\"");
    }
    List<List<LabelMatcher>> sets = matchers(ctx);
    Range r = range(ctx);
    int limit = Params.limit(ctx, "limit");
    TreeSet<String> values = new TreeSet<>();
    bounded(
        deadline(ctx),
        () -> {
          try (Querier q = storage.get().querier(r.start, r.end)) {
            if (sets.isEmpty()) {
              values.addAll(q.labelValues(name, List.of()));
            }
            for (List<LabelMatcher> set : sets) {
              values.addAll(labelCall(() -> q.labelValues(name, set)));
            }
          }
          return null;
        });
    writeStrings(ctx, new ArrayList<>(values), limit);
  }

  private static List<String> labelCall(Supplier<List<String>> call) {
    try {
      return call.get();
    } catch (IllegalArgumentException e) {
      throw ApiError.badData(e.getMessage());
    }
  }

  private static void writeStrings(Context ctx, List<String> all, int limit) {
    List<String> warnings = new ArrayList<>();
    List<String> out = all;
    if (limit > 0 && all.size() > limit) {
      out = all.subList(0, limit);
      warnings.add("results truncated due to limit");
    }
    List<String> result = out;
    Json.success(
        ctx,
        warnings,
        List.of(),
        g -> {
          g.writeStartArray();
          for (String s : result) {
            g.writeString(s);
          }
          g.writeEndArray();
        });
  }
}
