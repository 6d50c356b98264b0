package dev.vigil.metrics.exposition;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the real Prometheus binaries the integration tests run (Debian's prometheus package). */
final class ExternalTools {
  private ExternalTools() {}

  static Path find(String binary) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path p = Path.of(dir, binary);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    throw new IllegalStateException(
        binary
            + " not found on PATH: run scripts/install-test-deps (installs Debian's prometheus"
            + " package) or scripts/test");
  }
}
