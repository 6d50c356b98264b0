package dev.vigil.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.metrics.MetricRegistry;
import dev.vigil.server.api.LifecycleRoutes;
import dev.vigil.server.api.ServerState;
import dev.vigil.server.config.ServerConfig;
import dev.vigil.server.config.VigilConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The query threads: bounded, refusing with 503 and Retry-After, never in health's way. */
class QueryPoolTest {
  private final HttpClient client = HttpClient.newHttpClient();
  private final CountDownLatch started = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private VigilHttpServer server;
  private QueryPool pool;
  // Callers on threads of their own: the common pool may have a single worker on 2 cores.
  private final ExecutorService callers = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    release.countDown();
    callers.shutdownNow();
    if (server != null) {
      server.close();
    }
    if (pool != null) {
      pool.close();
    }
  }

  private Object block() throws InterruptedException {
    started.countDown();
    assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
    return "done";
  }

  @Test
  void call_whenThreadsAndQueueAreFull_isRejectedAtOnce_andCounted() throws Exception {
    pool = new QueryPool(1, 0, Duration.ofSeconds(30));
    CompletableFuture<Object> first =
        CompletableFuture.supplyAsync(() -> pool.call(this::block), callers);
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(pool.running()).isEqualTo(1);
    assertThatThrownBy(() -> pool.call(() -> "second"))
        .isInstanceOf(QueryPool.Rejected.class)
        .hasMessageContaining("query_max_concurrency");
    assertThat(pool.rejected()).isEqualTo(1);
    release.countDown();
    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("done");
    assertThat(pool.call(() -> "third")).isEqualTo("third");
  }

  @Test
  void call_oneAfterAnother_withNoQueue_isNeverRefused() {
    // A caller that saw its result runs the next query at once: the slot is free before the result
    // is. With a SynchronousQueue hand-off, the next query came before the thread was back at the
    // queue and was refused with nothing running (QueryPoolTest failed so on a fresh clone).
    pool = new QueryPool(1, 0, Duration.ofSeconds(30));
    for (int i = 0; i < 20_000; i++) {
      int n = i;
      assertThat(pool.call(() -> n)).isEqualTo(n);
    }
    assertThat(pool.rejected()).isZero();
  }

  @Test
  void call_rethrowsTheTasksOwnException() {
    pool = new QueryPool(1, 1, Duration.ofSeconds(30));
    assertThatThrownBy(
            () ->
                pool.call(
                    () -> {
                      throw ApiError.badData("bad");
                    }))
        .isInstanceOf(ApiError.class)
        .hasMessage("bad");
    assertThatThrownBy(
            () ->
                pool.run(
                    () -> {
                      throw new IOException("io");
                    }))
        .isInstanceOf(QueryPool.WrappedException.class)
        .hasCauseInstanceOf(IOException.class);
  }

  @Test
  void call_queuedLongerThanMaxWait_failsWithTimeout_andIsDropped() throws Exception {
    pool = new QueryPool(1, 1, Duration.ofMillis(200));
    CompletableFuture<Object> first =
        CompletableFuture.supplyAsync(() -> pool.call(this::block), callers);
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> pool.call(() -> "queued"))
        .isInstanceOf(ApiError.class)
        .satisfies(e -> assertThat(((ApiError) e).type()).isEqualTo(ApiError.Type.TIMEOUT));
    assertThat(pool.queued()).isZero();
    release.countDown();
    first.get(10, TimeUnit.SECONDS);
  }

  @Test
  void metrics_reportRunningQueuedAndRejected() throws Exception {
    pool = new QueryPool(1, 1, Duration.ofSeconds(30));
    MetricRegistry registry = new MetricRegistry();
    pool.register(registry);
    CompletableFuture.supplyAsync(() -> pool.call(this::block), callers);
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Object> queued =
        CompletableFuture.supplyAsync(() -> pool.call(() -> "q"), callers);
    while (pool.queued() == 0) {
      Thread.onSpinWait(); // the second call is on its way into the queue
    }
    assertThatThrownBy(() -> pool.call(() -> "x")).isInstanceOf(QueryPool.Rejected.class);
    String text =
        new String(
            dev.vigil.server.api.MetricsRoutes.openMetrics(registry),
            java.nio.charset.StandardCharsets.UTF_8);
    assertThat(text)
        .contains("vigil_query_pool_running 1")
        .contains("vigil_query_pool_queued 1")
        .contains("vigil_query_pool_rejected_total 1")
        .contains("vigil_query_pool_threads 1");
    release.countDown();
    assertThat(queued.get(10, TimeUnit.SECONDS)).isEqualTo("q");
  }

  @Test
  void http_fullPool_answers503WithRetryAfter_whileHealthAnswers() throws Exception {
    ServerConfig d = ServerConfig.defaults();
    var l = d.limits();
    ServerConfig sc =
        new ServerConfig(
            "127.0.0.1",
            0,
            List.of(),
            List.of(),
            List.of(),
            false,
            d.tls(),
            new ServerConfig.Limits(
                l.maxBodyBytes(),
                l.maxHeaderBytes(),
                l.queryTimeout(),
                l.queryMaxSamples(),
                1,
                l.maxPoints(),
                0));
    ServerState state = new ServerState(VigilConfig.defaults().withServer(sc), Map.of());
    Routes slow =
        r -> r.onQueryPool().get("/slow", Role.READ, ctx -> ctx.result(String.valueOf(block())));
    server = VigilHttpServer.start(sc, List.of(new LifecycleRoutes(state, () -> null), slow));
    CompletableFuture<HttpResponse<String>> first =
        client.sendAsync(get("/slow"), HttpResponse.BodyHandlers.ofString());
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    HttpResponse<String> refused = client.send(get("/slow"), HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Retry-After"))
        .contains(Integer.toString(QueryPool.RETRY_AFTER_SECONDS));
    JsonNode j = Json.MAPPER.readTree(refused.body());
    assertThat(j.get("status").asText()).isEqualTo("error");
    assertThat(j.get("errorType").asText()).isEqualTo("unavailable");
    assertThat(j.get("error").asText()).contains("too many queries");

    assertThat(client.send(get("/-/healthy"), HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(200);
    release.countDown();
    assertThat(first.get(10, TimeUnit.SECONDS).body()).isEqualTo("done");
  }

  private HttpRequest get(String path) {
    return HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).build();
  }
}
