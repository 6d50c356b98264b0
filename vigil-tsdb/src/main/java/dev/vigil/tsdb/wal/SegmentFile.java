package dev.vigil.tsdb.wal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/**
 * One open WAL segment, appended at its end: the only place the {@link Wal} touches the file. Not
 * thread-safe; the WAL calls it under its lock. Tests subclass it to inject failures.
 */
class SegmentFile implements AutoCloseable {
  /*
   * RandomAccessFile, not FileChannel: an interrupted appender thread must not close the WAL
   * (FileChannel is interruptible and closes itself when a thread doing I/O on it is interrupted).
   */
  private final Path path;
  private final RandomAccessFile file;

  SegmentFile(Path path) throws IOException {
    this.path = path;
    this.file = new RandomAccessFile(path.toFile(), "rw");
    file.seek(file.length());
  }

  /** The segment's path. */
  final Path path() {
    return path;
  }

  /** The file's length in bytes. */
  long size() throws IOException {
    return file.length();
  }

  /**
   * Appends {@code b[off, off + len)} at the current position; on an exception an unknown prefix
   * may have reached the file.
   */
  void write(byte[] b, int off, int len) throws IOException {
    file.write(b, off, len);
  }

  /** Cuts the file to {@code size} bytes and positions the next write there. */
  void truncate(long size) throws IOException {
    file.setLength(size);
    file.seek(size);
  }

  /** fsyncs the file's data. */
  void sync() throws IOException {
    file.getFD().sync();
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
