package dev.vigil.server.api;

import dev.vigil.server.http.Json;
import dev.vigil.server.http.Role;
import dev.vigil.server.http.Router;
import dev.vigil.server.http.Routes;
import dev.vigil.server.remote.RemoteWriteManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/status/remote_write}: each remote write queue's URL, shards, samples pending,
 * sent, failed, retried and dropped, newest timestamps read and sent, and last error (Vigil's own;
 * Prometheus has no such endpoint). The dashboard's Targets page shows it.
 */
public final class RemoteWriteApi implements Routes {
  private final Supplier<List<RemoteWriteManager.QueueStatus>> queues;

  public RemoteWriteApi(Supplier<List<RemoteWriteManager.QueueStatus>> queues) {
    this.queues = queues;
  }

  @Override
  public void register(Router r) {
    r.get(
        "/api/v1/status/remote_write",
        Role.READ,
        ctx -> {
          List<Map<String, Object>> out = new ArrayList<>();
          for (RemoteWriteManager.QueueStatus q : queues.get()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", q.name());
            m.put("url", q.url());
            m.put("protobufMessage", q.protobufMessage());
            m.put("shards", q.shards());
            m.put("samplesPending", q.samplesPending());
            m.put("samplesSent", q.samplesSent());
            m.put("samplesFailed", q.samplesFailed());
            m.put("samplesRetried", q.samplesRetried());
            m.put("samplesDropped", q.samplesDropped());
            m.put("highestSentTimestamp", q.highestSentSeconds());
            m.put("highestReadTimestamp", q.highestReadSeconds());
            m.put("lastError", q.lastError() == null ? "" : q.lastError());
            out.add(m);
          }
          Json.successObject(ctx, Map.of("queues", out));
        });
  }
}
