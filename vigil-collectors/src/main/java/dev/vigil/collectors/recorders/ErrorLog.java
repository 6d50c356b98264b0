package dev.vigil.collectors.recorders;

import java.util.ArrayList;
import java.util.List;

/**
 * The last N recorded errors, newest last, for the dashboard's error log.
 *
 * {@snippet :
 * ErrorLog log = new ErrorLog(100);
 * log.add(new ErrorLog.Entry(System.currentTimeMillis(), "timeout", "no answer", "comfyui", "error"));
 * List<ErrorLog.Entry> recent = log.recent();
 * }
 *
 * <p>Thread-safe. Writing takes a short lock to store one reference; reading copies the ring.
 * Messages longer than {@link #MAX_MESSAGE_CHARS} are cut so one runaway message cannot hold
 * megabytes.
 */
public final class ErrorLog {

  /** Messages are cut to this many characters. */
  public static final int MAX_MESSAGE_CHARS = 1024;

  private final Entry[] ring;
  private long written; // guarded by this

  /**
   * One error.
   *
   * @param timestampMillis when it was recorded, epoch milliseconds
   * @param type the error type, e.g. {@code connection_timeout}
   * @param message the message, at most {@link #MAX_MESSAGE_CHARS} characters
   * @param service the service it came from
   * @param severity {@code info}, {@code warning}, {@code error} or {@code critical}
   */
  public record Entry(
      long timestampMillis, String type, String message, String service, String severity) {
    public Entry {
      if (message != null && message.length() > MAX_MESSAGE_CHARS) {
        message = message.substring(0, MAX_MESSAGE_CHARS);
      }
    }
  }

  /**
   * Creates a log keeping the last {@code capacity} errors.
   *
   * @throws IllegalArgumentException when capacity is below 1
   */
  public ErrorLog(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("error log capacity must be >= 1, got " + capacity);
    }
    this.ring = new Entry[capacity];
  }

  /** Adds an error, dropping the oldest when full. */
  public synchronized void add(Entry e) {
    ring[(int) (written % ring.length)] = e;
    written++;
  }

  /** Returns the kept errors, oldest first. */
  public synchronized List<Entry> recent() {
    int n = (int) Math.min(written, ring.length);
    List<Entry> out = new ArrayList<>(n);
    for (long i = written - n; i < written; i++) {
      out.add(ring[(int) (i % ring.length)]);
    }
    return out;
  }

  /** Returns how many errors were ever added. */
  public synchronized long total() {
    return written;
  }
}
