package dev.vigil.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.ingest.remote.RemoteWriteEncoder;
import dev.vigil.ingest.wire.Snappy;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.CollectConfig;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.VigilConfig;
import dev.vigil.server.http.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The real server in a child JVM, for tests that kill it ({@code kill -9}) or stop it (SIGTERM) and
 * start it again on the same data directory: durability, restored alert state, remote write queues.
 *
 * {@snippet :
 * try (ChildVigil v = ChildVigil.start(dir.resolve("child.log"), config, data)) {
 *   v.remoteWrite(series);
 *   v.kill(); // SIGKILL: no shutdown hook, nothing flushed
 * }
 * }
 *
 * <p>The child ({@link #main}) loads the configuration file when one is given (else the defaults),
 * listens on a loopback port the OS picks, collects nothing of its own, stores in the given folder
 * when one is given, prints {@code PORT n} and serves until killed; SIGTERM closes it cleanly.
 */
public final class ChildVigil implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Process process;
  private final String url;

  private ChildVigil(Process process, String url) {
    this.process = process;
    this.url = url;
  }

  /**
   * Starts a child on {@code config} (null: the defaults) storing in {@code storage} (null: the
   * configuration's path), its standard error appended to {@code log} (null: discarded); returns
   * once it printed its port.
   */
  public static ChildVigil start(Path log, Path config, Path storage) throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                ChildVigil.class.getName()));
    if (config != null) {
      cmd.addAll(List.of("--config", config.toString()));
    }
    if (storage != null) {
      cmd.addAll(List.of("--storage", storage.toString()));
    }
    Process p =
        new ProcessBuilder(cmd)
            .redirectError(
                log == null
                    ? ProcessBuilder.Redirect.DISCARD
                    : ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String base = null;
    for (String line; (line = out.readLine()) != null; ) {
      if (line.startsWith("PORT ")) {
        base = "http://127.0.0.1:" + line.substring(5).strip();
        break;
      }
    }
    if (base == null) {
      p.destroyForcibly();
      throw new AssertionError(
          "the child server exited before printing its port"
              + (log != null && Files.exists(log) ? ": " + Files.readString(log) : ""));
    }
    Thread drain =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  try {
                    out.transferTo(java.io.Writer.nullWriter());
                  } catch (IOException ignored) {
                    // the child was killed
                  }
                });
    drain.setName("child-vigil-stdout");
    return new ChildVigil(p, base);
  }

  /** {@code http://127.0.0.1:port}. */
  public String url() {
    return url;
  }

  /** Polls {@code /-/ready} (a child process has nothing to wait on) until it answers 200. */
  public void awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        HttpResponse<Void> r =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(url + "/-/ready"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // listening soon
      }
      assertThat(System.nanoTime()).as("the child server became ready").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  /**
   * POSTs {@code series} to the child's {@code /api/v1/write} (remote write 1.0, snappy) and
   * returns the answer.
   *
   * @throws IOException when the child is gone (killed under the request)
   */
  public HttpResponse<String> remoteWrite(List<RemoteWriteEncoder.Series> series)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url + "/api/v1/write"))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-protobuf")
            .header("Content-Encoding", "snappy")
            .header("X-Prometheus-Remote-Write-Version", "0.1.0")
            .POST(
                HttpRequest.BodyPublishers.ofByteArray(
                    Snappy.compress(RemoteWriteEncoder.v1(series))))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The alerts of {@code /api/v1/alerts}, or null while the child answers otherwise (starting). */
  public JsonNode alerts() throws IOException, InterruptedException {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url + "/api/v1/alerts"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200
        ? Json.MAPPER.readTree(r.body()).path("data").path("alerts")
        : null;
  }

  /** Polls (a child process has no latch) until {@code alertname} fires; returns its activeAt. */
  public String awaitFiring(String alertname, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      JsonNode alerts = alerts();
      if (alerts != null) {
        for (JsonNode a : alerts) {
          if (a.path("labels").path("alertname").asText().equals(alertname)
              && a.path("state").asText().equals("firing")) {
            return a.path("activeAt").asText();
          }
        }
      }
      assertThat(System.nanoTime()).as(alertname + " firing on " + url).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed; returns once the process is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the killed child ended").isTrue();
  }

  /** SIGTERM: the server closes cleanly; returns once the process is gone. */
  public void stop() throws InterruptedException {
    process.destroy();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the stopped child ended").isTrue();
  }

  /** The child's exit status once it ended (137 after {@link #kill()}: SIGKILL). */
  public int exitValue() {
    return process.exitValue();
  }

  /** Kills the child if it still runs. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }

  /** The child: {@code [--config FILE] [--storage DIR]}. */
  public static void main(String[] args) throws Exception {
    Path config = null;
    Path storage = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--config" -> config = Path.of(args[i + 1]);
        case "--storage" -> storage = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    VigilConfig c =
        (config == null ? VigilConfig.defaults() : ConfigLoader.load(config, Map.of()))
            .withListen("127.0.0.1", 0)
            .withCollect(new CollectConfig(Duration.ofMinutes(10), false, false, false, false, ""));
    if (storage != null) {
      c = c.withStoragePath(storage);
    }
    Vigil.Builder b = Vigil.builder(c);
    if (config != null) {
      b.configFile(config, Map.of());
    }
    Vigil vigil = b.start();
    Runtime.getRuntime().addShutdownHook(new Thread(vigil::close));
    System.out.println("PORT " + vigil.port());
    System.out.flush();
    new CountDownLatch(1).await(); // until killed
  }
}
