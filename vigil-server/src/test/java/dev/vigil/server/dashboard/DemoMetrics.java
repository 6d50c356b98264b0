package dev.vigil.server.dashboard;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.server.http.Role;
import dev.vigil.server.http.Router;
import dev.vigil.server.http.Routes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A scrape endpoint with the seeds' application metrics (DinoAir's API requests, model generations,
 * errors and sessions, DevLoop's agents, Dream.OS's file operations, AgentOS' backend), growing
 * with every scrape, plus two test series: a gauge the test sets and a label value holding markup.
 */
final class DemoMetrics implements Routes {
  static final String PATH = "/demo/metrics";
  static final String MARKUP =
      "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\">";

  /** The value of {@code vigil_test_live_value}, set by the test. */
  final AtomicLong live = new AtomicLong(7);

  private final AtomicLong scrapes = new AtomicLong();

  @Override
  public void register(Router router) {
    router.get(
        PATH, Role.PUBLIC, ctx -> ctx.contentType("text/plain; version=0.0.4").result(text()));
  }

  /** Serves the metrics on a loopback port of its own (JDK HTTP server); returns host:port. */
  String serveAlone() throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.createContext(
        PATH,
        x -> {
          byte[] body = text().getBytes(StandardCharsets.UTF_8);
          x.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
          x.sendResponseHeaders(200, body.length);
          x.getResponseBody().write(body);
          x.close();
        });
    s.start();
    alone = s;
    return "127.0.0.1:" + s.getAddress().getPort();
  }

  private HttpServer alone;

  /** Stops the server of {@link #serveAlone()}. */
  void stop() {
    if (alone != null) {
      alone.stop(0);
    }
  }

  private String text() {
    long n = scrapes.incrementAndGet();
    StringBuilder b = new StringBuilder();
    counter(
        b,
        "dinoair_custom_api_requests_total",
        "service=\"comfyui\",endpoint=\"/generate\",method=\"POST\",status_code=\"200\"",
        5 * n);
    counter(
        b,
        "dinoair_custom_api_requests_total",
        "service=\"ollama\",endpoint=\"/chat\",method=\"POST\",status_code=\"200\"",
        3 * n);
    counter(
        b,
        "dinoair_custom_api_requests_total",
        "service=\"ollama\",endpoint=\"/chat\",method=\"POST\",status_code=\"500\"",
        n / 3);
    counter(b, "dinoair_custom_api_errors_total", "service=\"ollama\"", n / 3);
    histogram(
        b,
        "dinoair_custom_api_request_duration_seconds",
        "service=\"comfyui\"",
        n,
        new double[] {0.1, 0.5, 1, 5});
    counter(
        b, "dinoair_custom_model_generations_total", "model=\"llama2-7b\",success=\"true\"", 2 * n);
    counter(
        b,
        "dinoair_custom_model_generations_total",
        "model=\"llama2-7b\",success=\"false\"",
        n / 5);
    histogram(
        b,
        "dinoair_custom_model_generation_duration_seconds",
        "model=\"llama2-7b\"",
        n,
        new double[] {1, 5, 15, 30});
    counter(
        b,
        "dinoair_custom_errors_total",
        "error_type=\"connection_timeout\",service=\"comfyui\",severity=\"error\"",
        n / 2);
    counter(b, "dinoair_custom_sessions_started_total", "", n);
    gauge(b, "dinoair_custom_active_sessions", "", 3 + n % 4);
    histogram(b, "dinoair_custom_session_duration_seconds", "", n, new double[] {60, 300, 900});
    counter(b, "devloop_agent_runs_total", "agent=\"linter\",status=\"success\"", 4 * n);
    counter(b, "devloop_agent_runs_total", "agent=\"linter\",status=\"failure\"", n / 4);
    counter(b, "devloop_agent_runs_total", "agent=\"test-runner\",status=\"success\"", 2 * n);
    gauge(b, "devloop_agent_queue_depth", "agent=\"linter\"", n % 5);
    gauge(b, "devloop_agent_queue_depth", "agent=\"test-runner\"", (n + 2) % 5);
    histogram(
        b, "devloop_agent_execution_duration_ms", "agent=\"linter\"", n, new double[] {100, 500});
    counter(b, "devloop_issues_found_total", "severity=\"high\"", n);
    counter(b, "file_write_success_total", "", 6 * n);
    counter(b, "file_write_failure_total", "", n / 6);
    counter(b, "file_read_success_total", "", 9 * n);
    histogram(b, "file_operation_duration_seconds", "", n, new double[] {0.1, 0.5, 1, 2, 5});
    counter(
        b, "backend_http_requests_total", "method=\"GET\",path=\"/apps\",status=\"200\"", 7 * n);
    histogram(b, "backend_http_request_duration_seconds", "", n, new double[] {0.05, 0.1, 0.5});
    gauge(b, "vigil_test_live_value", "", live.get());
    gauge(
        b,
        "vigil_test_markup",
        "evil=\"" + MARKUP.replace("\\", "\\\\").replace("\"", "\\\"") + "\"",
        1);
    return b.toString();
  }

  private static void counter(StringBuilder b, String name, String labels, long v) {
    b.append(name).append('{').append(labels).append("} ").append(v).append('\n');
  }

  private static void gauge(StringBuilder b, String name, String labels, long v) {
    counter(b, name, labels, v);
  }

  /** A histogram whose observations spread over the buckets, growing with the scrape count. */
  private static void histogram(StringBuilder b, String name, String labels, long n, double[] les) {
    String sep = labels.isEmpty() ? "" : labels + ",";
    long cumulative = 0;
    for (int i = 0; i < les.length; i++) {
      cumulative += n * (i + 1);
      b.append(name).append("_bucket{").append(sep).append("le=\"").append(les[i]).append("\"} ");
      b.append(cumulative).append('\n');
    }
    b.append(name)
        .append("_bucket{")
        .append(sep)
        .append("le=\"+Inf\"} ")
        .append(cumulative)
        .append('\n');
    b.append(name)
        .append("_sum{")
        .append(labels)
        .append("} ")
        .append(cumulative * les[0])
        .append('\n');
    b.append(name).append("_count{").append(labels).append("} ").append(cumulative).append('\n');
  }
}
