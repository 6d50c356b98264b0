package dev.vigil.collectors.http;

import static dev.vigil.collectors.Snapshots.histogram;
import static dev.vigil.collectors.Snapshots.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.collectors.recorders.Recorders;
import dev.vigil.metrics.model.MetricSnapshot;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A real JDK HttpServer on port 0 and a real HTTP client. */
class HttpMetricsFilterTest {
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void requests_areRecordedByContextRoute_neverRawPath() throws Exception {
    Recorders rec = Recorders.builder().build();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    HttpContext users =
        server.createContext(
            "/api/users",
            ex -> {
              int code = ex.getRequestURI().getPath().endsWith("/missing") ? 404 : 200;
              byte[] body = "ok".getBytes();
              ex.sendResponseHeaders(code, body.length);
              ex.getResponseBody().write(body);
              ex.close();
            });
    users.getFilters().add(new HttpMetricsFilter(rec, "backend"));
    HttpContext boom =
        server.createContext(
            "/boom",
            ex -> {
              throw new IllegalStateException("handler failed");
            });
    boom.getFilters().add(new HttpMetricsFilter(rec, "backend"));
    server.start();
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    HttpClient client = HttpClient.newHttpClient();
    for (String path : List.of("/api/users/1", "/api/users/2", "/api/users/missing")) {
      client.send(
          HttpRequest.newBuilder(URI.create(base + path)).build(),
          HttpResponse.BodyHandlers.discarding());
    }
    client.send(
        HttpRequest.newBuilder(URI.create(base + "/api/users/3"))
            .POST(HttpRequest.BodyPublishers.ofString("x"))
            .build(),
        HttpResponse.BodyHandlers.discarding());
    try {
      client.send(
          HttpRequest.newBuilder(URI.create(base + "/boom")).build(),
          HttpResponse.BodyHandlers.discarding());
    } catch (java.io.IOException expected) {
      // the JDK server closes the connection when a handler throws
    }
    List<MetricSnapshot> s = rec.collect();
    assertThat(
            value(
                s,
                "app_api_requests",
                "service",
                "backend",
                "endpoint",
                "/api/users",
                "method",
                "GET",
                "status",
                "200"))
        .isEqualTo(2);
    assertThat(
            value(
                s,
                "app_api_requests",
                "service",
                "backend",
                "endpoint",
                "/api/users",
                "method",
                "POST",
                "status",
                "200"))
        .isEqualTo(1);
    assertThat(
            value(
                s,
                "app_api_errors",
                "service",
                "backend",
                "endpoint",
                "/api/users",
                "method",
                "GET",
                "status",
                "404"))
        .isEqualTo(1);
    assertThat(
            value(
                s,
                "app_api_requests",
                "service",
                "backend",
                "endpoint",
                "/boom",
                "method",
                "GET",
                "status",
                "500"))
        .as("HttpClient retries an idempotent GET once when the server drops the connection")
        .isBetween(1.0, 2.0);
    assertThat(
            histogram(
                    s,
                    "app_api_request_duration_seconds",
                    "service",
                    "backend",
                    "endpoint",
                    "/api/users",
                    "method",
                    "GET")
                .count())
        .isEqualTo(3);
    assertThat(
            value(s, "app_api_requests_in_flight", "service", "backend", "endpoint", "/api/users"))
        .isZero();
    assertThat(s.toString()).doesNotContain("/api/users/1");
  }
}
