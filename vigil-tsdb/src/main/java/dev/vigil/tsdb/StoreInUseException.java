package dev.vigil.tsdb;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Opening a store failed because another store (in this process or another, typically a running
 * {@code vigil serve}) holds its directory's lock file. Tools catch it to say so in one line, or to
 * fall back to what can be read without the lock.
 */
public final class StoreInUseException extends IOException {
  private final Path dir;

  /** {@code dir}'s lock file is held by another store. */
  public StoreInUseException(Path dir) {
    super(dir + " is in use by another Vigil store (lock file " + dir.resolve("lock") + ")");
    this.dir = dir;
  }

  /** The store directory. */
  public Path dir() {
    return dir;
  }
}
