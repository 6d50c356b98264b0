package dev.vigil.server.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.vigil.model.Exemplar;
import dev.vigil.model.ExemplarQueryable;
import dev.vigil.model.LabelMatcher;
import dev.vigil.model.SeriesExemplars;
import dev.vigil.promql.Engine;
import dev.vigil.promql.InvalidQueryException;
import dev.vigil.promql.PromqlException;
import dev.vigil.promql.QueryLimitException;
import dev.vigil.promql.QueryOptions;
import dev.vigil.promql.QueryResult;
import dev.vigil.promql.Sample;
import dev.vigil.promql.SourceResolution;
import dev.vigil.promql.parser.ParseException;
import dev.vigil.promql.parser.Parser;
import dev.vigil.promql.parser.Printer;
import dev.vigil.server.config.ServerConfig;
import dev.vigil.server.http.ApiError;
import dev.vigil.server.http.Json;
import dev.vigil.server.http.Params;
import dev.vigil.server.http.Role;
import dev.vigil.server.http.Router;
import dev.vigil.server.http.Routes;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

/**
 * The PromQL endpoints: {@code /api/v1/query}, {@code /api/v1/query_range}, {@code
 * /api/v1/format_query}, {@code /api/v1/parse_query} (Prometheus 3's syntax tree JSON), {@code
 * /api/v1/query_exemplars}; GET or form POST, Prometheus' JSON and error shapes (parse errors 400
 * {@code bad_data}, evaluation errors 422 {@code execution}, timeouts 503 {@code timeout}).
 *
 * <p>{@code query_exemplars} answers as Prometheus with exemplar storage on: the selectors of the
 * query pick the series (a query without selectors answers 204 No Content), each with its exemplars
 * in {@code [start, end]}; without an exemplar store it answers {@code []}.
 */
public final class QueryApi implements Routes {
  private final Supplier<Engine> engine;
  private final Supplier<? extends ExemplarQueryable> exemplars;
  private final ServerConfig.Limits limits;

  /**
   * Without exemplar storage: {@code query_exemplars} validates its parameters and answers {@code
   * []}.
   *
   * @param engine the engine; may throw {@link ApiError} unavailable while storage opens
   */
  public QueryApi(Supplier<Engine> engine, ServerConfig.Limits limits) {
    this(engine, null, limits);
  }

  /**
   * @param engine the engine; may throw {@link ApiError} unavailable while storage opens
   * @param exemplars the exemplar store, or null for none; may throw like {@code engine}
   */
  public QueryApi(
      Supplier<Engine> engine,
      Supplier<? extends ExemplarQueryable> exemplars,
      ServerConfig.Limits limits) {
    this.engine = engine;
    this.exemplars = exemplars;
    this.limits = limits;
  }

  @Override
  public void register(Router router) {
    // Parsing, evaluation and rendering run on the query threads (Router#onQueryPool).
    Router r = router.onQueryPool();
    r.getAndPost("/api/v1/query", Role.READ, this::query);
    r.getAndPost("/api/v1/query_range", Role.READ, this::queryRange);
    r.getAndPost("/api/v1/format_query", Role.READ, this::formatQuery);
    r.getAndPost("/api/v1/parse_query", Role.READ, this::parseQuery);
    r.getAndPost("/api/v1/query_exemplars", Role.READ, this::exemplars);
  }

  private static String queryParam(Context ctx) {
    String q = Params.get(ctx, "query");
    if (q == null || q.isEmpty()) {
      throw ApiError.badData("invalid parameter \"query\": query must not be empty");
    }
    return q;
  }

  /**
   * The request's {@code timeout} and {@code max_source_resolution} (Thanos' parameter; {@code
   * raw}, {@code 5m}, {@code 1h} or {@code auto}). Absent, the server's limits and raw data apply.
   * The engine stops at the shorter timeout and answers 503 {@code timeout}; zero or a negative
   * timeout has expired already, as in Prometheus.
   */
  private static QueryOptions options(Context ctx) {
    SourceResolution maxSource = null;
    String r = Params.get(ctx, "max_source_resolution");
    if (r != null && !r.isEmpty()) {
      try {
        maxSource = SourceResolution.parse(r);
      } catch (IllegalArgumentException ex) {
        throw ApiError.badData("invalid parameter \"max_source_resolution\": " + ex.getMessage());
      }
    }
    return new QueryOptions(maxSource, Params.preciseDuration(ctx, "timeout"));
  }

  private void query(Context ctx) {
    String q = queryParam(ctx);
    long t = Params.time(ctx, "time", System.currentTimeMillis());
    QueryOptions options = options(ctx);
    Engine e = engine.get();
    QueryResult res = run(() -> e.instantQuery(q, t, options));
    Json.success(ctx, res.warnings(), res.infos(), g -> writeResult(g, res));
  }

  private void queryRange(Context ctx) {
    String q = queryParam(ctx);
    long start = requiredTime(ctx, "start");
    long end = requiredTime(ctx, "end");
    if (end < start) {
      throw ApiError.badData("end timestamp must not be before start time");
    }
    String stepText = Params.get(ctx, "step");
    if (stepText == null || stepText.isEmpty()) {
      throw ApiError.badData("invalid parameter \"step\": cannot parse \"\" to a valid duration");
    }
    long step = Params.duration(ctx, "step", 0);
    if (step <= 0) {
      throw ApiError.badData(
          "zero or negative query resolution step widths are not accepted. Try a positive"
              + " integer");
    }
    if ((end - start) / step > limits.maxPoints()) {
      throw ApiError.badData(
          String.format(
              "exceeded maximum resolution of %,d points per timeseries. Try decreasing the query"
                  + " resolution (?step=XX)",
              limits.maxPoints()));
    }
    QueryOptions options = options(ctx);
    Engine e = engine.get();
    QueryResult res = run(() -> e.rangeQuery(q, start, end, step, options));
    Json.success(ctx, res.warnings(), res.infos(), g -> writeResult(g, res));
  }

  private static long requiredTime(Context ctx, String name) {
    String s = Params.get(ctx, name);
    if (s == null || s.isEmpty()) {
      throw ApiError.badData(
          "invalid parameter \"" + name + "\": cannot parse \"\" to a valid timestamp");
    }
    return Params.parseTime(name, s);
  }

  /** Runs a query, turning engine exceptions into Prometheus' error types. */
  static QueryResult run(Supplier<QueryResult> q) {
    try {
      return q.get();
    } catch (ParseException e) {
      throw ApiError.badData("invalid parameter \"query\": " + e.getMessage());
    } catch (QueryLimitException e) {
      throw switch (e.kind()) {
        case TIMEOUT -> new ApiError(ApiError.Type.TIMEOUT, e.getMessage());
        case CONCURRENCY -> new ApiError(ApiError.Type.UNAVAILABLE, e.getMessage());
        case SAMPLES -> new ApiError(ApiError.Type.EXECUTION, e.getMessage());
        case CANCELED -> new ApiError(ApiError.Type.CANCELED, e.getMessage());
      };
    } catch (InvalidQueryException e) {
      throw ApiError.badData(e.getMessage());
    } catch (PromqlException e) {
      throw new ApiError(ApiError.Type.EXECUTION, e.getMessage());
    } catch (IllegalArgumentException e) {
      throw ApiError.badData("invalid parameter \"query\": " + e.getMessage());
    }
  }

  /** Writes {@code {"resultType":…,"result":…}}. */
  static void writeResult(JsonGenerator g, QueryResult res) throws IOException {
    g.writeStartObject();
    g.writeStringField("resultType", res.type().apiName());
    g.writeFieldName("result");
    switch (res.type()) {
      case SCALAR -> Json.writeSample(g, res.timestamp(), res.scalar());
      case STRING -> {
        g.writeStartArray();
        g.writeNumber(Json.formatTimestamp(res.timestamp()));
        g.writeString(res.string());
        g.writeEndArray();
      }
      case VECTOR -> {
        Json.SampleWriter w = new Json.SampleWriter();
        g.writeStartArray();
        for (Sample s : res.vector()) {
          g.writeStartObject();
          g.writeFieldName("metric");
          TargetsApi.writeLabels(g, s.labels());
          g.writeFieldName("value");
          w.write(g, s.timestamp(), s.value());
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      case MATRIX -> {
        Json.SampleWriter w = new Json.SampleWriter();
        g.writeStartArray();
        for (QueryResult.Series s : res.matrix()) {
          g.writeStartObject();
          g.writeFieldName("metric");
          TargetsApi.writeLabels(g, s.labels());
          g.writeFieldName("values");
          w.writeSeries(g, s.timestamps(), s.values(), s.size());
          g.writeEndObject();
        }
        g.writeEndArray();
      }
    }
    g.writeEndObject();
  }

  private void formatQuery(Context ctx) {
    String q = queryParam(ctx);
    String out;
    try {
      out = Printer.print(Parser.parse(q));
    } catch (ParseException e) {
      throw ApiError.badData("invalid parameter \"query\": " + e.getMessage());
    }
    Json.success(ctx, g -> g.writeString(out));
  }

  private void parseQuery(Context ctx) {
    String q = queryParam(ctx);
    dev.vigil.promql.parser.Expr e;
    try {
      e = Parser.parse(q);
    } catch (ParseException ex) {
      throw ApiError.badData("invalid parameter \"query\": " + ex.getMessage());
    }
    // Buffered: the tree is walked while it is written, so nothing is sent until the walk is done.
    Json.successBuffered(ctx, g -> AstJson.write(g, e));
  }

  private void exemplars(Context ctx) {
    long start = Params.time(ctx, "start", Params.MIN_TIME);
    long end = Params.time(ctx, "end", Params.MAX_TIME);
    if (end < start) {
      throw ApiError.badData("end timestamp must not be before start timestamp");
    }
    String q = queryParam(ctx);
    List<List<LabelMatcher>> selectors;
    try {
      selectors = Selectors.extract(Parser.parse(q));
    } catch (ParseException e) {
      throw ApiError.badData("invalid parameter \"query\": " + e.getMessage());
    }
    if (selectors.isEmpty()) {
      ctx.status(204); // as Prometheus: no selector, no data, no body
      return;
    }
    List<SeriesExemplars> res =
        exemplars == null ? List.of() : exemplars.get().selectExemplars(start, end, selectors);
    Json.success(ctx, g -> writeExemplars(g, res));
  }

  /** {@code [{"seriesLabels":{…},"exemplars":[{"labels":{…},"value":"…","timestamp":…}]}]}. */
  static void writeExemplars(JsonGenerator g, List<SeriesExemplars> res) throws IOException {
    g.writeStartArray();
    for (SeriesExemplars s : res) {
      g.writeStartObject();
      g.writeFieldName("seriesLabels");
      TargetsApi.writeLabels(g, s.seriesLabels());
      g.writeArrayFieldStart("exemplars");
      for (Exemplar e : s.exemplars()) {
        g.writeStartObject();
        g.writeFieldName("labels");
        TargetsApi.writeLabels(g, e.labels());
        g.writeStringField("value", Json.formatValue(e.value()));
        g.writeFieldName("timestamp");
        g.writeNumber(Json.formatTimestamp(e.timestampMs()));
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndArray();
  }
}
