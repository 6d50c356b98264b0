package dev.vigil.notify.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10,000 alerts across 500 groups in one POST to the real Alertmanager 0.25 and to the built-in
 * notifier, each delivering to a local webhook sink; reports the POST's time and the time until all
 * 500 groups were notified (group_wait 1 s), two rounds each, alternating, in {@code
 * target/notifier-load.txt}. Not part of the suite: {@code ./mvnw -B -o -q -pl vigil-notify -am
 * test -Dtest=NotifierLoadBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dvigil.bench=true}.
 * Memory is not measured yet.
 */
@EnabledIfSystemProperty(named = "vigil.bench", matches = "true")
class NotifierLoadBenchmark {
  @TempDir Path dir;

  @Test
  void tenThousandAlertsIn500Groups_vsAlertmanager() throws Exception {
    AtomicInteger am = new AtomicInteger();
    AtomicInteger vg = new AtomicInteger();
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    s.createContext(
        "/am",
        ex -> {
          ex.getRequestBody().readAllBytes();
          am.incrementAndGet();
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    s.createContext(
        "/vigil",
        ex -> {
          ex.getRequestBody().readAllBytes();
          vg.incrementAndGet();
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    s.start();
    String cfg =
        "route: {receiver: r, group_by: [alertname, group], group_wait: 1s, group_interval: 1m}\nreceivers: [{name: r, webhook_configs: [{url: 'http://127.0.0.1:"
            + s.getAddress().getPort()
            + "/SIDE'}]}]\n";
    StringBuilder b = new StringBuilder("[");
    Instant t = Instant.now();
    for (int i = 0; i < 10_000; i++) {
      if (i > 0) b.append(',');
      b.append("{\"labels\":{\"alertname\":\"Load\",\"group\":\"g")
          .append(i % 500)
          .append("\",\"instance\":\"i")
          .append(i)
          .append("\"},\"annotations\":{\"summary\":\"x\"},\"startsAt\":\"")
          .append(t)
          .append("\"}");
    }
    b.append(']');
    String body = b.toString();
    HttpClient http = HttpClient.newHttpClient();
    int port = TwoNotifiersTest.freePort();
    Path yml = dir.resolve("am.yml");
    Files.writeString(yml, cfg.replace("SIDE", "am"));
    Process p =
        new ProcessBuilder(
                "/usr/bin/prometheus-alertmanager",
                "--config.file=" + yml,
                "--storage.path=" + dir.resolve("d"),
                "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=",
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("log").toFile())
            .start();
    try (BuiltinNotifier n =
        BuiltinNotifier.start(NotifyConfig.parse("t", cfg.replace("SIDE", "vigil")), "http://x")) {
      HttpServer api = TwoNotifiersTest.serveApi(n);
      String amUrl = "http://127.0.0.1:" + port;
      TwoNotifiersTest.await(
          () -> {
            try {
              return http.send(
                          HttpRequest.newBuilder(URI.create(amUrl + "/-/ready")).build(),
                          HttpResponse.BodyHandlers.discarding())
                      .statusCode()
                  == 200;
            } catch (Exception e) {
              return false;
            }
          },
          "ready");
      for (String side : new String[] {"vigil", "am", "vigil", "am"}) {
        String url = side.equals("am") ? amUrl : "http://127.0.0.1:" + api.getAddress().getPort();
        AtomicInteger c = side.equals("am") ? am : vg;
        c.set(0);
        String thisBody = body.replace("\"Load\"", "\"Load" + System.nanoTime() + "\"");
        long t0 = System.nanoTime();
        int code =
            http.send(
                    HttpRequest.newBuilder(URI.create(url + "/api/v2/alerts"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(thisBody))
                        .build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode();
        long posted = System.nanoTime();
        assertThat(code).isEqualTo(200);
        TwoNotifiersTest.await(() -> c.get() >= 500, "500 notifications");
        long done = System.nanoTime();
        Files.writeString(
            Path.of("target/notifier-load.txt"),
            side
                + ": POST 10000 alerts "
                + (posted - t0) / 1_000_000
                + " ms; 500 groups notified after "
                + (done - t0) / 1_000_000
                + " ms (group_wait 1s)\n",
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.APPEND);
      }
      api.stop(0);
    } finally {
      p.destroy();
      p.waitFor();
      s.stop(0);
    }
  }
}
