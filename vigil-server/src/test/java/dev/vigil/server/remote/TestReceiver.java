package dev.vigil.server.remote;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.ingest.wire.ProtoReader;
import dev.vigil.ingest.wire.Snappy;
import dev.vigil.model.Labels;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A remote write receiver for tests: decodes each request with Vigil's own decoder and keeps every
 * sample by series; answers the statuses queued with {@link #answer} first, then 204.
 */
final class TestReceiver implements AutoCloseable {
  final Map<Labels, ConcurrentSkipListMap<Long, Double>> samples = new ConcurrentHashMap<>();
  final ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
  final List<Map<String, String>> headers =
      java.util.Collections.synchronizedList(new ArrayList<>());
  final AtomicInteger requests = new AtomicInteger();

  /** Exemplars received: "trace_id=value@time". */
  final java.util.Set<String> exemplars = ConcurrentHashMap.newKeySet();

  volatile String retryAfter;
  private final HttpServer server;

  TestReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/api/v1/write",
        ex -> {
          byte[] body = ex.getRequestBody().readAllBytes();
          requests.incrementAndGet();
          Map<String, String> h = new java.util.TreeMap<>();
          ex.getRequestHeaders().forEach((k, v) -> h.put(k.toLowerCase(), v.get(0)));
          headers.add(h);
          Integer status = statuses.poll();
          if (status != null && status != 204) {
            if (retryAfter != null) {
              ex.getResponseHeaders().set("Retry-After", retryAfter);
            }
            byte[] msg = ("refused with " + status).getBytes();
            ex.sendResponseHeaders(status, msg.length);
            ex.getResponseBody().write(msg);
            ex.close();
            return;
          }
          decode(Snappy.decompress(body, 64 << 20));
          ex.sendResponseHeaders(204, -1);
          ex.close();
        });
    server.start();
  }

  /** WriteRequest{timeseries=1: TimeSeries{labels=1: Label{name=1, value=2}, samples=2}}. */
  private void decode(byte[] proto) {
    ProtoReader r = new ProtoReader(proto);
    while (r.hasMore()) {
      int tag = r.readTag();
      if (ProtoReader.field(tag) != 1) {
        r.skip(tag);
        continue;
      }
      int saved = r.enter();
      List<String> nv = new ArrayList<>();
      List<long[]> ts = new ArrayList<>();
      List<Double> vs = new ArrayList<>();
      while (r.hasMore()) {
        int t = r.readTag();
        int f = ProtoReader.field(t);
        if (f == 3) {
          exemplar(r);
        } else if (f == 1 || f == 2) {
          int s2 = r.enter();
          String n = "";
          String v = "";
          long time = 0;
          double value = 0;
          while (r.hasMore()) {
            int t2 = r.readTag();
            switch (ProtoReader.field(t2) * 10 + f) {
              case 11 -> n = r.readString();
              case 21 -> v = r.readString();
              case 12 -> value = r.readDouble();
              case 22 -> time = r.readVarint64();
              default -> r.skip(t2);
            }
          }
          r.leave(s2);
          if (f == 1) {
            nv.add(n);
            nv.add(v);
          } else {
            ts.add(new long[] {time});
            vs.add(value);
          }
        } else {
          r.skip(t);
        }
      }
      r.leave(saved);
      var m =
          samples.computeIfAbsent(
              Labels.of(nv.toArray(new String[0])), k -> new ConcurrentSkipListMap<>());
      for (int i = 0; i < ts.size(); i++) {
        m.put(ts.get(i)[0], vs.get(i));
      }
    }
  }

  /** Exemplar{labels=1: Label, value=2, timestamp=3}. */
  private void exemplar(ProtoReader r) {
    int saved = r.enter();
    StringBuilder labels = new StringBuilder();
    double value = 0;
    long time = 0;
    while (r.hasMore()) {
      int t = r.readTag();
      switch (ProtoReader.field(t)) {
        case 1 -> {
          int s2 = r.enter();
          while (r.hasMore()) {
            int t2 = r.readTag();
            if (ProtoReader.field(t2) == 1) {
              labels.append(r.readString()).append('=');
            } else if (ProtoReader.field(t2) == 2) {
              labels.append(r.readString());
            } else {
              r.skip(t2);
            }
          }
          r.leave(s2);
        }
        case 2 -> value = r.readDouble();
        case 3 -> time = r.readVarint64();
        default -> r.skip(t);
      }
    }
    r.leave(saved);
    exemplars.add(labels + "=" + value + "@" + time);
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/write";
  }

  int total() {
    return samples.values().stream().mapToInt(Map::size).sum();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
