package dev.vigil.cli;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real peer (VictoriaMetrics, influxd) run for a test: found on the PATH (the test is skipped,
 * saying how to install it, when it is not), started on a free port, waited for by bounded polling
 * of its health URL, stopped (by its own pid) at close; its log kept for failure messages.
 */
final class PeerProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  final int port;

  private PeerProcess(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** The executable on the PATH; skips the calling test when there is none. */
  static String require(String name) {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        File f = new File(dir, name);
        if (f.canExecute()) {
          return f.getPath();
        }
      }
    }
    Assumptions.assumeTrue(false, name + " not installed (scripts/install-test-deps installs it)");
    return null;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /**
   * Starts {@code cmd} (its first element a name on the PATH) and waits up to 60 s until {@code
   * health} answers 2xx.
   */
  static PeerProcess start(List<String> cmd, int port, String health, Path workDir)
      throws IOException, InterruptedException {
    List<String> full = new ArrayList<>(cmd);
    full.set(0, require(cmd.get(0)));
    Path log = workDir.resolve(cmd.get(0) + ".log");
    Process p =
        new ProcessBuilder(full)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    PeerProcess peer = new PeerProcess(p, log, port);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(URI.create(health)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() / 100 == 2) {
          return peer;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (!p.isAlive() || System.nanoTime() > deadline) {
        String text = peer.log();
        peer.close();
        throw new IOException(cmd.get(0) + " did not become healthy in 60 s: " + text);
      }
      // Bounded polling of a process we do not control: no latch can tell us it listens.
      Thread.sleep(100);
    }
  }

  String log() throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }

  /** Runs a command to completion (60 s at most) and returns its standard output. */
  static String run(Path workDir, String... cmd) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>(List.of(cmd));
    full.set(0, require(cmd[0]));
    Path out = Files.createTempFile(workDir, cmd[0], ".out");
    Process p =
        new ProcessBuilder(full)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(cmd[0] + " did not finish in 60 s");
    }
    String text = Files.readString(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", full) + " exited " + p.exitValue() + ": " + text);
    }
    return text;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
