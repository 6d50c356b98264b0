package dev.vigil.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.micrometer.VigilMeterRegistry;
import dev.vigil.promql.QueryResult;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.CollectConfig;
import dev.vigil.server.config.VigilConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/micrometer.md's example: Micrometer meters on {@code Vigil.start}'s registry. */
class MicrometerWithVigilTest {
  @Test
  void vigilStart_servesMicrometerMetersAtMetricsAndStoresThem(@TempDir Path dir) throws Exception {
    VigilConfig config =
        VigilConfig.defaults()
            .withListen("127.0.0.1", 0)
            .withStoragePath(dir.resolve("data"))
            .withCollect(new CollectConfig(Duration.ofSeconds(1), false, false, false, true, ""));
    try (Vigil vigil = Vigil.start(config);
        VigilMeterRegistry meters = new VigilMeterRegistry(vigil.registry())) {
      Counter.builder("jobs.done").tag("queue", "mail").register(meters).increment();
      Timer.builder("jobs.latency").register(meters).record(Duration.ofMillis(250));

      HttpResponse<String> metrics =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(vigil.url() + "/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body())
          .contains("jobs_done_total{queue=\"mail\"} 1\n")
          .contains("# TYPE jobs_latency_seconds summary")
          .contains("jobs_latency_seconds_sum 0.25\n");

      // Collected into Vigil's store by the self-collection (every second): bounded polling.
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      double stored = 0;
      while (stored != 1 && System.nanoTime() < deadline) {
        QueryResult r =
            vigil
                .engine()
                .instantQuery("jobs_done_total{queue=\"mail\"}", System.currentTimeMillis());
        stored = r.vector().isEmpty() ? 0 : r.vector().get(0).value();
        if (stored != 1) {
          Thread.sleep(200);
        }
      }
      assertThat(stored).as("jobs_done_total stored by Vigil").isEqualTo(1);
    }
  }

  @Test
  void micrometersJvmBinders_doNotBreakMetricsBesideVigilsJvmCollector(@TempDir Path dir)
      throws Exception {
    VigilConfig config =
        VigilConfig.defaults()
            .withListen("127.0.0.1", 0)
            .withStoragePath(dir.resolve("data"))
            .withCollect(new CollectConfig(Duration.ofSeconds(1), false, true, false, true, ""));
    try (Vigil vigil = Vigil.start(config);
        VigilMeterRegistry meters = new VigilMeterRegistry(vigil.registry())) {
      new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(meters);
      new io.micrometer.core.instrument.binder.system.UptimeMetrics().bindTo(meters);
      new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(meters);
      Counter.builder("jobs.done").register(meters).increment();

      HttpResponse<String> metrics =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(vigil.url() + "/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.statusCode()).as(metrics.body()).isEqualTo(200);
      assertThat(metrics.body()).contains("jobs_done_total 1\n");
    }
  }
}
