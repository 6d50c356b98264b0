package dev.vigil.tsdb.block;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * Writes a block's {@code chunks/NNNNNN} files: a 4-byte magic, then records {@code encoding u8,
 * length uvarint, payload, crc32 u32}. A ref is {@code file number << 32 | offset}. Not
 * thread-safe.
 */
final class ChunkFileWriter implements AutoCloseable {
  static final int MAGIC = 0x56434b31; // "VCK1"
  static final long MAX_FILE = 512L << 20;

  private final Path dir;
  private int fileNo;
  private OutputStream out;
  private FileOutputStream fos;
  private long pos;
  private final CRC32 crc = new CRC32();
  private final byte[] scratch = new byte[16];

  ChunkFileWriter(Path dir) {
    this.dir = dir;
  }

  long write(byte encoding, byte[] payload) throws IOException {
    if (out == null || pos + payload.length + 16 > MAX_FILE) {
      nextFile();
    }
    long ref = ((long) fileNo << 32) | pos;
    crc.reset();
    crc.update(encoding);
    crc.update(payload);
    int n = 0;
    scratch[n++] = encoding;
    long len = payload.length;
    while ((len & ~0x7FL) != 0) {
      scratch[n++] = (byte) ((len & 0x7F) | 0x80);
      len >>>= 7;
    }
    scratch[n++] = (byte) len;
    out.write(scratch, 0, n);
    out.write(payload);
    int c = (int) crc.getValue();
    out.write(new byte[] {(byte) (c >>> 24), (byte) (c >>> 16), (byte) (c >>> 8), (byte) c});
    pos += n + payload.length + 4;
    return ref;
  }

  private void nextFile() throws IOException {
    closeFile();
    fileNo++;
    fos = new FileOutputStream(dir.resolve(String.format("%06d", fileNo)).toFile());
    out = new BufferedOutputStream(fos, 1 << 16);
    out.write(new byte[] {0x56, 0x43, 0x4b, 0x31});
    pos = 4;
  }

  private void closeFile() throws IOException {
    if (out != null) {
      out.flush();
      fos.getFD().sync();
      out.close();
      out = null;
    }
  }

  @Override
  public void close() throws IOException {
    if (out == null) {
      nextFile(); // a block always has at least one chunk file
    }
    closeFile();
  }
}
