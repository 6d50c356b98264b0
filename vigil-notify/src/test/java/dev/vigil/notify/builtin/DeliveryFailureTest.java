package dev.vigil.notify.builtin;

import static dev.vigil.notify.builtin.TwoNotifiersTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A receiver that answers 500 or hangs is retried and reported, and holds back no other. */
class DeliveryFailureTest {
  private HttpServer sink;
  private BuiltinNotifier notifier;
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void tearDown() {
    release.countDown();
    if (notifier != null) {
      notifier.close();
    }
    if (sink != null) {
      sink.stop(0);
    }
  }

  @Test
  void failing500_andHangingReceiver_areRetried_whileHealthyOneIsServed() throws Exception {
    AtomicInteger failures = new AtomicInteger();
    AtomicInteger hangs = new AtomicInteger();
    List<JsonNode> flaky = new CopyOnWriteArrayList<>();
    List<Instant> ok = new CopyOnWriteArrayList<>();
    List<JsonNode> slack = new CopyOnWriteArrayList<>();
    sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    sink.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    sink.createContext(
        "/flaky",
        ex -> {
          byte[] b = ex.getRequestBody().readAllBytes();
          if (failures.incrementAndGet() <= 2) {
            ex.sendResponseHeaders(500, -1);
          } else {
            flaky.add(Integrations.JSON.readTree(b));
            ex.sendResponseHeaders(200, -1);
          }
          ex.close();
        });
    sink.createContext(
        "/hang",
        ex -> {
          hangs.incrementAndGet();
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          ex.close();
        });
    sink.createContext(
        "/ok",
        ex -> {
          ex.getRequestBody().readAllBytes();
          ok.add(Instant.now());
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    sink.createContext(
        "/slack",
        ex -> {
          slack.add(Integrations.JSON.readTree(ex.getRequestBody().readAllBytes()));
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    sink.start();
    String base = "http://127.0.0.1:" + sink.getAddress().getPort();
    String yaml =
        """
        route:
          receiver: all
          group_by: [alertname]
          group_wait: 0s
          group_interval: 1m
        receivers:
          - name: all
            webhook_configs:
              - url: BASE/hang
              - url: BASE/flaky
              - url: BASE/ok
            slack_configs:
              - api_url: BASE/slack
                channel: '#ops'
        """
            .replace("BASE", base);
    ScheduledExecutorService ses = Executors.newSingleThreadScheduledExecutor();
    ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor();
    notifier =
        new BuiltinNotifier(
            NotifyConfig.parse("t", yaml),
            Timers.of(Clock.systemUTC(), ses),
            exec,
            ses,
            HttpClient.newBuilder().executor(exec).build(),
            Duration.ofSeconds(1),
            "http://vigil.example",
            (n, t) -> false);
    notifier.post(
        List.of(
            new BuiltinNotifier.PostableAlert(
                Map.of("alertname", "DiskFull", "instance", "a"),
                Map.of("summary", "disk 97% full", "description", "only 3 GB left"),
                null,
                null,
                "http://vigil.example/explore")));

    // The healthy receivers are served while the hanging one is still hanging.
    await(() -> !ok.isEmpty() && !slack.isEmpty() && hangs.get() >= 1, "healthy receivers served");
    assertThat(release.getCount()).isEqualTo(1);
    // The 500s are retried with backoff until one succeeds; the hang times out and is retried.
    await(
        () -> !flaky.isEmpty(),
        () ->
            "flaky receiver succeeded after retries; attempts "
                + failures.get()
                + ", errors "
                + notifier.metrics().lastErrors());

    assertThat(failures.get()).isGreaterThanOrEqualTo(3); // more when a slow answer timed out
    assertThat(flaky.get(0).get("alerts").get(0).get("labels").get("alertname").asText())
        .isEqualTo("DiskFull");
    await(() -> hangs.get() >= 2, "hanging receiver retried");
    NotifyMetrics m = notifier.metrics();
    // Two 500s and at least one timeout, each counted once its attempt has returned.
    await(() -> m.failed("webhook") >= 3, () -> "failures counted: " + m.failed("webhook"));
    assertThat(m.lastErrors().get("all/webhook"))
        .containsAnyOf("HttpTimeoutException", "unexpected status code 500");
    assertThat(m.exposition())
        .contains("vigil_notify_notifications_failed_total{integration=\"webhook\"}");

    // Slack's incoming-webhook schema: top-level channel/username/attachments; one attachment
    // with Slack's documented fields; the default text carries the annotations (alertmanager #250:
    // Alertmanager's own default text is empty).
    JsonNode s = slack.get(0);
    assertThat(s.get("channel").asText()).isEqualTo("#ops");
    assertThat(s.get("username").asText()).isEqualTo("Vigil");
    JsonNode att = s.get("attachments").get(0);
    assertThat(att.get("title").asText()).isEqualTo("[FIRING:1] DiskFull (a)");
    assertThat(att.get("title_link").asText())
        .isEqualTo("http://vigil.example/#/alerts?receiver=all");
    assertThat(att.get("color").asText()).isEqualTo("danger");
    assertThat(att.get("fallback").asText())
        .isEqualTo("[FIRING:1] DiskFull (a) | http://vigil.example/#/alerts?receiver=all");
    assertThat(att.get("text").asText())
        .contains(
            "*Alerts Firing:*",
            " - summary = disk 97% full",
            " - description = only 3 GB left",
            "Source: http://vigil.example/explore");
    assertThat(Integrations.JSON.convertValue(att.get("mrkdwn_in"), List.class))
        .containsExactly("fallback", "pretext", "text");
    List<String> allowed =
        List.of(
            "title",
            "title_link",
            "pretext",
            "text",
            "fallback",
            "color",
            "footer",
            "mrkdwn_in",
            "fields",
            "callback_id",
            "image_url",
            "thumb_url",
            "actions");
    att.fieldNames().forEachRemaining(f -> assertThat(allowed).contains(f));
  }
}
