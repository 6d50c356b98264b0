package dev.vigil.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.collectors.recorders.Recorders;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The filter in a real Jetty 12 (ee10) servlet container, driven by a real HTTP client. */
class ServletMetricsFilterTest {
  private Server server;

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.stop();
    }
  }

  private String start(ServletMetricsFilter filter, ServletContextHandler ctx) throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    FilterHolder holder = new FilterHolder(filter);
    holder.setAsyncSupported(true);
    ctx.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
    server.setHandler(ctx);
    server.start();
    return "http://127.0.0.1:" + connector.getLocalPort();
  }

  private static ServletContextHandler app() {
    ServletContextHandler ctx = new ServletContextHandler();
    ctx.addServlet(
        new ServletHolder(
            new HttpServlet() {
              @Override
              protected void service(HttpServletRequest req, HttpServletResponse res)
                  throws IOException {
                res.setStatus(req.getPathInfo().endsWith("/missing") ? 404 : 200);
                res.getWriter().write("user");
              }
            }),
        "/api/users/*");
    ctx.addServlet(
        new ServletHolder(
            new HttpServlet() {
              @Override
              protected void doGet(HttpServletRequest req, HttpServletResponse res) {
                res.setStatus(204);
              }
            }),
        "/health");
    ctx.addServlet(
        new ServletHolder(
            new HttpServlet() {
              @Override
              protected void doGet(HttpServletRequest req, HttpServletResponse res) {
                throw new IllegalStateException("servlet failed");
              }
            }),
        "/boom");
    return ctx;
  }

  @Test
  void requests_areRecordedByServletPattern_unknownPathsCollapsed() throws Exception {
    Recorders rec = Recorders.builder().build();
    String base = start(new ServletMetricsFilter(rec, "backend"), app());

    assertThat(Exposition.send("GET", base + "/api/users/1")).isEqualTo(200);
    assertThat(Exposition.send("GET", base + "/api/users/2")).isEqualTo(200);
    assertThat(Exposition.send("POST", base + "/api/users/3")).isEqualTo(200);
    assertThat(Exposition.send("GET", base + "/api/users/missing")).isEqualTo(404);
    assertThat(Exposition.send("GET", base + "/health")).isEqualTo(204);
    assertThat(Exposition.send("GET", base + "/nope/1")).isEqualTo(404);
    assertThat(Exposition.send("GET", base + "/nope/2")).isEqualTo(404);
    assertThat(Exposition.send("GET", base + "/boom")).isEqualTo(500);

    String text = Exposition.text(rec);
    assertThat(text)
        .contains(
            "app_api_requests_total{endpoint=\"/api/users/*\",method=\"GET\",service=\"backend\",status=\"200\"} 2")
        .contains(
            "app_api_requests_total{endpoint=\"/api/users/*\",method=\"POST\",service=\"backend\",status=\"200\"} 1")
        .contains(
            "app_api_errors_total{endpoint=\"/api/users/*\",method=\"GET\",service=\"backend\",status=\"404\"} 1")
        .contains(
            "app_api_requests_total{endpoint=\"/health\",method=\"GET\",service=\"backend\",status=\"204\"} 1")
        .contains(
            "app_api_requests_total{endpoint=\"unmatched\",method=\"GET\",service=\"backend\",status=\"404\"} 2")
        .contains(
            "app_api_errors_total{endpoint=\"/boom\",method=\"GET\",service=\"backend\",status=\"500\"} 1")
        .contains(
            "app_api_request_duration_seconds_count{endpoint=\"/api/users/*\",method=\"GET\",service=\"backend\"} 3")
        .contains("app_api_requests_in_flight{endpoint=\"/api/users/*\",service=\"backend\"} 0")
        .doesNotContain("/nope")
        .doesNotContain("/api/users/1")
        .doesNotContain("missing");
  }

  @Test
  void inFlight_countsARequestBeingServed_byItsRoute() throws Exception {
    Recorders rec = Recorders.builder().build();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ServletContextHandler ctx = new ServletContextHandler();
    ctx.addServlet(
        new ServletHolder(
            new HttpServlet() {
              @Override
              protected void doGet(HttpServletRequest req, HttpServletResponse res)
                  throws IOException {
                entered.countDown();
                try {
                  release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                res.setStatus(200);
              }
            }),
        "/slow/*");
    String base = start(new ServletMetricsFilter(rec, "backend"), ctx);
    Thread client =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    Exposition.send("GET", base + "/slow/42");
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(Exposition.text(rec))
        .contains("app_api_requests_in_flight{endpoint=\"/slow/*\",service=\"backend\"} 1");
    release.countDown();
    client.join(30_000);
    assertThat(Exposition.text(rec))
        .contains("app_api_requests_in_flight{endpoint=\"/slow/*\",service=\"backend\"} 0")
        .contains(
            "app_api_requests_total{endpoint=\"/slow/*\",method=\"GET\",service=\"backend\",status=\"200\"} 1");
  }

  @Test
  void asyncRequest_isRecordedWhenItCompletes_withTheStatusThenSent() throws Exception {
    Recorders rec = Recorders.builder().build();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ServletContextHandler ctx = new ServletContextHandler();
    ServletHolder async =
        new ServletHolder(
            new HttpServlet() {
              @Override
              protected void doGet(HttpServletRequest req, HttpServletResponse res) {
                AsyncContext ac = req.startAsync();
                ac.setTimeout(60_000);
                Thread.ofPlatform()
                    .start(
                        () -> {
                          try {
                            release.await(30, TimeUnit.SECONDS);
                          } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                          }
                          ((HttpServletResponse) ac.getResponse()).setStatus(202);
                          ac.complete();
                        });
                started.countDown();
              }
            });
    async.setAsyncSupported(true);
    ctx.addServlet(async, "/async/*");
    String base = start(new ServletMetricsFilter(rec, "backend"), ctx);
    Thread client =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    Exposition.send("GET", base + "/async/1");
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
    // Until the async work completes, the request is in flight and not yet counted.
    String inFlight = "app_api_requests_in_flight{endpoint=\"/async/*\",service=\"backend\"} ";
    assertThat(Exposition.text(rec))
        .contains(inFlight + "1")
        .doesNotContain("app_api_requests_total{endpoint=\"/async/*\"");
    release.countDown();
    client.join(30_000);
    String done =
        "app_api_requests_total{endpoint=\"/async/*\",method=\"GET\",service=\"backend\",status=\"202\"} 1";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Exposition.text(rec).contains(done) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(Exposition.text(rec)).contains(done).contains(inFlight + "0");
  }

  @Test
  void routeFunction_givesTheTemplate_emptyAnswerIsUnmatched() throws Exception {
    Recorders rec = Recorders.builder().build();
    ServletMetricsFilter filter =
        new ServletMetricsFilter(
            rec,
            "backend",
            req -> req.getRequestURI().startsWith("/api/users/") ? "/api/users/{id}" : "");
    String base = start(filter, app());
    Exposition.send("GET", base + "/api/users/7");
    Exposition.send("GET", base + "/health");
    assertThat(Exposition.text(rec))
        .contains(
            "app_api_requests_total{endpoint=\"/api/users/{id}\",method=\"GET\",service=\"backend\",status=\"200\"} 1")
        .contains(
            "app_api_requests_total{endpoint=\"unmatched\",method=\"GET\",service=\"backend\",status=\"204\"} 1");
  }

  @Test
  void badArguments_areRejectedWithTheirName() {
    Recorders rec = Recorders.builder().build();
    assertThatThrownBy(() -> new ServletMetricsFilter(rec, ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("service");
    assertThatThrownBy(() -> new ServletMetricsFilter(null, "x"))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("recorders");
  }
}
