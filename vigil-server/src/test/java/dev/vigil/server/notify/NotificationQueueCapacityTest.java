package dev.vigil.server.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.CollectConfig;
import dev.vigil.server.config.ConfigException;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.VigilConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code alerting.notification_queue_capacity} (Prometheus' {@code
 * --alertmanager.notification-queue-capacity}): with an Alertmanager that holds the first post, the
 * re-sent alerts beyond the capacity are dropped and counted in {@code
 * vigil_notifications_dropped_total}; the queue never holds more; a bad value is refused with file,
 * line and key.
 */
class NotificationQueueCapacityTest {
  @TempDir Path dir;
  final HttpClient http = HttpClient.newHttpClient();

  @Test
  void capacity_boundsTheQueue_andCountsWhatItDrops() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch firstPost = new CountDownLatch(1);
    HttpServer am = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    am.createContext(
        "/",
        ex -> {
          ex.getRequestBody().readAllBytes();
          firstPost.countDown();
          try {
            release.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    am.setExecutor(Executors.newCachedThreadPool());
    am.start();
    StringBuilder rules = new StringBuilder("groups:\n- name: g\n  interval: 1s\n  rules:\n");
    for (int i = 0; i < 10; i++) {
      rules.append("  - alert: A").append(i).append("\n    expr: vector(1)\n");
    }
    Files.writeString(dir.resolve("rules.yml"), rules.toString());
    Path yml = dir.resolve("vigil.yml");
    Files.writeString(
        yml,
        """
        rule_files: [rules.yml]
        rules: {resend_delay: 1s}
        alerting:
          notification_queue_capacity: 3
          alertmanagers: [{static_configs: [{targets: ['127.0.0.1:%d']}], timeout: 1m}]
        """
            .formatted(am.getAddress().getPort()));
    VigilConfig c =
        ConfigLoader.load(yml, Map.of())
            .withListen("127.0.0.1", 0)
            .withStoragePath(dir.resolve("data"))
            .withCollect(new CollectConfig(Duration.ofMinutes(10), false, false, false, false, ""));
    try (Vigil v = Vigil.builder(c).configFile(yml).start()) {
      assertThat(firstPost.await(30, TimeUnit.SECONDS)).as("the first post arrives").isTrue();
      // While that post hangs, each re-send of the 10 alerts meets a queue of 3.
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (metric(v, "vigil_notifications_dropped_total") < 7) {
        assertThat(System.nanoTime()).as("7 alerts dropped within 30 s").isLessThan(deadline);
        Thread.sleep(50); // a bounded poll: re-sends come with the group's evaluations
      }
      assertThat(metric(v, "vigil_notifications_queue_capacity")).isEqualTo(3);
      assertThat(metric(v, "vigil_notifications_queue_length")).isBetween(0.0, 3.0);
      release.countDown(); // else closing waits for the held post's timeout
    } finally {
      release.countDown();
      am.stop(0);
    }
  }

  @Test
  void badCapacity_isRefusedWithFileLineAndKey() {
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    "vigil.yml", "alerting:\n  notification_queue_capacity: 0\n", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "vigil.yml:2: alerting.notification_queue_capacity: must be between 1 and 10000000,"
                + " got 0");
  }

  private double metric(Vigil v, String name) throws Exception {
    String text =
        http.send(
                HttpRequest.newBuilder(URI.create(v.url() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }
}
