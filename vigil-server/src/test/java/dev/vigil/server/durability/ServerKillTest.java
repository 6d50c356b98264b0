package dev.vigil.server.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.ingest.remote.RemoteWriteEncoder;
import dev.vigil.model.Labels;
import dev.vigil.server.http.Json;
import dev.vigil.server.testing.ChildVigil;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real server in a child JVM ({@link ChildVigil}) takes remote-write batches from writer
 * threads (three series) in this test and is killed with SIGKILL while they are in flight, five
 * times; after each restart every batch it answered 2xx is read back through {@code /api/v1/query},
 * sample by sample and by value, and nothing appears that was never sent.
 */
class ServerKillTest {
  private static final int KILLS = 5;
  private static final int WRITERS = 3;
  private static final int SAMPLES_PER_BATCH = 50;
  private static final long STEP_MS = 100;

  @TempDir Path dir;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** Per writer: time → value of every sample acknowledged, and of every sample sent. */
  private final List<Map<Long, Double>> acked = new ArrayList<>();

  private final List<Map<Long, Double>> sent = new ArrayList<>();

  private static Labels series(int w) {
    return Labels.of("__name__", "kill_test", "writer", Integer.toString(w));
  }

  /** Starts the server on the store in a child JVM; returns once it is ready. */
  private ChildVigil startServer() throws Exception {
    ChildVigil child = ChildVigil.start(null, null, dir.resolve("data"));
    child.awaitReady(Duration.ofSeconds(40));
    return child;
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A writer: sends batches of the next samples of its series until told to stop. */
  private void writer(
      int w, ChildVigil server, long t0, long[] next, AtomicBoolean stop, CountDownLatch acks) {
    while (!stop.get()) {
      long[] ts = new long[SAMPLES_PER_BATCH];
      double[] vs = new double[SAMPLES_PER_BATCH];
      for (int k = 0; k < SAMPLES_PER_BATCH; k++) {
        long i = next[w]++;
        ts[k] = t0 + (i + 1) * STEP_MS;
        vs[k] = w * 1e6 + i + 0.25; // exact in binary and in decimal
        sent.get(w).put(ts[k], vs[k]);
      }
      int status;
      try {
        status =
            server
                .remoteWrite(List.of(new RemoteWriteEncoder.Series(series(w), ts, vs)))
                .statusCode();
      } catch (IOException e) {
        return; // the server died under this request: not acknowledged
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (status / 100 == 2) {
        for (int k = 0; k < SAMPLES_PER_BATCH; k++) {
          acked.get(w).put(ts[k], vs[k]);
        }
        acks.countDown();
      }
    }
  }

  /** Reads every sample of each writer's series and checks the acknowledged ones by value. */
  private void verify(String base, long t0, int round) throws Exception {
    double at = (t0 + 3_600_000) / 1000.0;
    String q = URLEncoder.encode("kill_test[1h]", StandardCharsets.UTF_8);
    HttpResponse<String> r = get(base + "/api/v1/query?query=" + q + "&time=" + at);
    assertThat(r.statusCode()).as("query after restart %d: %s", round, r.body()).isEqualTo(200);
    JsonNode result = Json.MAPPER.readTree(r.body()).path("data").path("result");
    Map<Integer, Map<Long, Double>> got = new ConcurrentHashMap<>();
    for (JsonNode s : result) {
      int w = Integer.parseInt(s.path("metric").path("writer").asText());
      Map<Long, Double> m = new ConcurrentSkipListMap<>();
      for (JsonNode p : s.path("values")) {
        m.put(Math.round(p.get(0).asDouble() * 1000), Double.parseDouble(p.get(1).asText()));
      }
      got.put(w, m);
    }
    for (int w = 0; w < WRITERS; w++) {
      Map<Long, Double> g = got.getOrDefault(w, Map.of());
      for (Map.Entry<Long, Double> e : acked.get(w).entrySet()) {
        assertThat(g.get(e.getKey()))
            .as("writer %d, acknowledged sample at %d, after kill %d", w, e.getKey(), round)
            .isEqualTo(e.getValue());
      }
      for (Map.Entry<Long, Double> e : g.entrySet()) {
        assertThat(sent.get(w).get(e.getKey()))
            .as("writer %d, stored sample at %d was sent with this value", w, e.getKey())
            .isEqualTo(e.getValue());
      }
    }
  }

  @Test
  void sigkillUnderRemoteWriteLoad_losesNoAcknowledgedSample() throws Exception {
    Random rnd = new Random(14);
    long t0 = (System.currentTimeMillis() - 3_600_000) / 1000 * 1000; // an hour ago, in the head
    long[] next = new long[WRITERS];
    for (int w = 0; w < WRITERS; w++) {
      acked.add(new ConcurrentSkipListMap<>());
      sent.add(new ConcurrentSkipListMap<>());
    }
    for (int round = 0; round <= KILLS; round++) {
      ChildVigil server = startServer();
      String base = server.url();
      try {
        if (round > 0) {
          verify(base, t0, round);
        }
        if (round == KILLS) {
          String metrics = get(base + "/metrics").body();
          assertThat(metrics).contains("vigil_tsdb_write_failures_total{reason=\"no_space\"} 0");
          break;
        }
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch acks = new CountDownLatch(20 + rnd.nextInt(80));
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
          int id = w;
          Thread t = new Thread(() -> writer(id, server, t0, next, stop, acks), "writer-" + w);
          t.start();
          writers.add(t);
        }
        assertThat(acks.await(30, TimeUnit.SECONDS))
            .as("writes acknowledged in round %d", round)
            .isTrue();
        server.kill(); // SIGKILL while the writers are sending
        stop.set(true);
        for (Thread t : writers) {
          t.join(15_000);
          assertThat(t.isAlive()).isFalse();
        }
      } finally {
        server.close();
      }
    }
    for (int w = 0; w < WRITERS; w++) {
      assertThat(acked.get(w)).as("writer %d had batches acknowledged", w).isNotEmpty();
    }
  }
}
