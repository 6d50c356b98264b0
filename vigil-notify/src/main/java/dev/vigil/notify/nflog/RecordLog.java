package dev.vigil.notify.nflog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32;

/**
 * A small append-only file of records, each a line {@code <crc32 as 8 hex digits> <payload>\n},
 * with a snapshot rewrite: the on-disk format of the silences and the notification log.
 *
 * <pre>{@code
 * RecordLog log = RecordLog.open(dir.resolve("silences.log"));
 * List<String> records = log.records(); // as found on disk, torn tail cut
 * log.append(json);                     // one change
 * log.rewrite(liveRecords);             // snapshot: the live state only
 * }</pre>
 */
/*
 * Design: a change appends one record (the whole new value of one silence or log entry; the
 * latest record of a key wins on replay), so a change costs one small write, not a rewrite of the
 * state. The payload is UTF-8 JSON without newlines. A record is written with one write(2) call;
 * an abrupt kill of the process (kill -9) cannot lose a completed write, since the page cache
 * belongs to the kernel; fsync (sync = true) is for power loss. On open, the first line that is
 * incomplete (no newline) or whose CRC does not match ends the file: it and all after it are cut,
 * as the TSDB's WAL cuts a torn tail; the cut is reported by cutBytes() and its bytes are kept in
 * <file>.cut (a record cut in the middle of the file takes the later ones with it: they are there). rewrite() writes the
 * live records to a temporary file, forces it, and renames it over the log (atomic on POSIX), so a
 * crash during a snapshot leaves either the old log or the new one.
 *
 * Thread safety: all methods are synchronized.
 */
public final class RecordLog implements AutoCloseable {
  private final Path file;
  private final boolean sync;
  private final List<String> replayed;
  private final long cutBytes;
  private FileChannel channel;
  private long size;
  private int appended;

  private RecordLog(Path file, boolean sync, List<String> replayed, long cutBytes, long size)
      throws IOException {
    this.file = file;
    this.sync = sync;
    this.replayed = replayed;
    this.cutBytes = cutBytes;
    this.size = size;
    this.channel = openAppend(file);
  }

  /**
   * Opens (or creates) the log at {@code file}, reading its records and cutting a torn or corrupt
   * tail.
   *
   * @param sync whether each append and rewrite is forced to the disk (survives power loss, costs a
   *     disk flush per change)
   */
  public static RecordLog open(Path file, boolean sync) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    List<String> records = new ArrayList<>();
    long good = 0;
    long total = 0;
    if (Files.exists(file)) {
      byte[] all = Files.readAllBytes(file);
      total = all.length;
      int pos = 0;
      while (pos < all.length) {
        int nl = indexOf(all, (byte) '\n', pos);
        if (nl < 0) {
          break;
        }
        String line = new String(all, pos, nl - pos, StandardCharsets.UTF_8);
        String payload = verify(line);
        if (payload == null) {
          break;
        }
        records.add(payload);
        pos = nl + 1;
        good = pos;
      }
      if (good < total) {
        // Keep what is cut for inspection (one file, the latest cut) before truncating.
        Files.write(cutFile(file), java.util.Arrays.copyOfRange(all, (int) good, all.length));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
          ch.truncate(good);
          ch.force(true);
        }
      }
    }
    return new RecordLog(file, sync, List.copyOf(records), total - good, good);
  }

  private static int indexOf(byte[] b, byte v, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == v) {
        return i;
      }
    }
    return -1;
  }

  private static String verify(String line) {
    if (line.length() < 9 || line.charAt(8) != ' ') {
      return null;
    }
    String payload = line.substring(9);
    long want;
    try {
      want = Long.parseLong(line.substring(0, 8), 16);
    } catch (NumberFormatException e) {
      return null;
    }
    return crc(payload) == want ? payload : null;
  }

  private static long crc(String payload) {
    CRC32 c = new CRC32();
    c.update(payload.getBytes(StandardCharsets.UTF_8));
    return c.getValue();
  }

  private static byte[] line(String payload) {
    if (payload.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("a record may not contain a newline");
    }
    String hex = HexFormat.of().toHexDigits((int) crc(payload));
    return (hex + ' ' + payload + '\n').getBytes(StandardCharsets.UTF_8);
  }

  private static FileChannel openAppend(Path file) throws IOException {
    return FileChannel.open(
        file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }

  /** The records found on disk when opened, oldest first. */
  public List<String> records() {
    return replayed;
  }

  /** Where {@link #open} keeps the bytes it cut: {@code <file>.cut}. */
  public static Path cutFile(Path file) {
    return file.resolveSibling(file.getFileName() + ".cut");
  }

  /**
   * How many bytes of a torn or corrupt tail {@link #open} cut (0 for a clean file); they are kept
   * in {@link #cutFile}.
   */
  public long cutBytes() {
    return cutBytes;
  }

  /** The log's path. */
  public Path file() {
    return file;
  }

  /** Records appended since the open or the last rewrite. */
  public synchronized int appendedSinceRewrite() {
    return appended;
  }

  /** Appends one record (a payload without newlines). */
  public synchronized void append(String payload) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(line(payload));
    while (buf.hasRemaining()) {
      channel.write(buf);
    }
    if (sync) {
      channel.force(false);
    }
    size += buf.limit();
    appended++;
  }

  /** Replaces the whole log by these records, atomically. */
  public synchronized void rewrite(Collection<String> records) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    long n = 0;
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      for (String r : records) {
        ByteBuffer buf = ByteBuffer.wrap(line(r));
        n += buf.limit();
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
      }
      ch.force(true);
    }
    channel.close();
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    channel = openAppend(file);
    size = n;
    appended = 0;
  }

  /** The log's size in bytes. */
  public synchronized long size() {
    return size;
  }

  @Override
  public synchronized void close() throws IOException {
    channel.close();
  }
}
