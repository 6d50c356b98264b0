package dev.vigil.tsdb.head;

import dev.vigil.model.StorageWriteException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * Where full head chunks go: segment files under {@code chunks_head/}, memory-mapped for reading,
 * so the head keeps only each series' open chunk on the Java heap (as Prometheus m-maps full head
 * chunks).
 *
 * <p>A spill area, not a durable artifact: it is emptied at start-up and rebuilt by WAL replay, so
 * it needs no checksums or fsync. Thread-safe; {@link #write} is serialized. {@link #write} never
 * fails for lack of disk space: when the file system refuses a chunk, the chunk (and the ones after
 * it, until a new segment file can be written) is kept in a heap segment instead, the failure is
 * reported once to the listener, and the next segment tries the disk again.
 */
public final class HeadChunkFile implements AutoCloseable {
  /*
   * A chunk ref packs segment (16 bits), length (16 bits) and offset (32 bits) into one long, so a
   * series keeps 8 bytes per full chunk and reading needs no length prefix. Segments of 64 MiB
   * hold about 500,000 chunks of 120 samples.
   *
   * Chunks are written with write(2), never stored through the mapping. A segment file is sparse
   * (setLength), and a store through a mapping into a hole needs a block: on a full file system
   * the kernel answers with SIGBUS, which the JVM turns into an InternalError at an arbitrary
   * later access. write(2) into the hole fails with ENOSPC instead, before the ref exists; the
   * mapping only ever reads bytes a successful write put there (the page cache is shared, so the
   * read-only mapping sees them).
   *
   * The chunk was accepted by the head (and is in the WAL) when it is spilled, so a failed spill
   * cannot refuse anything: the chunk goes to a heap segment of HEAP_SEGMENT_BYTES, and a full
   * heap segment is followed by an attempt at a new file segment. Refs look the same for both
   * kinds; readers get a ByteBuffer either way.
   */
  static final int SEGMENT_BYTES = 64 << 20;

  static final int HEAP_SEGMENT_BYTES = 1 << 20;

  private final Path dir;
  private final List<ByteBuffer> maps = new ArrayList<>();
  private final List<Long> maxTimes = new ArrayList<>();
  private RandomAccessFile file; // the current segment's file; null for a heap segment
  private Path filePath;
  private int pos = SEGMENT_BYTES;
  private int limit = SEGMENT_BYTES;
  private boolean failing;
  private BiConsumer<StorageWriteException, Boolean> failures = (e, first) -> {};

  public HeadChunkFile(Path dir) throws IOException {
    this.dir = dir;
    if (Files.isDirectory(dir)) {
      try (Stream<Path> s = Files.list(dir)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(dir);
  }

  /**
   * Tells {@code listener} about each chunk the file system refused (kept in memory instead), with
   * {@code true} for the first of a run of failures.
   */
  public synchronized void onWriteFailure(BiConsumer<StorageWriteException, Boolean> listener) {
    this.failures = listener;
  }

  /** Copies a chunk in; returns its ref. */
  public synchronized long write(byte[] b, int len, long maxTime) {
    if (len > 0xffff) {
      throw new IllegalArgumentException("head chunk of " + len + " bytes exceeds 65535");
    }
    if (pos + len > limit) {
      newSegment();
    }
    int seg = maps.size() - 1;
    if (file != null) {
      try {
        file.seek(pos);
        file.write(b, 0, len);
        failing = false;
      } catch (IOException e) {
        reportFailure(
            e, filePath, "write of " + len + " bytes to " + filePath + " at offset " + pos, len);
        newHeapSegment();
        seg = maps.size() - 1;
      }
    }
    if (file == null) {
      maps.get(seg).put(pos, b, 0, len);
    }
    long ref = ((long) seg << 48) | ((long) len << 32) | pos;
    pos += len;
    if (maxTime > maxTimes.get(seg)) {
      maxTimes.set(seg, maxTime);
    }
    return ref;
  }

  private void newSegment() {
    closeFile();
    int seg = maps.size();
    Path f = dir.resolve(String.format("%06d", seg));
    RandomAccessFile raf = null;
    try {
      raf = new RandomAccessFile(f.toFile(), "rw");
      raf.setLength(SEGMENT_BYTES);
      maps.add(raf.getChannel().map(FileChannel.MapMode.READ_ONLY, 0, SEGMENT_BYTES));
      maxTimes.add(Long.MIN_VALUE);
      file = raf;
      filePath = f;
      pos = 0;
      limit = SEGMENT_BYTES;
    } catch (IOException e) {
      if (raf != null) {
        try {
          raf.close();
        } catch (IOException ignored) {
          // nothing was written to it
        }
      }
      reportFailure(e, f, "creating head chunk segment " + f, SEGMENT_BYTES);
      newHeapSegment();
    }
  }

  private void newHeapSegment() {
    closeFile();
    maps.add(ByteBuffer.allocate(HEAP_SEGMENT_BYTES));
    maxTimes.add(Long.MIN_VALUE);
    pos = 0;
    limit = HEAP_SEGMENT_BYTES;
  }

  private void closeFile() {
    if (file != null) {
      try {
        file.close(); // the mapping stays valid without the descriptor
      } catch (IOException ignored) {
        // read-only from here on through the mapping
      }
      file = null;
      filePath = null;
    }
  }

  private void reportFailure(IOException e, Path file, String what, long bytes) {
    StorageWriteException.Reason r = StorageWriteException.classify(e, file, bytes);
    StorageWriteException ex =
        new StorageWriteException(
            r,
            "head chunk file: "
                + what
                + " failed: "
                + (r == StorageWriteException.Reason.NO_SPACE
                    ? "no space left on device"
                    : e.getMessage())
                + "; full chunks are kept in memory until a segment file can be written",
            e);
    boolean first = !failing;
    failing = true;
    failures.accept(ex, first);
  }

  /** The segment of a ref; a reader keeps it so a later truncation cannot unmap it. */
  public synchronized ByteBuffer segment(long ref) {
    ByteBuffer m = maps.get((int) (ref >>> 48));
    if (m == null) {
      throw new IllegalStateException("head chunk segment " + (ref >>> 48) + " was truncated");
    }
    return m;
  }

  /** Reads a chunk's bytes from its segment. */
  public static byte[] read(ByteBuffer seg, long ref) {
    int len = (int) ((ref >>> 32) & 0xffff);
    byte[] out = new byte[len];
    seg.get((int) ref, out, 0, len);
    return out;
  }

  /** Deletes full segments whose chunks all end before {@code mint}. */
  public synchronized void truncateBefore(long mint) throws IOException {
    for (int i = 0; i < maps.size() - 1; i++) {
      ByteBuffer m = maps.get(i);
      if (m != null && maxTimes.get(i) < mint) {
        maps.set(i, null); // mapping lives on in readers that still hold it
        if (m.isDirect()) {
          Files.deleteIfExists(dir.resolve(String.format("%06d", i)));
        }
      }
    }
  }

  /** Bytes of live segments (files and heap segments). */
  public synchronized long sizeBytes() {
    return maps.stream().filter(m -> m != null).mapToLong(ByteBuffer::capacity).sum();
  }

  /** Bytes of live heap segments: chunks the file system refused. */
  public synchronized long heapBytes() {
    return maps.stream().filter(m -> m != null && !m.isDirect()).mapToLong(m -> m.capacity()).sum();
  }

  @Override
  public synchronized void close() {
    closeFile();
    maps.clear();
  }
}
