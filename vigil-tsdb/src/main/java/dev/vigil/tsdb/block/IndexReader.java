package dev.vigil.tsdb.block;

import dev.vigil.tsdb.Labels;
import dev.vigil.tsdb.index.PostingsIndex;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;
import org.roaringbitmap.RoaringBitmap;

/** Loads a block {@code index} file written by {@link IndexWriter}, checking its CRC first. */
final class IndexReader {
  Labels[] series;
  long[][] chunks;
  PostingsIndex postings = new PostingsIndex();

  private IndexReader() {}

  static IndexReader read(Path file) throws IOException {
    try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ)) {
      MappedByteBuffer m = c.map(FileChannel.MapMode.READ_ONLY, 0, c.size());
      int len = m.limit();
      if (len < 9) {
        throw new IOException(file + ": index of " + len + " bytes is truncated");
      }
      CRC32 crc = new CRC32();
      crc.update(m.slice(0, len - 4));
      if ((int) crc.getValue() != m.getInt(len - 4)) {
        throw new IOException(
            file + ": index CRC mismatch (damaged between offset 0 and " + len + ")");
      }
      ByteBuffer b = m.slice(0, len - 4);
      if (b.getInt() != IndexWriter.MAGIC) {
        throw new IOException(file + ": not a vigil index (bad magic at offset 0)");
      }
      b.get(); // version
      IndexReader r = new IndexReader();
      try {
        r.parse(b);
      } catch (RuntimeException e) {
        throw new IOException(file + ": malformed index at offset " + b.position() + ": " + e, e);
      }
      return r;
    }
  }

  private void parse(ByteBuffer b) throws IOException {
    String[] sym = new String[(int) uvarint(b)];
    for (int i = 0; i < sym.length; i++) {
      byte[] s = new byte[(int) uvarint(b)];
      b.get(s);
      sym[i] = new String(s, StandardCharsets.UTF_8);
    }
    int n = (int) uvarint(b);
    series = new Labels[n];
    chunks = new long[n][];
    for (int i = 0; i < n; i++) {
      String[] nv = new String[(int) uvarint(b) * 2];
      for (int k = 0; k < nv.length; k++) {
        nv[k] = sym[(int) uvarint(b)];
      }
      series[i] = Labels.of(nv);
      long[] c = new long[(int) uvarint(b) * 4];
      for (int k = 0; k < c.length; k += 4) {
        c[k] = varint(b);
        c[k + 1] = c[k] + uvarint(b);
        c[k + 2] = uvarint(b);
        c[k + 3] = uvarint(b);
      }
      chunks[i] = c;
    }
    int lists = (int) uvarint(b);
    for (int i = 0; i < lists; i++) {
      String name = sym[(int) uvarint(b)];
      String value = sym[(int) uvarint(b)];
      int len = (int) uvarint(b);
      RoaringBitmap bm = new RoaringBitmap();
      bm.deserialize(b.slice(b.position(), len));
      b.position(b.position() + len);
      postings.put(name, value, bm);
    }
  }

  static long uvarint(ByteBuffer b) {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      byte x = b.get();
      v |= (long) (x & 0x7F) << shift;
      if (x >= 0) {
        return v;
      }
    }
    throw new IllegalStateException("varint too long");
  }

  static long varint(ByteBuffer b) {
    long u = uvarint(b);
    return (u >>> 1) ^ -(u & 1);
  }
}
