package dev.vigil.tsdb.wal;

import java.io.IOException;
import java.io.RandomAccessFile;
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
 * Wal wal = Wal.open(dir.resolve("wal"), FsyncPolicy.INTERVAL, 1000, 128 << 20, nanos -> {});
 * wal.write(encoder.buffer(), encoder.length());   // returns once the bytes are in the file
 * }</pre>
 *
 * <p>Thread-safe. {@link #write} returns once its bytes are in the segment file (in the page
 * cache), so a killed process loses nothing written; what a power cut loses depends on the {@link
 * FsyncPolicy}.
 */
public final class Wal implements AutoCloseable {
  /*
   * Group commit: a writer queues its buffer, then takes the lock; whoever holds the lock drains
   * the whole queue in one gathering write (and, under PER_COMMIT, one fsync for all of them).
   * Writers that find their buffer already written by the lock holder return without writing.
   * Records never span segments: a segment is rolled before a write that would overflow it.
   */
  private static final class Pending {
    final byte[] buf;
    final int len;
    volatile boolean done;
    volatile IOException error;

    Pending(byte[] buf, int len) {
      this.buf = buf;
      this.len = len;
    }
  }

  private final Path dir;
  private final FsyncPolicy policy;
  private final long segmentBytes;
  private final LongConsumer fsyncNanos;
  private final ReentrantLock lock = new ReentrantLock();
  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final ScheduledExecutorService syncer;
  // RandomAccessFile, not FileChannel: an interrupted appender thread must not close the WAL
  // (FileChannel is interruptible and closes itself when a thread doing I/O on it is interrupted).
  private RandomAccessFile ch;
  private byte[] batchBuf = new byte[1 << 16];
  private int segment;
  private long segmentSize;
  private volatile boolean dirty;

  private Wal(Path dir, FsyncPolicy policy, long intervalMs, long segmentBytes, LongConsumer m)
      throws IOException {
    this.dir = dir;
    this.policy = policy;
    this.segmentBytes = segmentBytes;
    this.fsyncNanos = m;
    Files.createDirectories(dir);
    List<Integer> segs = WalFiles.segments(dir);
    segment = segs.isEmpty() ? 1 : segs.get(segs.size() - 1) + 1;
    if (!segs.isEmpty() && Files.size(WalFiles.segmentPath(dir, segment - 1)) == 0) {
      segment--; // reuse an empty last segment rather than leave empty files behind
    }
    int cp = WalFiles.latestCheckpoint(dir);
    segment = Math.max(segment, cp + 1);
    openSegment();
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

  private static final TimeUnit MILLIS = TimeUnit.MILLISECONDS;

  /** Opens the WAL in {@code dir}, starting a new segment after any existing ones. */
  public static Wal open(
      Path dir, FsyncPolicy policy, long intervalMs, long segmentBytes, LongConsumer fsyncNanos)
      throws IOException {
    return new Wal(dir, policy, intervalMs, segmentBytes, fsyncNanos);
  }

  /**
   * Writes framed records {@code b[0, len)}; returns once they are in the file (and on disk under
   * {@link FsyncPolicy#PER_COMMIT}).
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
    if (p.error != null) {
      throw new UncheckedIOException("WAL write to segment " + segment + " failed", p.error);
    }
  }

  private void drain() {
    List<Pending> batch = new ArrayList<>();
    long bytes = 0;
    for (Pending q; (q = queue.poll()) != null; ) {
      batch.add(q);
      bytes += q.len;
    }
    IOException err = null;
    try {
      if (segmentSize > 0 && segmentSize + bytes > segmentBytes) {
        rollLocked();
      }
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
      segmentSize += bytes;
      dirty = true;
      if (policy == FsyncPolicy.PER_COMMIT) {
        force(ch);
      }
    } catch (IOException e) {
      err = e;
    }
    for (Pending q : batch) {
      q.error = err;
      q.done = true;
    }
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
      rollLocked();
      return closed;
    } catch (IOException e) {
      throw new UncheckedIOException("WAL segment roll failed in " + dir, e);
    } finally {
      lock.unlock();
    }
  }

  private void rollLocked() throws IOException {
    force(ch);
    ch.close();
    segment++;
    openSegment();
  }

  private void openSegment() throws IOException {
    ch = new RandomAccessFile(WalFiles.segmentPath(dir, segment).toFile(), "rw");
    segmentSize = ch.length();
    ch.seek(segmentSize);
    WalFiles.fsyncDir(dir);
  }

  private void force(RandomAccessFile c) throws IOException {
    long t0 = System.nanoTime();
    dirty = false; // before the sync: a write during it sets it again
    c.getFD().sync();
    fsyncNanos.accept(System.nanoTime() - t0);
  }

  private void syncIfDirty() {
    if (!dirty) {
      return;
    }
    RandomAccessFile c;
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
      } finally {
        lock.unlock();
      }
      System.err.println("vigil-tsdb: WAL fsync failed: " + e);
    }
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
    try {
      force(ch);
      ch.close();
    } finally {
      lock.unlock();
    }
  }
}
