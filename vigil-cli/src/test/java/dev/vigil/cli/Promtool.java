package dev.vigil.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The real {@code promtool} (Debian's prometheus package, 2.42), run once over a batch of files.
 * Tests that need it are skipped with a message when it is not installed.
 */
final class Promtool {
  private Promtool() {}

  /** The promtool on the PATH; skips the calling test when there is none. */
  static String require() {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        File f = new File(dir, "promtool");
        if (f.canExecute()) {
          return f.getPath();
        }
      }
    }
    Assumptions.assumeTrue(false, "promtool not installed (scripts/install-test-deps)");
    return null;
  }

  /** Output of one run. */
  record Run(int exitCode, String stdout, String stderr) {}

  static Run run(Path workDir, List<String> args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(require());
    cmd.addAll(args);
    File out = File.createTempFile("promtool", ".out");
    File err = File.createTempFile("promtool", ".err");
    try {
      Process p =
          new ProcessBuilder(cmd)
              .directory(workDir.toFile())
              .redirectOutput(out)
              .redirectError(err)
              .start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("promtool did not finish in 60 s: " + cmd);
      }
      return new Run(
          p.exitValue(),
          java.nio.file.Files.readString(out.toPath(), StandardCharsets.UTF_8),
          java.nio.file.Files.readString(err.toPath(), StandardCharsets.UTF_8));
    } finally {
      out.delete();
      err.delete();
    }
  }

  /**
   * Per-file verdicts of one batch run: promtool prints {@code <header> FILE} for each file on
   * stdout, then {@code SUCCESS} on stdout or {@code FAILED:} on stderr.
   *
   * @param header {@code "Checking "} or {@code "Unit Testing: "}
   * @return file as given → true when promtool printed SUCCESS for it
   */
  static Map<String, Boolean> verdicts(String stdout, String header) {
    Map<String, Boolean> out = new LinkedHashMap<>();
    String current = null;
    for (String line : stdout.split("\n")) {
      if (line.startsWith(header)) {
        current = line.substring(header.length()).trim();
        out.put(current, false);
      } else if (current != null && line.startsWith("  SUCCESS")) {
        out.put(current, true);
      }
    }
    return out;
  }
}
