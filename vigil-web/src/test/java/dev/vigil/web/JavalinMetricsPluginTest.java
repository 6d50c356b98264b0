package dev.vigil.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collectors.recorders.Recorders;
import io.javalin.Javalin;
import io.javalin.http.HttpStatus;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The plugin in a real Javalin 7 app on port 0, driven by a real HTTP client. */
class JavalinMetricsPluginTest {
  private Javalin app;

  @AfterEach
  void stop() {
    if (app != null) {
      app.stop();
    }
  }

  @Test
  void requests_areRecordedByEndpointTemplate_unknownPathsCollapsed() throws Exception {
    Recorders rec = Recorders.builder().build();
    app =
        Javalin.create(
                cfg -> {
                  cfg.registerPlugin(new JavalinMetricsPlugin(rec, "backend"));
                  cfg.routes.get(
                      "/users/{id}",
                      ctx -> {
                        if (ctx.pathParam("id").equals("missing")) {
                          ctx.status(HttpStatus.NOT_FOUND);
                        } else {
                          ctx.result("user " + ctx.pathParam("id"));
                        }
                      });
                  cfg.routes.post("/users", ctx -> ctx.status(HttpStatus.CREATED));
                  cfg.routes.get(
                      "/boom",
                      ctx -> {
                        throw new IllegalStateException("handler failed");
                      });
                })
            .start("127.0.0.1", 0);
    String base = "http://127.0.0.1:" + app.port();

    assertThat(Exposition.send("GET", base + "/users/1")).isEqualTo(200);
    assertThat(Exposition.send("GET", base + "/users/2")).isEqualTo(200);
    assertThat(Exposition.send("GET", base + "/users/missing")).isEqualTo(404);
    assertThat(Exposition.send("POST", base + "/users")).isEqualTo(201);
    assertThat(Exposition.send("GET", base + "/nope/1")).isEqualTo(404);
    assertThat(Exposition.send("DELETE", base + "/nope/2")).isEqualTo(404);
    assertThat(Exposition.send("GET", base + "/boom")).isEqualTo(500);

    String text = Exposition.text(rec);
    assertThat(text)
        .contains(
            "app_api_requests_total{endpoint=\"/users/{id}\",method=\"GET\",service=\"backend\",status=\"200\"} 2")
        .contains(
            "app_api_errors_total{endpoint=\"/users/{id}\",method=\"GET\",service=\"backend\",status=\"404\"} 1")
        .contains(
            "app_api_requests_total{endpoint=\"/users\",method=\"POST\",service=\"backend\",status=\"201\"} 1")
        .contains(
            "app_api_requests_total{endpoint=\"unmatched\",method=\"GET\",service=\"backend\",status=\"404\"} 1")
        .contains(
            "app_api_requests_total{endpoint=\"unmatched\",method=\"DELETE\",service=\"backend\",status=\"404\"} 1")
        .contains(
            "app_api_errors_total{endpoint=\"/boom\",method=\"GET\",service=\"backend\",status=\"500\"} 1")
        .contains(
            "app_api_request_duration_seconds_count{endpoint=\"/users/{id}\",method=\"GET\",service=\"backend\"} 3")
        .contains("app_api_requests_in_flight{endpoint=\"/users/{id}\",service=\"backend\"} 0")
        .doesNotContain("/nope")
        .doesNotContain("/users/1\"")
        .doesNotContain("missing");
  }

  @Test
  void inFlight_countsARequestBeingServed_byItsTemplate() throws Exception {
    Recorders rec = Recorders.builder().build();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    app =
        Javalin.create(
                cfg -> {
                  cfg.registerPlugin(new JavalinMetricsPlugin(rec, "backend"));
                  cfg.routes.get(
                      "/jobs/{id}",
                      ctx -> {
                        entered.countDown();
                        release.await(30, TimeUnit.SECONDS);
                        ctx.result("done");
                      });
                })
            .start("127.0.0.1", 0);
    String url = "http://127.0.0.1:" + app.port() + "/jobs/9";
    Thread client =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    Exposition.send("GET", url);
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(Exposition.text(rec))
        .contains("app_api_requests_in_flight{endpoint=\"/jobs/{id}\",service=\"backend\"} 1");
    release.countDown();
    client.join(30_000);
    // The request logger runs after the response is sent: poll, bounded, for the record.
    String done =
        "app_api_requests_total{endpoint=\"/jobs/{id}\",method=\"GET\",service=\"backend\",status=\"200\"} 1";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Exposition.text(rec).contains(done) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(Exposition.text(rec))
        .contains(done)
        .contains("app_api_requests_in_flight{endpoint=\"/jobs/{id}\",service=\"backend\"} 0");
  }

  @Test
  void aSampledSpanAroundTheHandler_becomesTheRequestsExemplar() throws Exception {
    Recorders rec = Recorders.builder().build();
    String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
    String span = "00f067aa0ba902b7";
    Span s =
        Span.wrap(
            SpanContext.create(trace, span, TraceFlags.getSampled(), TraceState.getDefault()));
    // What a tracing agent or filter does: the span is current on the thread serving the request.
    app =
        Javalin.create(
                cfg -> {
                  cfg.routes.before(ctx -> ctx.attribute("otel", s.makeCurrent()));
                  cfg.registerPlugin(new JavalinMetricsPlugin(rec, "backend"));
                  cfg.routes.get("/traced/{id}", ctx -> ctx.result("ok"));
                  cfg.requestLogger.http(
                      (ctx, ms) -> {
                        Scope scope = ctx.attribute("otel");
                        if (scope != null) {
                          scope.close();
                        }
                      });
                })
            .start("127.0.0.1", 0);
    assertThat(Exposition.send("GET", "http://127.0.0.1:" + app.port() + "/traced/1"))
        .isEqualTo(200);
    String done = "trace_id=\"" + trace + "\"";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Exposition.openMetrics(rec).contains(done) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(Exposition.openMetrics(rec))
        .contains(
            "app_api_requests_total{endpoint=\"/traced/{id}\",method=\"GET\",service=\"backend\",status=\"200\"} 1 # {span_id=\""
                + span
                + "\",trace_id=\""
                + trace
                + "\"} 1");
  }
}
