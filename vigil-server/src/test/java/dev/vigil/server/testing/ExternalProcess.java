package dev.vigil.server.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real peer (Debian's prometheus, prometheus-node-exporter) started on a free loopback port for a
 * test, and killed by {@link #close()}. Tests skip when the binary is missing ({@code
 * scripts/install-test-deps} installs them).
 */
public final class ExternalProcess implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path log;

  private ExternalProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** A free TCP port on loopback. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Skips the test when {@code binary} is not installed. */
  public static Path require(String binary) {
    Path p = Path.of("/usr/bin", binary);
    assumeTrue(Files.isExecutable(p), binary + " is not installed (scripts/install-test-deps)");
    return p;
  }

  /**
   * Starts {@code command} (with {@code {port}} replaced by a free port) and waits until {@code
   * readyPath} answers 200.
   */
  public static ExternalProcess start(List<String> command, String readyPath, Path workDir)
      throws Exception {
    return start(command, readyPath, workDir, freePort());
  }

  /**
   * Like {@link #start(List, String, Path)} on the given port (to restart a peer where its clients
   * expect it); the log is appended to.
   */
  public static ExternalProcess start(
      List<String> command, String readyPath, Path workDir, int port) throws Exception {
    List<String> cmd =
        command.stream().map(s -> s.replace("{port}", Integer.toString(port))).toList();
    Path log = workDir.resolve(Path.of(cmd.get(0)).getFileName() + ".log");
    Process p =
        new ProcessBuilder(cmd)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    ExternalProcess ep = new ExternalProcess(p, port, log);
    HttpClient c = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      if (!p.isAlive()) {
        throw new IllegalStateException(cmd.get(0) + " exited: " + Files.readString(log));
      }
      try {
        HttpResponse<String> r =
            c.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + readyPath)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return ep;
        }
      } catch (IOException e) {
        // not up yet
      }
      if (System.nanoTime() > deadline) {
        ep.close();
        throw new IllegalStateException(
            cmd.get(0) + " did not get ready: " + Files.readString(log));
      }
      Thread.sleep(50);
    }
  }

  public int port() {
    return port;
  }

  /** {@code 127.0.0.1:port}. */
  public String address() {
    return "127.0.0.1:" + port;
  }

  /** The process output so far. */
  public String log() throws IOException {
    return Files.readString(log);
  }

  /** Kills the process with SIGKILL (no shutdown) and waits for it. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  /** Kills the process and waits for it. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
