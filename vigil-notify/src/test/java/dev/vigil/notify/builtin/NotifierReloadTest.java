package dev.vigil.notify.builtin;

import static dev.vigil.notify.builtin.TwoNotifiersTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A reload while a delivery is in flight waits for it (as Alertmanager's Dispatcher.Stop), so the
 * rebuilt groups find it in the notification log and do not send it again.
 */
class NotifierReloadTest {
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
  void reloadDuringADelivery_waitsForIt_andDoesNotSendItAgain() throws Exception {
    List<JsonNode> got = new CopyOnWriteArrayList<>();
    CountDownLatch arrived = new CountDownLatch(1);
    sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    sink.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    sink.createContext(
        "/hook",
        ex -> {
          JsonNode body = Integrations.JSON.readTree(ex.getRequestBody().readAllBytes());
          if (body.path("groupKey").asText().contains("\"A\"")) {
            arrived.countDown();
            try {
              release.await(30, TimeUnit.SECONDS); // the first delivery hangs until released
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          got.add(body);
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    sink.start();
    String yaml =
        """
        route:
          receiver: hook
          group_by: [alertname]
          group_wait: 0s
          group_interval: 1m
        receivers:
          - name: hook
            webhook_configs: [{url: 'http://127.0.0.1:PORT/hook'}]
        """
            .replace("PORT", Integer.toString(sink.getAddress().getPort()));
    ScheduledExecutorService ses = Executors.newSingleThreadScheduledExecutor();
    ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor();
    notifier =
        new BuiltinNotifier(
            NotifyConfig.parse("t", yaml),
            Timers.of(Clock.systemUTC(), ses),
            exec,
            ses,
            HttpClient.newBuilder().executor(exec).build(),
            Duration.ofSeconds(20),
            "http://vigil.example",
            (n, t) -> false);
    notifier.post(List.of(alert("A")));
    assertThat(arrived.await(30, TimeUnit.SECONDS)).isTrue();

    // The same section with another group_interval: reloaded while A's delivery hangs.
    CompletableFuture<Void> reload =
        CompletableFuture.runAsync(
            () -> notifier.reload(NotifyConfig.parse("t", yaml.replace("1m", "2m"))));
    assertThat(reload).as("the reload waits for the delivery in flight").isNotDone();
    release.countDown();
    reload.get(30, TimeUnit.SECONDS);
    // B's group is flushed after A's rebuilt one (one timer thread, in order of arrival).
    notifier.post(List.of(alert("B")));
    await(() -> got.size() >= 2, "B delivered");
    assertThat(got)
        .extracting(j -> j.path("groupKey").asText())
        .containsExactly("{}:{alertname=\"A\"}", "{}:{alertname=\"B\"}");
  }

  private static BuiltinNotifier.PostableAlert alert(String name) {
    return new BuiltinNotifier.PostableAlert(
        Map.of("alertname", name), Map.of(), null, null, "http://vigil.example/explore");
  }
}
