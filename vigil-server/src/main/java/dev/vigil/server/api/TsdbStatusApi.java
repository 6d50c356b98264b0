package dev.vigil.server.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.vigil.model.Labels;
import dev.vigil.server.http.Json;
import dev.vigil.server.http.Params;
import dev.vigil.server.http.Role;
import dev.vigil.server.http.Router;
import dev.vigil.server.http.Routes;
import dev.vigil.tsdb.HeadStats;
import dev.vigil.tsdb.Tsdb;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /api/v1/status/tsdb}: head statistics in Prometheus' shape: {@code headStats} ({@code
 * numSeries}, {@code numLabelPairs}, {@code chunkCount}, {@code minTime}, {@code maxTime} of the
 * head, the in-memory part of the store) and the top {@code limit} (default 10) of series count by
 * metric name, label value count by label name, memory by label name (the length of each value
 * times the series carrying it) and series count by label pair, all over the head's series.
 */
public final class TsdbStatusApi implements Routes {
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
    int lim = limit == 0 ? 10 : limit;
    HeadStats h = tsdb.get().headStats();
    Map<String, Long> byName = new HashMap<>();
    Map<String, Long> valueCounts = new HashMap<>();
    Map<String, Long> bytesByLabel = new HashMap<>();
    Map<String, Long> byPair = new HashMap<>();
    h.seriesByLabelPair()
        .forEach(
            (name, values) -> {
              valueCounts.put(name, (long) values.size());
              long bytes = 0;
              for (Map.Entry<String, Long> v : values.entrySet()) {
                bytes += v.getKey().length() * v.getValue();
                byPair.put(name + "=" + v.getKey(), v.getValue());
              }
              bytesByLabel.put(name, bytes);
              if (name.equals(Labels.METRIC_NAME)) {
                byName.putAll(values);
              }
            });
    Json.success(
        ctx,
        g -> {
          g.writeStartObject();
          g.writeObjectFieldStart("headStats");
          g.writeNumberField("numSeries", h.numSeries());
          g.writeNumberField("numLabelPairs", h.numLabelPairs());
          g.writeNumberField("chunkCount", h.chunkCount());
          g.writeNumberField("minTime", h.minTime());
          g.writeNumberField("maxTime", h.maxTime());
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
