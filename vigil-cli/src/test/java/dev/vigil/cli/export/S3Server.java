package dev.vigil.cli.export;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * A local S3-compatible server from npm, installed on first use into {@code target/<dir>} with
 * {@code npm install --prefix} and started on a free port (it prints {@code listening on
 * HOST:PORT}). The test is skipped, saying why, when node or npm is absent or the install fails
 * (the npm registry unreachable).
 */
final class S3Server implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on .*:(\\d+)");

  private final Process process;
  private final int port;

  private S3Server(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  int port() {
    return port;
  }

  /**
   * @param spec the npm package and version, e.g. {@code s3rver@3.7.1}
   * @param installed a file that exists once the package is installed, under the install home
   * @param command the command that starts it, given the install home
   */
  static S3Server start(
      String dir, String spec, String installed, Function<Path, List<String>> command)
      throws Exception {
    Path home = Path.of("target", dir).toAbsolutePath();
    if (!Files.exists(home.resolve(installed))) {
      Assumptions.assumeTrue(
          onPath("node") && onPath("npm"),
          "node and npm are not installed (scripts/install-test-deps installs them)");
      Files.createDirectories(home);
      Path log = home.resolve("npm-install.log");
      Process npm =
          new ProcessBuilder(
                  "npm", "install", "--prefix", home.toString(), "--no-audit", "--no-fund", spec)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      boolean ended = npm.waitFor(10, TimeUnit.MINUTES);
      if (!ended) {
        npm.destroyForcibly();
      }
      Assumptions.assumeTrue(
          ended && npm.exitValue() == 0 && Files.exists(home.resolve(installed)),
          "npm install " + spec + " failed (is the npm registry reachable?): see " + log);
    }
    List<String> cmd = new ArrayList<>(command.apply(home));
    Process p = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true).start();
    CompletableFuture<Integer> listening = new CompletableFuture<>();
    StringBuilder out = new StringBuilder();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  Matcher m = LISTENING.matcher(line);
                  if (m.find()) {
                    listening.complete(Integer.parseInt(m.group(1)));
                  } else if (!listening.isDone()) {
                    out.append(line).append('\n');
                  }
                }
                listening.completeExceptionally(new IOException(spec + " exited: " + out));
              } catch (IOException e) {
                listening.completeExceptionally(e);
              }
            });
    reader.setDaemon(true);
    reader.start();
    try {
      return new S3Server(p, listening.get(60, TimeUnit.SECONDS));
    } catch (Exception e) {
      p.destroyForcibly();
      throw e;
    }
  }

  private static boolean onPath(String cmd) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d, cmd))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
