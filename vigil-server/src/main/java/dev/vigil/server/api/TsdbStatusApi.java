package dev.vigil.server.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.model.Querier;
import dev.vigil.model.SelectHints;
import dev.vigil.model.SeriesSet;
import dev.vigil.server.http.Json;
import dev.vigil.server.http.Params;
import dev.vigil.server.http.Role;
import dev.vigil.server.http.Router;
import dev.vigil.server.http.Routes;
import dev.vigil.tsdb.Tsdb;
import dev.vigil.tsdb.block.Block;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code /api/v1/status/tsdb}: head cardinality statistics in Prometheus' shape ({@code headStats},
 * and the top {@code limit} (default 10) of series count by metric name, label value count by label
 * name, memory by label name, series count by label pair), computed over the series of the last two
 * hours.
 */
public final class TsdbStatusApi implements Routes {
  /** The window standing for Prometheus' head block. */
  static final long HEAD_WINDOW_MS = 2 * 3_600_000L;

  private final Supplier<Tsdb> tsdb;

  public TsdbStatusApi(Supplier<Tsdb> tsdb) {
    this.tsdb = tsdb;
  }

  @Override
  public void register(Router r) {
    r.onQueryPool().get("/api/v1/status/tsdb", Role.READ, this::status);
  }

  private void status(Context ctx) {
    int limit = Params.limit(ctx, "limit");
    if (limit == 0) {
      limit = 10;
    }
    Tsdb db = tsdb.get();
    long now = System.currentTimeMillis();
    Map<String, Long> byName = new HashMap<>();
    Map<String, Set<String>> valuesByLabel = new HashMap<>();
    Map<String, Long> bytesByLabel = new HashMap<>();
    Map<String, Long> byPair = new HashMap<>();
    long series = 0;
    try (Querier q = db.querier(now - HEAD_WINDOW_MS, now)) {
      SeriesSet s =
          q.select(
              SelectHints.range(now - HEAD_WINDOW_MS, now),
              List.of(LabelMatcher.regex(Labels.METRIC_NAME, ".+")));
      while (s.next()) {
        Labels l = s.at().labels();
        series++;
        byName.merge(l.getOrEmpty(Labels.METRIC_NAME), 1L, Long::sum);
        for (int i = 0; i < l.size(); i++) {
          String n = l.name(i);
          String v = l.value(i);
          if (valuesByLabel.computeIfAbsent(n, k -> new HashSet<>()).add(v)) {
            bytesByLabel.merge(n, (long) v.length(), Long::sum);
          }
          byPair.merge(n + "=" + v, 1L, Long::sum);
        }
      }
    }
    Map<String, Long> valueCounts = new HashMap<>();
    valuesByLabel.forEach((k, v) -> valueCounts.put(k, (long) v.size()));
    long pairs = byPair.size();
    long minTime = now;
    for (Block b : db.blocks()) {
      minTime = Math.min(minTime, b.meta().minTime());
    }
    long headSeries = db.headSeries();
    long mt = minTime;
    int lim = limit;
    Json.success(
        ctx,
        g -> {
          g.writeStartObject();
          g.writeObjectFieldStart("headStats");
          g.writeNumberField("numSeries", headSeries);
          g.writeNumberField("numLabelPairs", pairs);
          g.writeNumberField("chunkCount", 0);
          g.writeNumberField("minTime", mt);
          g.writeNumberField("maxTime", now);
          g.writeEndObject();
          top(g, "seriesCountByMetricName", byName, lim);
          top(g, "labelValueCountByLabelName", valueCounts, lim);
          top(g, "memoryInBytesByLabelName", bytesByLabel, lim);
          top(g, "seriesCountByLabelValuePair", byPair, lim);
          g.writeEndObject();
        });
  }

  private static void top(JsonGenerator g, String field, Map<String, Long> m, int limit)
      throws IOException {
    List<Map.Entry<String, Long>> list = new ArrayList<>(m.entrySet());
    list.sort(
        Map.Entry.<String, Long>comparingByValue()
            .reversed()
            .thenComparing(Map.Entry.comparingByKey()));
    g.writeArrayFieldStart(field);
    for (int i = 0; i < Math.min(limit, list.size()); i++) {
      g.writeStartObject();
      g.writeStringField("name", list.get(i).getKey());
      g.writeNumberField("value", list.get(i).getValue());
      g.writeEndObject();
    }
    g.writeEndArray();
  }
}
