package dev.vigil.tsdb.head;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where full head chunks go: memory-mapped segment files under {@code chunks_head/}, so the head
 * keeps only each series' open chunk on the Java heap (as Prometheus m-maps full head chunks).
 *
 * <p>A spill area, not a durable artifact: it is emptied at start-up and rebuilt by WAL replay, so
 * it needs no checksums or fsync. Thread-safe; {@link #write} is serialized.
 */
public final class HeadChunkFile implements AutoCloseable {
  /*
   * A chunk ref packs segment (16 bits), length (16 bits) and offset (32 bits) into one long, so a
   * series keeps 8 bytes per full chunk and reading needs no length prefix. Segments of 64 MiB
   * hold about 500,000 chunks of 120 samples.
   */
  static final int SEGMENT_BYTES = 64 << 20;

  private final Path dir;
  private final List<MappedByteBuffer> maps = new ArrayList<>();
  private final List<Long> maxTimes = new ArrayList<>();
  private int pos = SEGMENT_BYTES;

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

  /** Copies a chunk in; returns its ref. */
  public synchronized long write(byte[] b, int len, long maxTime) {
    if (len > 0xffff) {
      throw new IllegalArgumentException("head chunk of " + len + " bytes exceeds 65535");
    }
    if (pos + len > SEGMENT_BYTES) {
      newSegment();
    }
    int seg = maps.size() - 1;
    MappedByteBuffer m = maps.get(seg);
    m.put(pos, b, 0, len);
    long ref = ((long) seg << 48) | ((long) len << 32) | pos;
    pos += len;
    if (maxTime > maxTimes.get(seg)) {
      maxTimes.set(seg, maxTime);
    }
    return ref;
  }

  private void newSegment() {
    int seg = maps.size();
    Path f = dir.resolve(String.format("%06d", seg));
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.setLength(SEGMENT_BYTES);
      maps.add(raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, SEGMENT_BYTES));
      maxTimes.add(Long.MIN_VALUE);
      pos = 0;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create head chunk segment " + f, e);
    }
  }

  /** The mapped segment of a ref; a reader keeps it so a later truncation cannot unmap it. */
  public synchronized MappedByteBuffer segment(long ref) {
    MappedByteBuffer m = maps.get((int) (ref >>> 48));
    if (m == null) {
      throw new IllegalStateException("head chunk segment " + (ref >>> 48) + " was truncated");
    }
    return m;
  }

  /** Reads a chunk's bytes from its segment. */
  public static byte[] read(MappedByteBuffer seg, long ref) {
    int len = (int) ((ref >>> 32) & 0xffff);
    byte[] out = new byte[len];
    seg.get((int) ref, out, 0, len);
    return out;
  }

  /** Deletes full segments whose chunks all end before {@code mint}. */
  public synchronized void truncateBefore(long mint) throws IOException {
    for (int i = 0; i < maps.size() - 1; i++) {
      if (maps.get(i) != null && maxTimes.get(i) < mint) {
        maps.set(i, null); // mapping lives on in readers that still hold it
        Files.deleteIfExists(dir.resolve(String.format("%06d", i)));
      }
    }
  }

  /** Bytes of live segments. */
  public synchronized long sizeBytes() {
    return maps.stream().filter(m -> m != null).count() * (long) SEGMENT_BYTES;
  }

  @Override
  public synchronized void close() {
    maps.clear();
  }
}
