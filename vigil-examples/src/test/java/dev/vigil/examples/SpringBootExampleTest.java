package dev.vigil.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.examples.spring.SpringBootExample;
import dev.vigil.server.Vigil;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** The Spring Boot example, started for real: actuator and Vigil.start serve the same meters. */
class SpringBootExampleTest {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

  private static HttpResponse<String> get(String url) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void actuatorPrometheus_andVigilMetrics_serveTheApplicationsMeters(@TempDir Path dir)
      throws Exception {
    try (ConfigurableApplicationContext ctx =
        SpringApplication.run(
            SpringBootExample.class,
            "--server.port=0",
            "--server.address=127.0.0.1",
            "--management.endpoints.web.exposure.include=health,prometheus",
            "--vigil.port=0",
            "--vigil.storage-path=" + dir.resolve("data"))) {
      String app = "http://127.0.0.1:" + ctx.getEnvironment().getProperty("local.server.port");
      Vigil vigil = ctx.getBean(Vigil.class);
      ctx.getBean(MeterRegistry.class).counter("jobs.done", "queue", "mail").increment();

      assertThat(get(app + "/hello").body()).isEqualTo("hello");

      HttpResponse<String> actuator = get(app + "/actuator/prometheus");
      assertThat(actuator.statusCode()).isEqualTo(200);
      assertThat(actuator.headers().firstValue("Content-Type"))
          .get()
          .asString()
          .startsWith("text/plain");
      assertThat(actuator.body())
          .contains("jobs_done_total{queue=\"mail\"} 1\n")
          // Spring's own request timer, bound to VigilMeterRegistry by Spring Boot.
          .containsPattern("http_server_requests_seconds_count\\{[^\\n]*uri=\"/hello\"\\} 1\n");

      HttpResponse<String> metrics = get(vigil.url() + "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("jobs_done_total{queue=\"mail\"} 1\n");
    }
  }
}
