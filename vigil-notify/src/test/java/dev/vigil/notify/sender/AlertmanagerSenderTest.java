package dev.vigil.notify.sender;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.model.Labels;
import dev.vigil.rules.RuleMetrics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sender against local HTTP stubs: batches of at most 64 to every Alertmanager, a 500 and a
 * dead Alertmanager counted and never holding back the others, {@code send} never blocking while an
 * Alertmanager hangs, the full queue dropping its oldest alerts, external labels and alert
 * relabeling, and the JSON body Alertmanager's API v2 takes.
 */
class AlertmanagerSenderTest {
  static final ObjectMapper JSON = new ObjectMapper();

  final List<HttpServer> servers = new ArrayList<>();
  final List<AlertmanagerSender> senders = new ArrayList<>();

  @AfterEach
  void stop() {
    senders.forEach(AlertmanagerSender::close);
    servers.forEach(s -> s.stop(0));
  }

  /** A stub answering {@code status}, handing each body it got to {@code bodies}. */
  private AlertmanagerTarget stub(int status, BlockingQueue<JsonNode> bodies, CountDownLatch hold)
      throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.createContext(
        "/api/v2/alerts",
        ex -> {
          byte[] in = ex.getRequestBody().readAllBytes();
          try {
            if (hold != null) {
              hold.await(30, TimeUnit.SECONDS);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          if (bodies != null) {
            bodies.add(JSON.readTree(in));
          }
          byte[] out = (status == 200 ? "" : "boom").getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
          if (out.length > 0) {
            ex.getResponseBody().write(out);
          }
          ex.close();
        });
    s.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    s.start();
    servers.add(s);
    return target("http://127.0.0.1:" + s.getAddress().getPort() + "/api/v2/alerts");
  }

  private static AlertmanagerTarget target(String url) {
    return new AlertmanagerTarget(URI.create(url), Duration.ofSeconds(5), null);
  }

  private static AlertmanagerTarget dead() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    return target("http://127.0.0.1:" + port + "/api/v2/alerts");
  }

  private AlertmanagerSender sender(int capacity, List<AlertmanagerTarget> targets) {
    AlertmanagerSender s = new AlertmanagerSender(capacity);
    s.configure(targets, List.of(), Map.of(), UnaryOperator.identity());
    senders.add(s);
    return s;
  }

  private static List<OutgoingAlert> alerts(int from, int to) {
    List<OutgoingAlert> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(
          new OutgoingAlert(
              Labels.of("alertname", "A", "i", Integer.toString(i)),
              Map.of("summary", "s" + i),
              1_700_000_000_000L,
              1_700_000_240_000L,
              "http://vigil/#page=explore&q=up"));
    }
    return out;
  }

  private static double value(AlertmanagerSender s, String family, String alertmanager) {
    for (RuleMetrics.Family f : s.metrics()) {
      if (f.name().equals(family)) {
        for (RuleMetrics.Point p : f.points()) {
          if (alertmanager == null || alertmanager.equals(p.labels().get("alertmanager"))) {
            return f.type() == RuleMetrics.Type.SUMMARY ? p.count() : p.value();
          }
        }
      }
    }
    throw new AssertionError("no " + family + " for " + alertmanager);
  }

  @Test
  void batchesOfAtMost64_reachEveryAlertmanager_aFailingOneIsCountedAndHoldsBackNone()
      throws Exception {
    BlockingQueue<JsonNode> good = new LinkedBlockingQueue<>();
    AlertmanagerTarget ok = stub(200, good, null);
    AlertmanagerTarget failing = stub(500, null, null);
    AlertmanagerTarget gone = dead();
    AlertmanagerSender s = sender(1000, List.of(ok, failing, gone));
    s.send(alerts(0, 130)); // queued before the dispatcher runs: 64 + 64 + 2
    s.start();
    List<Integer> sizes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      JsonNode batch = good.poll(30, TimeUnit.SECONDS);
      assertThat(batch).as("batch " + i).isNotNull();
      sizes.add(batch.size());
    }
    assertThat(sizes).containsExactly(64, 64, 2);
    // A post's counters are updated after its answer (the sink has the body before): wait for
    // all three posts of every Alertmanager to be counted.
    for (AlertmanagerTarget t : List.of(ok, failing, gone)) {
      awaitMetric(s, "vigil_notifications_sent", t.url().toString(), 130);
    }
    awaitMetric(s, "vigil_notifications_errors", gone.url().toString(), 3);
    awaitMetric(s, "vigil_notifications_errors", failing.url().toString(), 3);
    for (AlertmanagerTarget t : List.of(ok, failing, gone)) {
      assertThat(value(s, "vigil_notifications_sent", t.url().toString())).isEqualTo(130);
    }
    assertThat(value(s, "vigil_notifications_errors", ok.url().toString())).isZero();
    assertThat(value(s, "vigil_notifications_errors", failing.url().toString())).isEqualTo(3);
    assertThat(value(s, "vigil_notifications_errors", gone.url().toString())).isEqualTo(3);
    // One Alertmanager took each batch: nothing dropped.
    assertThat(value(s, "vigil_notifications_dropped", null)).isZero();

    // With only failing Alertmanagers, the batch is lost and counted as dropped.
    s.configure(List.of(failing, gone), List.of(), Map.of(), UnaryOperator.identity());
    s.send(alerts(0, 5));
    awaitMetric(s, "vigil_notifications_dropped", null, 5);
    assertThat(value(s, "vigil_notifications_errors", failing.url().toString())).isEqualTo(4);
  }

  @Test
  void send_neverBlocks_whileAnAlertmanagerHangs_andTheFullQueueDropsItsOldest() throws Exception {
    CountDownLatch hold = new CountDownLatch(1);
    BlockingQueue<JsonNode> got = new LinkedBlockingQueue<>();
    AlertmanagerSender s = sender(3, List.of(stub(200, got, hold)));
    s.start();
    s.send(alerts(0, 1)); // taken by the dispatcher, which then waits on the hanging post
    awaitQueue(s, 0);
    long start = System.nanoTime();
    for (int i = 1; i < 200; i++) {
      s.send(alerts(i, i + 1));
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(s.queueLength()).isEqualTo(3);
    assertThat(value(s, "vigil_notifications_dropped", null)).isEqualTo(196);
    assertThat(value(s, "vigil_notifications_queue_length", null)).isEqualTo(3);
    assertThat(value(s, "vigil_notifications_queue_capacity", null)).isEqualTo(3);
    hold.countDown();
    assertThat(got.poll(30, TimeUnit.SECONDS)).hasSize(1);
    JsonNode rest = got.poll(30, TimeUnit.SECONDS);
    List<String> kept = new ArrayList<>();
    rest.forEach(a -> kept.add(a.get("labels").get("i").asText()));
    assertThat(kept).containsExactly("197", "198", "199"); // the newest
  }

  @Test
  void externalLabels_addedUnlessTheAlertHasThem_relabelingDropsAndRewrites_payloadAsApiV2()
      throws Exception {
    BlockingQueue<JsonNode> got = new LinkedBlockingQueue<>();
    AlertmanagerSender s = sender(100, List.of(stub(200, got, null)));
    s.configure(
        s.activeAlertmanagers(),
        List.of("http://dropped:9093/api/v2/alerts"),
        Map.of("region", "eu-1", "i", "from-external"),
        l -> l.get("i").equals("1") ? null : l.toBuilder().set("team", "ops").build());
    s.start();
    s.send(alerts(0, 3));
    JsonNode batch = got.poll(30, TimeUnit.SECONDS);
    assertThat(batch).hasSize(2);
    JsonNode a = batch.get(0);
    assertThat(JSON.convertValue(a.get("labels"), Map.class))
        .isEqualTo(Map.of("alertname", "A", "i", "0", "region", "eu-1", "team", "ops"));
    assertThat(a.get("annotations").get("summary").asText()).isEqualTo("s0");
    assertThat(a.get("startsAt").asText()).isEqualTo("2023-11-14T22:13:20.000Z");
    assertThat(a.get("endsAt").asText()).isEqualTo("2023-11-14T22:17:20.000Z");
    assertThat(a.get("generatorURL").asText()).isEqualTo("http://vigil/#page=explore&q=up");
    assertThat(batch.get(1).get("labels").get("i").asText()).isEqualTo("2");
    assertThat(s.droppedAlertmanagers()).containsExactly("http://dropped:9093/api/v2/alerts");
  }

  @Test
  void everyFamilyHasHelp() {
    AlertmanagerSender s = sender(10, List.of());
    assertThat(s.metrics())
        .extracting(RuleMetrics.Family::name)
        .containsExactlyInAnyOrder(
            "vigil_notifications_alertmanagers_discovered",
            "vigil_notifications_dropped",
            "vigil_notifications_errors",
            "vigil_notifications_latency_seconds",
            "vigil_notifications_queue_capacity",
            "vigil_notifications_queue_length",
            "vigil_notifications_sent");
    assertThat(s.metrics()).allSatisfy(f -> assertThat(f.help()).isNotBlank());
  }

  private static void awaitMetric(AlertmanagerSender s, String family, String am, double want)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (value(s, family, am) >= want) {
          return;
        }
      } catch (AssertionError notYet) {
        // the family has no point for this Alertmanager yet
      }
      Thread.sleep(10);
    }
    throw new AssertionError(family + " for " + am + " never reached " + want);
  }

  private static void awaitQueue(AlertmanagerSender s, int want) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (s.queueLength() != want) {
      assertThat(System.nanoTime()).as("queue length " + want).isLessThan(deadline);
      Thread.sleep(5);
    }
  }
}
