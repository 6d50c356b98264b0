package dev.vigil.server.api;

import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.model.Querier;
import dev.vigil.model.QueryCanceledException;
import dev.vigil.model.QueryDeadline;
import dev.vigil.model.Queryable;
import dev.vigil.model.SampleIterator;
import dev.vigil.model.SelectHints;
import dev.vigil.model.SeriesSet;
import dev.vigil.model.StaleMarker;
import dev.vigil.server.http.ApiError;
import dev.vigil.server.http.Role;
import dev.vigil.server.http.Router;
import dev.vigil.server.http.Routes;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * {@code /federate}: the newest sample (within the 5 minute lookback, not stale) of every series
 * matching any {@code match[]}, in Prometheus text format 0.0.4 with timestamps, grouped by metric
 * name with {@code # TYPE name untyped}, as Prometheus' federation endpoint. A central Prometheus
 * scrapes it with {@code honor_labels: true}. The {@code global.external_labels} are added to every
 * series that lacks the label, as Prometheus adds them (a series' own value wins).
 */
public final class FederateRoutes implements Routes {
  /** Prometheus' default lookback delta. */
  static final long LOOKBACK_MS = 5 * 60_000;

  private final Supplier<Queryable> storage;
  private final Duration timeout;
  private final Supplier<Map<String, String>> externalLabels;
  private final java.util.function.LongSupplier clock;

  /** Without external labels, at the system clock. */
  public FederateRoutes(Supplier<Queryable> storage, Duration timeout) {
    this(storage, timeout, Map::of, System::currentTimeMillis);
  }

  /**
   * @param timeout the server's query timeout: past it, selection stops with 503 timeout
   * @param externalLabels the {@code global.external_labels} in force (read per request, so a
   *     reload applies)
   * @param clock epoch milliseconds: the end of the lookback window
   */
  public FederateRoutes(
      Supplier<Queryable> storage,
      Duration timeout,
      Supplier<Map<String, String>> externalLabels,
      java.util.function.LongSupplier clock) {
    this.storage = storage;
    this.timeout = timeout;
    this.externalLabels = externalLabels;
    this.clock = clock;
  }

  @Override
  public void register(Router r) {
    r.onQueryPool().get("/federate", Role.READ, this::federate);
  }

  private void federate(Context ctx) {
    List<List<LabelMatcher>> sets = SeriesApi.matchers(ctx);
    if (sets.isEmpty()) {
      throw ApiError.badData("no match[] parameter provided");
    }
    long now = clock.getAsLong();
    long mint = now - LOOKBACK_MS;
    Map<String, String> external = externalLabels.get();
    TreeMap<String, TreeMap<Labels, long[]>> byName = new TreeMap<>();
    Map<Labels, Double> values = new java.util.HashMap<>();
    QueryDeadline deadline = QueryDeadline.after(timeout);
    try (QueryDeadline.Scope scope = deadline.enter();
        Querier q = storage.get().querier(mint, now)) {
      for (List<LabelMatcher> set : sets) {
        SeriesSet s;
        try {
          s = q.select(SelectHints.range(mint, now), set);
        } catch (IllegalArgumentException e) {
          throw ApiError.badData(e.getMessage());
        }
        while (s.next()) {
          deadline.checkEvery();
          Labels l = s.at().labels();
          if (values.containsKey(l)) {
            continue;
          }
          SampleIterator it = s.at().iterator();
          long t = Long.MIN_VALUE;
          double v = 0;
          while (it.next()) {
            t = it.timestamp();
            v = it.value();
          }
          if (t == Long.MIN_VALUE || StaleMarker.is(v) || l.metricName() == null) {
            continue;
          }
          values.put(l, v);
          byName.computeIfAbsent(l.metricName(), k -> new TreeMap<>()).put(l, new long[] {t});
        }
      }
      // An answer that overran its deadline is not given, as the query endpoints do.
      deadline.check();
    } catch (QueryCanceledException e) {
      throw new ApiError(
          e.isTimeout() ? ApiError.Type.TIMEOUT : ApiError.Type.CANCELED, e.getMessage());
    }
    StringBuilder sb = new StringBuilder(4096);
    for (var e : byName.entrySet()) {
      sb.append("# TYPE ").append(e.getKey()).append(" untyped\n");
      for (var se : e.getValue().entrySet()) {
        Labels l = se.getKey();
        sb.append(l.metricName()).append('{');
        TreeMap<String, String> out = new TreeMap<>(external);
        for (int i = 0; i < l.size(); i++) {
          if (!l.name(i).equals(Labels.METRIC_NAME)) {
            out.put(l.name(i), l.value(i)); // the series' own value wins
          }
        }
        boolean first = true;
        for (Map.Entry<String, String> lv : out.entrySet()) {
          if (!first) {
            sb.append(',');
          }
          first = false;
          sb.append(lv.getKey()).append("=\"");
          escape(sb, lv.getValue());
          sb.append('"');
        }
        sb.append("} ").append(formatValue(values.get(l))).append(' ').append(se.getValue()[0]);
        sb.append('\n');
      }
    }
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
        .result(sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static String formatValue(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    return dev.vigil.server.http.Json.formatValue(v);
  }

  private static void escape(StringBuilder sb, String v) {
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '"' -> sb.append("\\\"");
        case '\n' -> sb.append("\\n");
        default -> sb.append(c);
      }
    }
  }
}
