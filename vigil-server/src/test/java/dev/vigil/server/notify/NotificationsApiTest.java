package dev.vigil.server.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.VigilConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/v1/notifications}: the built-in notifier's notifications newest first with
 * receiver, integration, group, alerts and outcome; filtered by receiver and alert name; bounded by
 * {@code limit}; bad parameters are a 400 naming them.
 */
class NotificationsApiTest {
  static final ObjectMapper JSON = new ObjectMapper();
  final HttpClient client = HttpClient.newHttpClient();

  private HttpResponse<String> get(String url) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode data(String url) throws Exception {
    HttpResponse<String> r = get(url);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body()).get("data");
  }

  @Test
  void lists_filters_andBoundsTheNotifications(@TempDir Path tmp) throws Exception {
    HttpServer sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    for (String path : new String[] {"/a", "/b"}) {
      sink.createContext(
          path,
          ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(path.equals("/a") ? 200 : 503, -1);
            ex.close();
          });
    }
    sink.start();
    String yaml =
        """
        notify:
          route:
            receiver: a
            group_by: [alertname]
            group_wait: 0s
            group_interval: 1s
            routes: [{matchers: [team="b"], receiver: b}]
          receivers:
            - name: a
              webhook_configs: [{url: 'http://127.0.0.1:PORT/a'}]
            - name: b
              webhook_configs: [{url: 'http://127.0.0.1:PORT/b'}]
        """
            .replace("PORT", Integer.toString(sink.getAddress().getPort()));
    VigilConfig c =
        ConfigLoader.parse("vigil.yml", yaml, Map.of())
            .withListen("127.0.0.1", 0)
            .withStoragePath(tmp.resolve("data"));
    try (Vigil v = Vigil.start(c)) {
      String alerts =
          "[{\"labels\":{\"alertname\":\"DiskFull\",\"instance\":\"x\"}},"
              + "{\"labels\":{\"alertname\":\"CpuHot\",\"instance\":\"y\"}},"
              + "{\"labels\":{\"alertname\":\"Down\",\"team\":\"b\"}}]";
      HttpResponse<String> post =
          client.send(
              HttpRequest.newBuilder(URI.create(v.url() + "/api/v2/alerts"))
                  .POST(HttpRequest.BodyPublishers.ofString(alerts))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).isEqualTo(200);
      long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
      while (data(v.url() + "/api/v1/notifications").get("notifications").size() < 3) {
        assertThat(System.nanoTime()).as("three notifications within 40 s").isLessThan(deadline);
        Thread.sleep(50); // b's 503 is retried for 10 s before its failure is recorded
      }

      JsonNode d = data(v.url() + "/api/v1/notifications");
      assertThat(d.get("builtin").asBoolean()).isTrue();
      assertThat(d.get("truncated").asBoolean()).isFalse();
      assertThat(d.get("alertmanagers")).isEmpty();

      JsonNode disk =
          data(v.url() + "/api/v1/notifications?alertname=DiskFull").get("notifications");
      assertThat(disk).hasSize(1);
      assertThat(disk.get(0).get("receiver").asText()).isEqualTo("a");
      assertThat(disk.get(0).get("integration").asText()).isEqualTo("webhook/0");
      assertThat(disk.get(0).get("groupKey").asText()).isEqualTo("{}:{alertname=\"DiskFull\"}");
      assertThat(disk.get(0).get("groupLabels").toString())
          .isEqualTo("{\"alertname\":\"DiskFull\"}");
      assertThat(disk.get(0).get("alerts").toString())
          .isEqualTo(
              "[{\"labels\":{\"alertname\":\"DiskFull\",\"instance\":\"x\"},\"status\":\"firing\"}]");
      assertThat(disk.get(0).get("status").asText()).isEqualTo("delivered");
      assertThat(disk.get(0).get("error").isNull()).isTrue();
      assertThat(disk.get(0).get("attempts").asInt()).isEqualTo(1);

      JsonNode b = data(v.url() + "/api/v1/notifications?receiver=b").get("notifications");
      assertThat(b).isNotEmpty();
      assertThat(b.get(0).get("status").asText()).isEqualTo("failed");
      assertThat(b.get(0).get("error").asText()).contains("503");
      assertThat(b.get(0).get("attempts").asInt()).isGreaterThan(1);
      assertThat(
              data(v.url() + "/api/v1/notifications?receiver=a&alertname=Down")
                  .get("notifications"))
          .isEmpty();

      JsonNode one = data(v.url() + "/api/v1/notifications?receiver=a&limit=1");
      assertThat(one.get("notifications")).hasSize(1);
      assertThat(one.get("truncated").asBoolean()).isTrue();

      HttpResponse<String> big = get(v.url() + "/api/v1/notifications?limit=5000");
      assertThat(big.statusCode()).isEqualTo(400);
      assertThat(big.body()).contains("invalid parameter \\\"limit\\\": at most 1000, got 5000");
      HttpResponse<String> neg = get(v.url() + "/api/v1/notifications?limit=-1");
      assertThat(neg.statusCode()).isEqualTo(400);
      HttpResponse<String> longName =
          get(v.url() + "/api/v1/notifications?receiver=" + "r".repeat(2000));
      assertThat(longName.statusCode()).isEqualTo(400);
      assertThat(longName.body()).contains("invalid parameter \\\"receiver\\\": at most 1024");
    } finally {
      sink.stop(0);
    }
  }
}
