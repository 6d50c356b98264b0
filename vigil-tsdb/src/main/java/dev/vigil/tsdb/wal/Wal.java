package dev.vigil.tsdb.wal;

import dev.vigil.model.StorageWriteException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;

/**
 * The write-ahead log: numbered segment files of framed records, written with group commit.
 *
 * <pre>{@code
 * Wal wal = Wal.open(dir.resolve("wal"), FsyncPolicy.INTERVAL, 1000, 128 << 20, WalEvents.NONE);
 * wal.write(encoder.buffer(), encoder.length());   // returns once the bytes are in the file
 * }</pre>
 *
 * <p>Thread-safe. {@link #write} returns once all its bytes are in the segment file (in the page
 * cache), so a killed process loses nothing written; what a power cut loses depends on the {@link
 * FsyncPolicy}. A write that fails (a full disk, an I/O error, under {@link FsyncPolicy#PER_COMMIT}
 * a failed fsync) throws {@link StorageWriteException} and leaves none of its bytes in the log: the
 * segment is cut back to the end of the last good record before anything else is written, so a
 * later write never follows a torn one. The next write simply tries again; nothing needs reopening
 * when space returns.
 */
public final class Wal implements AutoCloseable {
  /*
   * Group commit: a writer queues its buffer, then takes the lock; whoever holds the lock drains
   * the whole queue in one gathering write (and, under PER_COMMIT, one fsync for all of them).
   * Writers that find their buffer already written by the lock holder return without writing.
   * Records never span segments: a segment is rolled before a write that would overflow it.
   *
   * Failure: `segmentSize` is the end of the last record whose write completed (and, under
   * PER_COMMIT, was fsynced). A failed write(2) may have left a prefix of the group in the file,
   * and a write after it would hide behind it: replay stops at the first bad CRC of the last
   * segment and cuts the rest. So the whole group fails (every writer in it gets the exception,
   * none is acknowledged) and the file is truncated back to `segmentSize`. Shrinking a file needs
   * no free space; if even that fails, `rewind` stays set and every later write first retries the
   * truncation and fails while it cannot.
   *
   * A failed fsync under PER_COMMIT fails the group the same way: Linux may have dropped the dirty
   * pages and will not report it twice, so the bytes cannot be trusted to reach the disk. A failed
   * background fsync (INTERVAL) or fsync at a roll (SEGMENT_CLOSE) concerns writes already
   * acknowledged: it is reported (WalEvents) and the WAL goes on, as the policy only promised
   * those writes against a killed process, which the page cache still covers.
   *
   * A roll opens the next segment before closing the current one, so a failure to create the file
   * leaves the WAL writing where it was.
   */

  /** Opens a segment file; tests inject failing files through it. */
  @FunctionalInterface
  interface SegmentOpener {
    SegmentFile open(Path path) throws IOException;
  }

  private static final class Pending {
    final byte[] buf;
    final int len;
    volatile boolean done;
    volatile StorageWriteException error;

    Pending(byte[] buf, int len) {
      this.buf = buf;
      this.len = len;
    }
  }

  private static final TimeUnit MILLIS = TimeUnit.MILLISECONDS;

  private final Path dir;
  private final FsyncPolicy policy;
  private final long segmentBytes;
  private final WalEvents events;
  private final SegmentOpener opener;
  private final ReentrantLock lock = new ReentrantLock();
  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final ScheduledExecutorService syncer;
  private SegmentFile ch;
  private byte[] batchBuf = new byte[1 << 16];
  private int segment;
  private long segmentSize;
  private boolean rewind;
  private long failedInARow;
  private volatile boolean dirty;

  private Wal(
      Path dir,
      FsyncPolicy policy,
      long intervalMs,
      long segmentBytes,
      WalEvents events,
      SegmentOpener opener)
      throws IOException {
    this.dir = dir;
    this.policy = policy;
    this.segmentBytes = segmentBytes;
    this.events = events;
    this.opener = opener;
    Files.createDirectories(dir);
    List<Integer> segs = WalFiles.segments(dir);
    segment = segs.isEmpty() ? 1 : segs.get(segs.size() - 1) + 1;
    if (!segs.isEmpty() && Files.size(WalFiles.segmentPath(dir, segment - 1)) == 0) {
      segment--; // reuse an empty last segment rather than leave empty files behind
    }
    int cp = WalFiles.latestCheckpoint(dir);
    segment = Math.max(segment, cp + 1);
    ch = openSegment(segment);
    segmentSize = ch.size();
    if (policy == FsyncPolicy.INTERVAL) {
      syncer =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "vigil-wal-fsync");
                t.setDaemon(true);
                return t;
              });
      syncer.scheduleWithFixedDelay(this::syncIfDirty, intervalMs, intervalMs, MILLIS);
    } else {
      syncer = null;
    }
  }

  /** Opens the WAL in {@code dir}, starting a new segment after any existing ones. */
  public static Wal open(
      Path dir, FsyncPolicy policy, long intervalMs, long segmentBytes, WalEvents events)
      throws IOException {
    return new Wal(dir, policy, intervalMs, segmentBytes, events, SegmentFile::new);
  }

  /** Like {@link #open(Path, FsyncPolicy, long, long, WalEvents)}, reporting only fsync times. */
  public static Wal open(
      Path dir, FsyncPolicy policy, long intervalMs, long segmentBytes, LongConsumer fsyncNanos)
      throws IOException {
    return open(
        dir,
        policy,
        intervalMs,
        segmentBytes,
        new WalEvents() {
          @Override
          public void fsynced(long nanos) {
            fsyncNanos.accept(nanos);
          }
        });
  }

  static Wal open(
      Path dir,
      FsyncPolicy policy,
      long intervalMs,
      long segmentBytes,
      WalEvents events,
      SegmentOpener opener)
      throws IOException {
    return new Wal(dir, policy, intervalMs, segmentBytes, events, opener);
  }

  /**
   * Writes framed records {@code b[0, len)}; returns once they are in the file (and on disk under
   * {@link FsyncPolicy#PER_COMMIT}).
   *
   * @throws StorageWriteException when the bytes could not be written; none of them is in the log
   */
  public void write(byte[] b, int len) {
    Pending p = new Pending(b, len);
    queue.add(p);
    lock.lock();
    try {
      if (!p.done) {
        drain();
      }
    } finally {
      lock.unlock();
    }
    StorageWriteException e = p.error;
    if (e != null) {
      // One exception per caller: the group's instance is shared by every writer in it.
      throw new StorageWriteException(e.reason(), e.getMessage(), e.getCause());
    }
  }

  private void drain() {
    List<Pending> batch = new ArrayList<>();
    long bytes = 0;
    for (Pending q; (q = queue.poll()) != null; ) {
      batch.add(q);
      bytes += q.len;
    }
    StorageWriteException err = null;
    String step = "rewind";
    try {
      if (rewind) {
        ch.truncate(segmentSize);
        rewind = false;
      }
      step = "roll";
      if (segmentSize > 0 && segmentSize + bytes > segmentBytes) {
        rollLocked();
      }
      step = "write";
      if (batch.size() == 1) {
        ch.write(batch.get(0).buf, 0, batch.get(0).len);
      } else {
        if (bytes > batchBuf.length) {
          batchBuf = new byte[(int) Math.max(bytes, batchBuf.length * 2L)];
        }
        int off = 0;
        for (Pending q : batch) {
          System.arraycopy(q.buf, 0, batchBuf, off, q.len);
          off += q.len;
        }
        ch.write(batchBuf, 0, off); // one write(2) for the whole group
      }
      if (policy == FsyncPolicy.PER_COMMIT) {
        step = "fsync";
        dirty = true;
        force(ch);
      }
      segmentSize += bytes;
      dirty = true;
      if (failedInARow > 0) {
        events.writesResumed(failedInARow);
        failedInARow = 0;
      }
    } catch (IOException e) {
      err = failed(e, step, bytes);
    }
    for (Pending q : batch) {
      q.error = err;
      q.done = true;
    }
  }

  /** Cuts whatever the failed step left after the last good record, and describes the failure. */
  private StorageWriteException failed(IOException e, String step, long bytes) {
    if (!step.equals("roll") && !step.equals("rewind")) {
      try {
        ch.truncate(segmentSize);
      } catch (IOException t) {
        e.addSuppressed(t);
        rewind = true;
      }
    }
    StorageWriteException.Reason reason =
        step.equals("fsync")
            ? StorageWriteException.Reason.FSYNC
            : StorageWriteException.classify(e, ch.path(), bytes);
    String what =
        switch (step) {
          case "rewind" -> "WAL cannot cut " + ch.path() + " back to offset " + segmentSize;
          case "roll" -> "WAL cannot start segment " + (segment + 1) + " in " + dir;
          case "fsync" -> "WAL fsync of " + ch.path() + " failed";
          default -> "WAL write of " + bytes + " bytes to " + ch.path() + " failed";
        };
    String where =
        rewind
            ? "; the segment could not be cut back to offset "
                + segmentSize
                + " and writes fail until it can"
            : "; nothing was written, the segment still ends at offset " + segmentSize;
    StorageWriteException ex =
        new StorageWriteException(
            reason,
            what
                + ": "
                + (reason == StorageWriteException.Reason.NO_SPACE
                    ? "no space left on device"
                    : String.valueOf(e.getMessage()))
                + where,
            e);
    events.writeFailed(ex, failedInARow++ == 0);
    return ex;
  }

  /**
   * Closes the current segment (fsyncing it) and starts the next; returns the number of the closed
   * one. Everything written before is in segments up to that number.
   */
  public int roll() {
    lock.lock();
    try {
      for (Pending q; (q = queue.peek()) != null && !q.done; ) {
        drain();
      }
      int closed = segment;
      if (rewind) {
        ch.truncate(segmentSize);
        rewind = false;
      }
      rollLocked();
      return closed;
    } catch (IOException e) {
      throw new UncheckedIOException("WAL segment roll failed in " + dir, e);
    } finally {
      lock.unlock();
    }
  }

  private void rollLocked() throws IOException {
    SegmentFile next = openSegment(segment + 1); // first: a failure leaves the WAL as it was
    SegmentFile old = ch;
    try {
      force(old);
    } catch (IOException e) {
      // The old segment's writes were acknowledged already; say so and go on.
      events.writeFailed(
          new StorageWriteException(
              StorageWriteException.Reason.FSYNC,
              "WAL fsync of " + old.path() + " failed when closing it: " + e.getMessage(),
              e),
          true);
    }
    ch = next;
    segment++;
    segmentSize = next.size();
    try {
      old.close();
    } catch (IOException ignored) {
      // the descriptor is released either way; its data was written (and fsync reported above)
    }
  }

  private SegmentFile openSegment(int n) throws IOException {
    SegmentFile f = opener.open(WalFiles.segmentPath(dir, n));
    try {
      WalFiles.fsyncDir(dir);
    } catch (IOException e) {
      f.close();
      throw e;
    }
    return f;
  }

  private void force(SegmentFile c) throws IOException {
    long t0 = System.nanoTime();
    dirty = false; // before the sync: a write during it sets it again
    try {
      c.sync();
    } catch (IOException e) {
      dirty = true;
      throw e;
    }
    events.fsynced(System.nanoTime() - t0);
  }

  private void syncIfDirty() {
    if (!dirty) {
      return;
    }
    SegmentFile c;
    lock.lock();
    try {
      c = ch;
    } finally {
      lock.unlock();
    }
    try {
      force(c);
    } catch (IOException e) {
      lock.lock();
      try {
        if (c != ch) {
          return; // rolled meanwhile: the roll fsynced it
        }
        events.writeFailed(
            new StorageWriteException(
                StorageWriteException.Reason.FSYNC,
                "WAL background fsync of " + c.path() + " failed: " + e.getMessage(),
                e),
            true);
      } finally {
        lock.unlock();
      }
    }
  }

  /** Writes queued but not yet taken by a lock holder (for tests of group commit). */
  int queuedWrites() {
    return queue.size();
  }

  /** The directory holding the segments. */
  public Path dir() {
    return dir;
  }

  /** The number of the segment being written. */
  public int currentSegment() {
    lock.lock();
    try {
      return segment;
    } finally {
      lock.unlock();
    }
  }

  /** Bytes in all segment and checkpoint files. */
  public long sizeBytes() throws IOException {
    return WalFiles.dirBytes(dir);
  }

  @Override
  public void close() throws IOException {
    if (syncer != null) {
      syncer.shutdown(); // no interrupt: the syncer may be inside an fsync
      try {
        syncer.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    lock.lock();
    try (SegmentFile last = ch) { // closed even when the cut or the fsync fails
      if (rewind) {
        last.truncate(segmentSize);
      }
      force(last);
    } finally {
      lock.unlock();
    }
  }
}
