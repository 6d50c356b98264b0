package dev.vigil.collectors.linux;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Locates the recorded kernel files under {@code src/test/resources/procfs}. */
final class Fixtures {
  private Fixtures() {}

  static ProcFs procfs() {
    try {
      return new ProcFs(Path.of(Fixtures.class.getResource("/procfs/stat").toURI()).getParent());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
