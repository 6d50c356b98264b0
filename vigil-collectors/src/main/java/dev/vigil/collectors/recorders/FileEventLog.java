package dev.vigil.collectors.recorders;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes file-operation events as JSON lines of the Dream.OS shape to a size-rotated log.
 *
 * {@snippet :
 * try (FileEventLog log = FileEventLog.builder(Path.of("logs/file-events.jsonl")).build()) {
 *   log.append("file_write", "/data/a.json", null, 512, true, null, System.currentTimeMillis());
 * }
 * // {"event":"file_write","path":"/data/a.json","size":512,"timestamp":"2026-11-25T12:42:29.123Z","status":"success"}
 * }
 *
 * <p>Thread-safe. {@link #append} formats into an in-memory buffer under a short lock; a daemon
 * thread writes the buffer out every flush interval, so a caller never waits for the disk. When
 * more than {@code maxBufferedChars} are pending (the disk is stuck), new events are dropped and
 * counted in {@link #dropped()} rather than growing the heap without bound. When the file passes
 * {@code maxBytes} it is renamed to {@code name.1} (older ones shift to {@code .2} … and the oldest
 * beyond {@code maxFiles} is deleted).
 */
public final class FileEventLog implements Closeable {

  private final Path file;
  private final long maxBytes;
  private final int maxFiles;
  private final int maxBufferedChars;
  private final Thread flusher;
  private final AtomicLong dropped = new AtomicLong();
  private StringBuilder pending = new StringBuilder(8192); // guarded by this
  private StringBuilder spare = new StringBuilder(8192); // only the flushing thread
  private volatile boolean closed;
  private volatile IOException lastError;

  private FileEventLog(Builder b) {
    this.file = b.file;
    this.maxBytes = b.maxBytes;
    this.maxFiles = b.maxFiles;
    this.maxBufferedChars = b.maxBufferedChars;
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the folder of events log " + file, e);
    }
    long interval = b.flushInterval.toMillis();
    this.flusher =
        Thread.ofPlatform()
            .daemon()
            .name("vigil-file-events")
            .start(
                () -> {
                  while (!closed) {
                    try {
                      Thread.sleep(interval);
                    } catch (InterruptedException e) {
                      break;
                    }
                    flush();
                  }
                });
  }

  /** Starts a builder writing to {@code file}. */
  public static Builder builder(Path file) {
    return new Builder(file);
  }

  /**
   * Appends one event.
   *
   * @param event {@code file_read}, {@code file_write} or {@code dir_operation}
   * @param path the normalised path
   * @param operation the directory operation ({@code create}, {@code delete}, {@code list}), or
   *     null for file reads and writes
   * @param size bytes read or written; negative to leave the field out
   * @param success whether it succeeded
   * @param error the error message, or null
   * @param timestampMillis when it happened
   */
  public void append(
      String event,
      String path,
      String operation,
      long size,
      boolean success,
      String error,
      long timestampMillis) {
    synchronized (this) {
      StringBuilder b = bufferOrNull();
      if (b == null) {
        return;
      }
      b.append("{\"event\":");
      JsonText.string(b, event);
      b.append(",\"path\":");
      JsonText.string(b, path);
      if (operation != null) {
        b.append(",\"operation\":");
        JsonText.string(b, operation);
      }
      if (size >= 0) {
        b.append(",\"size\":").append(size);
      }
      b.append(",\"timestamp\":\"");
      JsonText.isoTime(b, timestampMillis);
      b.append("\",\"status\":\"").append(success ? "success" : "failure").append('"');
      if (error != null) {
        b.append(",\"error\":");
        JsonText.string(b, error);
      }
      b.append("}\n");
    }
  }

  /**
   * The buffer one event is appended to, or null (the event counted as dropped) when the log is
   * closed or the buffer is over its bound. Called holding this log's monitor.
   */
  private StringBuilder bufferOrNull() {
    if (closed || pending.length() > maxBufferedChars) {
      dropped.incrementAndGet();
      return null;
    }
    return pending;
  }

  /**
   * Appends one event of another kind than a file operation (e.g. {@code system_metric}): {@code
   * {"event":..,"timestamp":..,<fields>}}, through the same buffer, flusher, bound and rotation.
   *
   * @param fields written in their order; a value that is a {@link Number} or {@link Boolean} is
   *     written as such (a non-finite number as null), a {@link java.util.Map} as an object of
   *     strings, anything else as a string
   */
  public void appendEvent(String event, long timestampMillis, Map<String, ?> fields) {
    synchronized (this) {
      StringBuilder b = bufferOrNull();
      if (b == null) {
        return;
      }
      b.append("{\"event\":");
      JsonText.string(b, event);
      b.append(",\"timestamp\":\"");
      JsonText.isoTime(b, timestampMillis);
      b.append('"');
      for (Map.Entry<String, ?> e : fields.entrySet()) {
        b.append(',');
        JsonText.string(b, e.getKey());
        b.append(':');
        value(b, e.getValue());
      }
      b.append("}\n");
    }
  }

  private static void value(StringBuilder b, Object v) {
    if (v == null) {
      b.append("null");
    } else if (v instanceof Boolean bool) {
      b.append(bool.booleanValue());
    } else if (v instanceof Number n) {
      double d = n.doubleValue();
      if (!Double.isFinite(d)) {
        b.append("null");
      } else if (v instanceof Long || v instanceof Integer) {
        b.append(n.longValue());
      } else {
        b.append(d);
      }
    } else if (v instanceof Map<?, ?> m) {
      b.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) {
          b.append(',');
        }
        first = false;
        JsonText.string(b, String.valueOf(e.getKey()));
        b.append(':');
        value(b, e.getValue());
      }
      b.append('}');
    } else {
      JsonText.string(b, v.toString());
    }
  }

  /** Writes pending events to the file now; the flusher thread calls this periodically. */
  public void flush() {
    StringBuilder out;
    synchronized (this) {
      if (pending.isEmpty()) {
        return;
      }
      out = pending;
      pending = spare;
    }
    synchronized (flusher) {
      byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
      out.setLength(0);
      spare = out;
      try {
        rotateIfNeeded(bytes.length);
        try (OutputStream os =
            Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
          os.write(bytes);
        }
        lastError = null;
      } catch (IOException e) {
        lastError = e;
      }
    }
  }

  private void rotateIfNeeded(int incoming) throws IOException {
    if (!Files.exists(file) || Files.size(file) + incoming <= maxBytes) {
      return;
    }
    Files.deleteIfExists(sibling(maxFiles));
    for (int i = maxFiles - 1; i >= 1; i--) {
      Path from = sibling(i);
      if (Files.exists(from)) {
        Files.move(from, sibling(i + 1), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    if (maxFiles >= 1) {
      Files.move(file, sibling(1), StandardCopyOption.REPLACE_EXISTING);
    } else {
      Files.delete(file);
    }
  }

  private Path sibling(int n) {
    return file.resolveSibling(file.getFileName() + "." + n);
  }

  /** Returns the events dropped because the buffer was full or the log closed. */
  public long dropped() {
    return dropped.get();
  }

  /** Returns the last write error, or null when the last flush succeeded. */
  public IOException lastError() {
    return lastError;
  }

  /** Returns the file events are written to. */
  public Path file() {
    return file;
  }

  /** Stops the flusher and writes what is pending. */
  @Override
  public void close() {
    closed = true;
    flusher.interrupt();
    try {
      flusher.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flush();
  }

  /** Configures the events log. */
  public static final class Builder {
    private final Path file;
    private long maxBytes = 10L * 1024 * 1024;
    private int maxFiles = 5;
    private int maxBufferedChars = 1 << 20;
    private Duration flushInterval = Duration.ofMillis(200);

    private Builder(Path file) {
      this.file = Objects.requireNonNull(file, "file");
    }

    /** Rotates when the file would pass this size (default 10 MiB). */
    public Builder maxBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxBytes must be >= 1, got " + bytes);
      }
      this.maxBytes = bytes;
      return this;
    }

    /** Keeps this many rotated files (default 5); 0 keeps none. */
    public Builder maxFiles(int files) {
      if (files < 0) {
        throw new IllegalArgumentException("maxFiles must be >= 0, got " + files);
      }
      this.maxFiles = files;
      return this;
    }

    /** Drops events while more than this many characters wait for the disk (default 1 Mi). */
    public Builder maxBufferedChars(int chars) {
      if (chars < 1) {
        throw new IllegalArgumentException("maxBufferedChars must be >= 1, got " + chars);
      }
      this.maxBufferedChars = chars;
      return this;
    }

    /** How often pending events are written (default 200 ms). */
    public Builder flushInterval(Duration interval) {
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("flushInterval must be positive, got " + interval);
      }
      this.flushInterval = interval;
      return this;
    }

    /** Opens the log and starts its flusher thread. */
    public FileEventLog build() {
      return new FileEventLog(this);
    }
  }
}
