package dev.vigil.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Appendable;
import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.server.ReadyGate;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.CollectConfig;
import dev.vigil.server.config.ServerConfig;
import dev.vigil.server.config.VigilConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /-/ready} of a demo Vigil waits for its backfill, through a real HTTP client. */
class DemoReadinessTest {
  private final HttpClient client = HttpClient.newHttpClient();

  private HttpResponse<String> get(Vigil v, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(v.url() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void ready_is503NamingTheBackfill_untilTheBackfillEnds_healthyIs200Throughout(@TempDir Path dir)
      throws Exception {
    ServerConfig d = ServerConfig.defaults();
    VigilConfig c =
        VigilConfig.defaults()
            .withServer(
                new ServerConfig(
                    "127.0.0.1", 0, List.of(), List.of(), List.of(), false, d.tls(), d.limits()))
            .withStoragePath(dir.resolve("data"))
            .withCollect(
                new CollectConfig(Duration.ofSeconds(15), false, false, false, false, "app_"));
    long now = System.currentTimeMillis();
    Vigil.Builder b = Vigil.builder(c).recorders(DemoApplications.recorders("app", () -> now));
    ReadyGate backfilled = b.holdReady("demo backfill");
    try (Vigil vigil = b.start()) {
      // The backfill's first commit waits for the latch: the test holds it mid-way.
      CountDownLatch writing = new CountDownLatch(1);
      CountDownLatch proceed = new CountDownLatch(1);
      Appendable store = vigil.storage();
      Appendable held =
          () -> {
            Appender a = store.appender();
            return new Appender() {
              @Override
              public long append(long ref, Labels l, long t, double v) {
                return a.append(ref, l, t, v);
              }

              @Override
              public void commit() {
                writing.countDown();
                try {
                  proceed.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                a.commit();
              }

              @Override
              public void rollback() {
                a.rollback();
              }
            };
          };
      DemoApplications demo =
          new DemoApplications(vigil.recorders(), vigil.registry(), 42, () -> now);
      CompletableFuture<Long> backfill =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  long n = demo.backfill(held, 0.25, Vigil.SELF_JOB, "demo-backfill");
                  backfilled.open();
                  return n;
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      // Bounded, so a backfill that fails before its first commit fails the test, not hangs it.
      assertThat(writing.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

      HttpResponse<String> ready = get(vigil, "/-/ready");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).isEqualTo("Service Unavailable: waiting for demo backfill\n");
      assertThat(vigil.ready()).isFalse();
      assertThat(get(vigil, "/-/healthy").statusCode()).isEqualTo(200);
      // The store and the query API work meanwhile (the backfill needs the store).
      assertThat(get(vigil, "/api/v1/query?query=1").statusCode()).isEqualTo(200);

      proceed.countDown();
      assertThat(backfill.join()).isGreaterThan(1_000);
      ready = get(vigil, "/-/ready");
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.body()).isEqualTo("Vigil is Ready.\n");
      assertThat(vigil.ready()).isTrue();
    }
  }
}
