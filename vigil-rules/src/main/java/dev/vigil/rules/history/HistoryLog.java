package dev.vigil.rules.history;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * The alert history's files: numbered segments ({@code 00000001.log}, …) of length-prefixed records
 * with a CRC-32C each (docs/format/alert-history.md). Appends go to the newest segment, which is
 * rotated at {@code segmentBytes}; whole segments are dropped from the oldest for retention.
 *
 * <p>A record is written to the file before {@link #append} returns, so a killed process loses no
 * appended record; with {@code fsyncEach} it is also on the disk, otherwise {@link #sync} (called
 * on the WAL's fsync interval) puts it there. Opening cuts a torn tail (a record cut short or with
 * a wrong CRC at the end of the newest segment, left by a crash mid-write). Not thread-safe: {@link
 * AlertHistory} holds its lock around every call.
 */
final class HistoryLog implements Closeable {
  /** Larger than any alert's record (labels and annotations are bounded by the rule file). */
  static final int MAX_RECORD = 1 << 20;

  static final int HEADER = 8;

  /** One record read at open, with the segment it is in. */
  record Record(int segment, byte[] payload) {}

  private final Path dir;
  private final long segmentBytes;
  private final boolean fsyncEach;
  private final Consumer<String> log;

  /** Segment number → size in bytes, oldest first. */
  private final TreeMap<Integer, Long> segments = new TreeMap<>();

  private FileChannel current;
  private int currentSegment;
  private boolean dirty;

  /** A failed write left bytes that could not be taken back: the next append starts a segment. */
  private boolean broken;

  HistoryLog(Path dir, long segmentBytes, boolean fsyncEach, Consumer<String> log) {
    this.dir = dir;
    this.segmentBytes = segmentBytes;
    this.fsyncEach = fsyncEach;
    this.log = log;
  }

  /** Creates the directory if needed, reads every record, cuts a torn tail; returns the records. */
  List<Record> open() throws IOException {
    Files.createDirectories(dir);
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.log")) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        String num = n.substring(0, n.length() - 4);
        if (num.length() == 8 && num.chars().allMatch(Character::isDigit)) {
          segments.put(Integer.parseInt(num), Files.size(p));
        }
      }
    }
    List<Record> out = new ArrayList<>();
    for (int seg : segments.keySet()) {
      long valid = read(seg, out);
      long size = segments.get(seg);
      if (valid < size) {
        if (seg == segments.lastKey()) {
          log.accept(
              "alert history: cutting a torn tail of "
                  + (size - valid)
                  + " bytes at offset "
                  + valid
                  + " of "
                  + path(seg));
          try (FileChannel ch = FileChannel.open(path(seg), StandardOpenOption.WRITE)) {
            ch.truncate(valid);
            ch.force(true);
          }
          segments.put(seg, valid);
        } else {
          log.accept(
              "alert history: "
                  + path(seg)
                  + " is corrupt at offset "
                  + valid
                  + "; the records after it in this segment are skipped");
        }
      }
    }
    currentSegment = segments.isEmpty() ? 1 : segments.lastKey();
    openCurrent();
    return out;
  }

  private long read(int seg, List<Record> out) throws IOException {
    byte[] all = Files.readAllBytes(path(seg));
    ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.BIG_ENDIAN);
    CRC32C crc = new CRC32C();
    int off = 0;
    while (all.length - off >= HEADER) {
      int len = b.getInt(off);
      int sum = b.getInt(off + 4);
      if (len <= 0 || len > MAX_RECORD || len > all.length - off - HEADER) {
        break;
      }
      crc.reset();
      crc.update(all, off + HEADER, len);
      if ((int) crc.getValue() != sum) {
        break;
      }
      byte[] payload = new byte[len];
      System.arraycopy(all, off + HEADER, payload, 0, len);
      out.add(new Record(seg, payload));
      off += HEADER + len;
    }
    return off;
  }

  private void openCurrent() throws IOException {
    current =
        FileChannel.open(
            path(currentSegment),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.APPEND);
    segments.putIfAbsent(currentSegment, current.size());
  }

  /** Writes one record; returns the segment it went to. */
  int append(byte[] payload) throws IOException {
    if (payload.length > MAX_RECORD) {
      throw new IOException(
          "alert history record of " + payload.length + " bytes exceeds " + MAX_RECORD);
    }
    if (broken || segments.get(currentSegment) >= segmentBytes) {
      rotate();
    }
    CRC32C crc = new CRC32C();
    crc.update(payload);
    ByteBuffer b = ByteBuffer.allocate(HEADER + payload.length).order(ByteOrder.BIG_ENDIAN);
    b.putInt(payload.length).putInt((int) crc.getValue()).put(payload).flip();
    long before = segments.get(currentSegment);
    try {
      while (b.hasRemaining()) {
        current.write(b);
      }
    } catch (IOException e) {
      // A part-written frame would end the readable log there (and be cut as a torn tail with
      // every record after it): take it back, or leave it at the end of a closed segment.
      try {
        current.truncate(before);
      } catch (IOException again) {
        broken = true;
      }
      throw e;
    }
    segments.merge(currentSegment, (long) (HEADER + payload.length), Long::sum);
    if (fsyncEach) {
      current.force(false);
    } else {
      dirty = true;
    }
    return currentSegment;
  }

  private void rotate() throws IOException {
    IOException unsynced = null;
    try {
      current.force(false);
    } catch (IOException e) {
      unsynced = e; // reported after the switch, so later appends have a segment to go to
    }
    current.close();
    currentSegment++;
    dirty = false;
    broken = false;
    openCurrent();
    if (unsynced != null) {
      throw unsynced;
    }
  }

  /** Puts written records on the disk (the interval fsync policy). */
  void sync() throws IOException {
    if (dirty) {
      dirty = false;
      current.force(false);
    }
  }

  long totalBytes() {
    long n = 0;
    for (long s : segments.values()) {
      n += s;
    }
    return n;
  }

  int oldestSegment() {
    return segments.firstKey();
  }

  int currentSegment() {
    return currentSegment;
  }

  /** Deletes the oldest segment unless it is the one being written; returns whether it did. */
  boolean dropOldest() throws IOException {
    int oldest = segments.firstKey();
    if (oldest == currentSegment) {
      return false;
    }
    Files.deleteIfExists(path(oldest));
    segments.remove(oldest);
    return true;
  }

  private Path path(int seg) {
    return dir.resolve(String.format("%08d.log", seg));
  }

  @Override
  public void close() throws IOException {
    if (current != null) {
      current.force(false);
      current.close();
      current = null;
    }
  }
}
