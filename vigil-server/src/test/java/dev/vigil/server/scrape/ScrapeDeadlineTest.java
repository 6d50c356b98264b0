package dev.vigil.server.scrape;

import static dev.vigil.server.testing.TestStorage.labels;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.server.config.ScrapeConfig;
import dev.vigil.server.testing.TestStorage;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One deadline, {@code scrape_timeout}, covers connecting, the response headers and the whole body;
 * a target that sends headers and part of a chunked body and then stalls fails at the deadline with
 * {@code up 0}. Stopping a loop without stale markers abandons its in-flight scrape and writes
 * nothing.
 */
class ScrapeDeadlineTest {
  private HttpServer server;
  private final CountDownLatch requested = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private final TestStorage db = new TestStorage();
  private final HttpClient client = HttpClient.newHttpClient();
  private String address;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/metrics",
        ex -> {
          byte[] part = "up_ok 1\nstalled_metric".getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
          // Chunked: the JDK client's request timeout does not end a stalled chunked body.
          ex.sendResponseHeaders(200, 0);
          OutputStream o = ex.getResponseBody();
          o.write(part);
          o.flush();
          requested.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          ex.close();
        });
    server.start();
    address = "127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
  }

  private ScrapeLoop loop(Duration interval, Duration timeout) {
    ScrapeConfig o = ScrapeConfig.of("stall", interval, address);
    ScrapeConfig job =
        new ScrapeConfig(
            o.jobName(),
            interval,
            timeout,
            o.metricsPath(),
            o.scheme(),
            o.params(),
            o.staticConfigs(),
            o.fileSdConfigs(),
            null,
            null,
            false,
            true,
            List.of(),
            List.of(),
            0,
            0,
            0,
            0,
            0);
    Target t = Target.build(job, address, Map.of(), new ArrayList<>());
    return new ScrapeLoop(t, db, client, 0);
  }

  private List<double[]> up() {
    return db.samples(labels("up", "instance", address, "job", "stall"));
  }

  @Test
  void bodyStallingPastTheTimeout_failsTheScrapeAtTheDeadline_withUpZero() throws Exception {
    // 1 s: long enough for the headers to arrive first even in a cold JVM, so the stall is in the
    // body (a shorter timeout can expire before the headers, which the old reader handled).
    ScrapeLoop l = loop(Duration.ofSeconds(5), Duration.ofSeconds(1));
    long t0 = System.nanoTime();
    // Bounded so that the old behaviour (a read blocked until the target lets go) fails the test.
    CompletableFuture.runAsync(() -> l.scrapeOnce(1000)).get(10, TimeUnit.SECONDS);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(requested.getCount()).isZero();
    assertThat(ms).isLessThan(5000);
    assertThat(up()).hasSize(1);
    assertThat(up().get(0)[1]).isEqualTo(0.0);
    assertThat(l.target().lastError()).contains("scrape_timeout").contains("1000ms");
  }

  @Test
  void stopWithoutStaleMarkers_abandonsTheInFlightScrape_andWritesNothing() throws Exception {
    ScrapeLoop l = loop(Duration.ofSeconds(1), Duration.ofSeconds(1));
    l.start();
    assertThat(requested.await(10, TimeUnit.SECONDS)).isTrue();
    l.stop(false);
    assertThat(l.running()).isFalse();
    assertThat(db.series()).isEmpty();
  }

  @Test
  void stopWithStaleMarkers_endsAStalledScrape_andLeavesNoThreadBehind() throws Exception {
    ScrapeLoop l = loop(Duration.ofSeconds(1), Duration.ofSeconds(30));
    l.start();
    assertThat(requested.await(10, TimeUnit.SECONDS)).isTrue();
    long t0 = System.nanoTime();
    l.stop(true);
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5000);
    assertThat(l.running()).isFalse();
    // No scrape finished: nothing to mark stale, and the abandoned scrape reports nothing.
    assertThat(up()).isEmpty();
  }
}
