package dev.vigil.tsdb.wal;

import dev.vigil.tsdb.wal.WalReaders.WalPosition;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * Reads the WAL's records from a position onwards while it is being written, for remote write: a
 * reader that follows the writer, segment after segment.
 *
 * <pre>{@code
 * WalTail tail = WalTail.at(walDir, position, warn);
 * int n = tail.read((type, b, off, len) -> ..., 10_000);   // 0 when caught up
 * WalPosition p = tail.position();                        // after the last record handed out
 * }</pre>
 *
 * <p>Not thread-safe: one reader per tail.
 */
public final class WalTail {
  /*
   * The writer appends whole frames with one write(2), but a read racing it can see a frame's
   * header before its payload. An incomplete frame, or one whose CRC does not match, at the end
   * of the newest segment is therefore "not written yet": the tail stays before it and tries
   * again. In a segment that has a successor the same frame is damage: reported and the rest of
   * that segment skipped, as replay does.
   */
  private final Path dir;
  private final Consumer<String> warn;
  private final CRC32C crc = new CRC32C();
  private int segment;
  private long offset;
  private byte[] buf = new byte[1 << 16];

  private WalTail(Path dir, int segment, long offset, Consumer<String> warn) {
    this.dir = dir;
    this.segment = segment;
    this.offset = offset;
    this.warn = warn;
  }

  /**
   * A tail at {@code p}; when that segment was deleted, at the start of the oldest segment after it
   * (with a warning: records were lost to this reader).
   */
  public static WalTail at(Path walDir, WalPosition p, Consumer<String> warn) throws IOException {
    List<Integer> segs = WalFiles.segments(walDir);
    if (!segs.isEmpty() && !segs.contains(p.segment())) {
      int next = segs.stream().filter(s -> s > p.segment()).findFirst().orElse(-1);
      if (next > 0) {
        warn.accept(
            "WAL segment "
                + p.segment()
                + " of a reader's position is gone; reading on from segment "
                + next);
        return new WalTail(walDir, next, 0, warn);
      }
    }
    return new WalTail(walDir, p.segment(), p.offset(), warn);
  }

  /** The position at the end of the newest segment (where a new reader starts). */
  public static WalPosition end(Path walDir) throws IOException {
    List<Integer> segs = WalFiles.segments(walDir);
    if (segs.isEmpty()) {
      return new WalPosition(1, 0);
    }
    int last = segs.get(segs.size() - 1);
    return new WalPosition(last, Files.size(WalFiles.segmentPath(walDir, last)));
  }

  /** The position of the next record this tail reads. */
  public WalPosition position() {
    return new WalPosition(segment, offset);
  }

  /**
   * Hands out up to about {@code maxBytes} of complete records (at least one when any is available)
   * and returns how many; 0 when the tail is at the end of the newest segment.
   */
  public int read(WalReader.Handler handler, int maxBytes) throws IOException {
    int n = 0;
    while (n == 0) {
      Path f = WalFiles.segmentPath(dir, segment);
      long size = Files.isRegularFile(f) ? Files.size(f) : -1;
      if (size > offset) {
        n = readFrom(f, size, handler, maxBytes);
        if (n > 0) {
          return n;
        }
      }
      // Nothing complete here: move on only when a later segment exists (the writer rolled).
      int next = nextSegment();
      if (next < 0) {
        return 0;
      }
      long now = Files.isRegularFile(f) ? Files.size(f) : -1;
      if (now > offset && now != size) {
        continue; // the segment grew meanwhile: read the rest before moving on
      }
      if (now > offset) {
        warn.accept(
            "WAL "
                + f
                + ": damaged or incomplete record at offset "
                + offset
                + "; skipped the remaining "
                + (now - offset)
                + " bytes of this segment");
      }
      segment = next;
      offset = 0;
    }
    return n;
  }

  private int nextSegment() throws IOException {
    for (int s : WalFiles.segments(dir)) {
      if (s > segment) {
        return s;
      }
    }
    return -1;
  }

  private int readFrom(Path f, long size, WalReader.Handler h, int maxBytes) throws IOException {
    int want = (int) Math.min(size - offset, Math.max(maxBytes, RecordEncoder.HEADER));
    try (RandomAccessFile file = new RandomAccessFile(f.toFile(), "r")) {
      if (buf.length < want) {
        buf = new byte[want];
      }
      file.seek(offset);
      int got = file.read(buf, 0, want);
      if (got <= 0) {
        return 0;
      }
      int pos = 0;
      int n = 0;
      while (got - pos >= RecordEncoder.HEADER) {
        int len = readInt(buf, pos + 1);
        if (len < 0) {
          return n;
        }
        if (len > got - pos - RecordEncoder.HEADER) {
          long frameEnd = offset + RecordEncoder.HEADER + len;
          if (n == 0 && frameEnd <= size) {
            // One record larger than the buffer: read it whole.
            buf = new byte[(int) (RecordEncoder.HEADER + len)];
            file.seek(offset);
            got = file.read(buf, 0, buf.length);
            continue;
          }
          return n;
        }
        crc.reset();
        crc.update(buf, pos + RecordEncoder.HEADER, len);
        if ((int) crc.getValue() != readInt(buf, pos + 5)) {
          return n;
        }
        h.record(buf[pos], buf, pos + RecordEncoder.HEADER, len);
        n++;
        pos += RecordEncoder.HEADER + len;
        offset += RecordEncoder.HEADER + len;
      }
      return n;
    }
  }

  /**
   * Reads only the SERIES records before {@code p} (the newest checkpoint's, then every segment's
   * up to {@code p}), so a reader that restarts knows the labels of the refs it meets.
   */
  public static void seriesBefore(Path walDir, WalPosition p, WalReader.Handler h)
      throws IOException {
    int cp = WalFiles.latestCheckpoint(walDir);
    if (cp > 0) {
      readSeries(WalFiles.checkpointPath(walDir, cp), Long.MAX_VALUE, h);
    }
    for (int s : WalFiles.segments(walDir)) {
      if (s > p.segment()) {
        break;
      }
      readSeries(
          WalFiles.segmentPath(walDir, s), s == p.segment() ? p.offset() : Long.MAX_VALUE, h);
    }
  }

  private static void readSeries(Path f, long upTo, WalReader.Handler h) throws IOException {
    byte[] b;
    try {
      b = Files.readAllBytes(f);
    } catch (java.nio.file.NoSuchFileException e) {
      return; // deleted by a checkpoint meanwhile: its live series are in the checkpoint
    }
    int end = (int) Math.min(b.length, upTo);
    int pos = 0;
    while (end - pos >= RecordEncoder.HEADER) {
      int len = readInt(b, pos + 1);
      if (len < 0 || len > end - pos - RecordEncoder.HEADER) {
        return;
      }
      if (b[pos] == RecordType.SERIES) {
        h.record(b[pos], b, pos + RecordEncoder.HEADER, len);
      }
      pos += RecordEncoder.HEADER + len;
    }
  }

  private static int readInt(byte[] b, int at) {
    return ((b[at] & 0xff) << 24)
        | ((b[at + 1] & 0xff) << 16)
        | ((b[at + 2] & 0xff) << 8)
        | (b[at + 3] & 0xff);
  }
}
