package dev.vigil.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The store could not write a file it needs to accept data (the WAL or the head chunk file); the
 * write that raised it was not acknowledged and left no partial bytes behind. {@link #reason()}
 * says why, so that callers can answer "no space left on device" differently from other I/O errors;
 * the message names the file and the offset.
 *
 * <p>The store resumes by itself: the next write tries again, so once space is freed writes succeed
 * without a restart.
 */
public final class StorageWriteException extends UncheckedIOException {
  /*
   * Java reports ENOSPC and EDQUOT as a plain IOException whose message is the C library's
   * strerror text, so the message is the only signal the platform gives. It is read once, here,
   * and turned into a type; when the message says nothing useful, the file system's usable space
   * decides.
   */

  /** Why a write failed; {@link #label()} is the metric label. */
  public enum Reason {
    /** The file system is full (ENOSPC) or a quota is exhausted (EDQUOT). */
    NO_SPACE("no_space"),
    /** An fsync reported an error: the kernel may have dropped the written pages. */
    FSYNC("fsync"),
    /** Any other I/O error. */
    IO_ERROR("io_error");

    private final String label;

    Reason(String label) {
      this.label = label;
    }

    /** The value of the {@code reason} label of {@code vigil_tsdb_write_failures_total}. */
    public String label() {
      return label;
    }
  }

  private final Reason reason;

  public StorageWriteException(Reason reason, String message, IOException cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** Why the write failed. */
  public Reason reason() {
    return reason;
  }

  /** Whether the file system was full. */
  public boolean noSpace() {
    return reason == Reason.NO_SPACE;
  }

  /**
   * Classifies a failed write of {@code bytes} bytes into {@code file}: {@link Reason#NO_SPACE}
   * when the error or the file system's free space says so, else {@link Reason#IO_ERROR}.
   */
  public static Reason classify(IOException e, Path file, long bytes) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null) {
        String l = m.toLowerCase(Locale.ROOT);
        if (l.contains("no space left") || l.contains("quota exceeded")) {
          return Reason.NO_SPACE;
        }
      }
    }
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null && Files.getFileStore(dir).getUsableSpace() < Math.max(bytes, 1)) {
        return Reason.NO_SPACE;
      }
    } catch (IOException | RuntimeException ignored) {
      // the file system cannot be asked: not evidence of a full disk
    }
    return Reason.IO_ERROR;
  }

  /** A short description of the reason for clients and logs, e.g. "no space left on device". */
  public String describe() {
    return switch (reason) {
      case NO_SPACE -> "no space left on device";
      case FSYNC -> "fsync failed";
      case IO_ERROR -> "I/O error";
    };
  }
}
