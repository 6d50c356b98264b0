package dev.vigil.tsdb.wal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * Replays the WAL: the newest checkpoint, then every later segment, record by record in order.
 *
 * <p>A record whose frame is incomplete or whose CRC does not match ends the file it is in. In the
 * last segment that is a torn write from a crash: the file is cut at the record's offset (and the
 * cut reported), so new writes follow good data. Anywhere else it is damage: reported by file and
 * offset, the rest of that file skipped, later files still read.
 */
public final class WalReader {
  /** Receives each intact record. */
  @FunctionalInterface
  public interface Handler {
    void record(byte type, byte[] buf, int off, int len);
  }

  private WalReader() {}

  /**
   * Replays {@code dir}; returns the number of records read. Problems go to {@code warn}.
   *
   * @throws IOException when a file cannot be read at all
   */
  public static long replay(Path dir, Handler handler, Consumer<String> warn) throws IOException {
    return replay(dir, handler, warn, null);
  }

  /** Notified of the segments a replay reads, for progress reports. */
  public interface SegmentListener {
    /** Before reading: the first and last segment after the checkpoint (called once). */
    void range(int first, int last);

    /** Before reading segment {@code n}. */
    void reading(int n);
  }

  /**
   * Like {@link #replay(Path, Handler, Consumer)}, telling {@code listener} (when not null) which
   * segments it reads.
   */
  public static long replay(
      Path dir, Handler handler, Consumer<String> warn, SegmentListener listener)
      throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    int cp = WalFiles.latestCheckpoint(dir);
    long n = 0;
    if (cp > 0) {
      n += readFile(WalFiles.checkpointPath(dir, cp), false, handler, warn);
    }
    List<Integer> segs = WalFiles.segments(dir).stream().filter(s -> s > cp).toList();
    int last = segs.isEmpty() ? -1 : segs.get(segs.size() - 1);
    if (listener != null && !segs.isEmpty()) {
      listener.range(segs.get(0), last);
    }
    for (int s : segs) {
      if (listener != null) {
        listener.reading(s);
      }
      n += readFile(WalFiles.segmentPath(dir, s), s == last, handler, warn);
    }
    return n;
  }

  private static long readFile(Path f, boolean tail, Handler h, Consumer<String> warn)
      throws IOException {
    byte[] b = Files.readAllBytes(f);
    CRC32C crc = new CRC32C();
    int pos = 0;
    long n = 0;
    while (pos < b.length) {
      String problem = null;
      int len = 0;
      if (b.length - pos < RecordEncoder.HEADER) {
        problem = "incomplete record header";
      } else {
        len = readInt(b, pos + 1);
        if (len < 0 || len > b.length - pos - RecordEncoder.HEADER) {
          problem = "record length " + len + " runs past the end of the file";
        } else {
          crc.reset();
          crc.update(b, pos + RecordEncoder.HEADER, len);
          if ((int) crc.getValue() != readInt(b, pos + 5)) {
            problem = "CRC mismatch";
          }
        }
      }
      if (problem != null) {
        if (tail) {
          warn.accept(
              "WAL "
                  + f
                  + ": torn record at offset "
                  + pos
                  + " ("
                  + problem
                  + "); cut "
                  + (b.length - pos)
                  + " bytes off the end");
          try (FileChannel c = FileChannel.open(f, StandardOpenOption.WRITE)) {
            c.truncate(pos);
            c.force(true);
          }
        } else {
          warn.accept(
              "WAL "
                  + f
                  + ": damaged record at offset "
                  + pos
                  + " ("
                  + problem
                  + "); skipped the remaining "
                  + (b.length - pos)
                  + " bytes of this file");
        }
        return n;
      }
      try {
        h.record(b[pos], b, pos + RecordEncoder.HEADER, len);
      } catch (RuntimeException e) {
        warn.accept("WAL " + f + ": unreadable record at offset " + pos + ": " + e.getMessage());
      }
      n++;
      pos += RecordEncoder.HEADER + len;
    }
    return n;
  }

  private static int readInt(byte[] b, int at) {
    return ((b[at] & 0xff) << 24)
        | ((b[at + 1] & 0xff) << 16)
        | ((b[at + 2] & 0xff) << 8)
        | (b[at + 3] & 0xff);
  }
}
