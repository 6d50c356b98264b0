package dev.vigil.tsdb.block;

import dev.vigil.model.Labels;
import dev.vigil.tsdb.index.PostingsIndex;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.roaringbitmap.PeekableIntIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * Loads a block {@code index} file written by {@link IndexWriter}, checking its CRC first. A
 * damaged index fails with an {@link IOException} naming the file, the problem and its offset;
 * counts are checked against the bytes left before anything is allocated for them.
 */
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
      int version = b.get();
      if (version != 1 && version != IndexWriter.VERSION) {
        throw new IOException(file + ": unsupported index version " + version + " at offset 4");
      }
      IndexReader r = new IndexReader();
      try {
        r.parse(version == 1 ? b : inflate(b));
      } catch (IllegalStateException e) {
        throw new IOException(
            file
                + ": malformed index: "
                + (version == 1 ? "" : "(offsets in the inflated body) ")
                + e.getMessage(),
            e);
      }
      return r;
    }
  }

  /**
   * The deflated body of a version 2 index: its declared length is checked against what deflate
   * could produce from the bytes left before anything is allocated, and against what it did.
   */
  private static ByteBuffer inflate(ByteBuffer b) {
    long len = uvarint(b);
    long most = 1032L * b.remaining() + 64; // deflate's best ratio is about 1032:1
    if (len < 0 || len > most || len > Integer.MAX_VALUE - 16) {
      throw new IllegalStateException(
          "body of " + len + " bytes cannot inflate from the " + b.remaining() + " bytes left");
    }
    byte[] out = new byte[(int) len];
    Inflater inf = new Inflater();
    try {
      inf.setInput(b);
      int n = 0;
      while (n < out.length && !inf.finished()) {
        int k = inf.inflate(out, n, out.length - n);
        if (k == 0 && (inf.needsInput() || inf.needsDictionary())) {
          break;
        }
        n += k;
      }
      if (n != out.length || !inf.finished()) {
        throw new IllegalStateException("body does not inflate to its declared " + len + " bytes");
      }
    } catch (DataFormatException e) {
      throw new IllegalStateException("body does not inflate: " + e.getMessage(), e);
    } finally {
      inf.end();
    }
    return ByteBuffer.wrap(out);
  }

  private void parse(ByteBuffer b) throws IOException {
    String[] sym = new String[count(b, "symbols", 1)];
    for (int i = 0; i < sym.length; i++) {
      byte[] s = new byte[count(b, "symbol bytes", 1)];
      b.get(s);
      sym[i] = new String(s, StandardCharsets.UTF_8);
    }
    int n = count(b, "series", 2); // label count and chunk count
    series = new Labels[n];
    chunks = new long[n][];
    for (int i = 0; i < n; i++) {
      int at = b.position();
      String[] nv = new String[count(b, "labels", 2) * 2];
      for (int k = 0; k < nv.length; k++) {
        nv[k] = symbol(b, sym);
      }
      try {
        series[i] = Labels.of(nv);
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException("series " + i + " at offset " + at + ": " + e.getMessage());
      }
      if (series[i].isEmpty()) {
        throw new IllegalStateException("series " + i + " at offset " + at + " has no labels");
      }
      if (i > 0 && series[i - 1].compareTo(series[i]) >= 0) {
        throw new IllegalStateException(
            "series " + i + " at offset " + at + " is out of label order: " + series[i]);
      }
      long[] c = new long[count(b, "chunks", 4) * 4];
      for (int k = 0; k < c.length; k += 4) {
        c[k] = varint(b);
        c[k + 1] = c[k] + uvarint(b);
        c[k + 2] = uvarint(b);
        c[k + 3] = uvarint(b);
      }
      chunks[i] = c;
    }
    int lists = count(b, "postings lists", 3);
    for (int i = 0; i < lists; i++) {
      String name = symbol(b, sym);
      String value = symbol(b, sym);
      int at = b.position();
      int len = count(b, "postings bytes", 1);
      RoaringBitmap bm = new RoaringBitmap();
      try {
        bm.deserialize(b.slice(b.position(), len));
      } catch (IOException | RuntimeException e) {
        throw new IllegalStateException(
            "postings of " + name + "=\"" + value + "\" at offset " + at + " are unreadable", e);
      }
      String bad = checkIds(bm, n);
      if (bad != null) {
        throw new IllegalStateException(
            "postings of " + name + "=\"" + value + "\" at offset " + at + ": " + bad);
      }
      b.position(b.position() + len);
      postings.put(name, value, bm);
    }
  }

  /**
   * Null when {@code bm} holds strictly increasing series ids below {@code n} and its cardinality
   * agrees, else the problem. A damaged bitmap can be malformed inside (unsorted or overlapping
   * containers, a wrong cardinality) while its first and last ids look fine, so every id is
   * visited; the walk stops at the first bad one, so it never takes more than n + 1 steps.
   */
  private static String checkIds(RoaringBitmap bm, int n) {
    PeekableIntIterator it = bm.getIntIterator();
    long seen = 0;
    long prev = -1;
    while (it.hasNext()) {
      long id = Integer.toUnsignedLong(it.next());
      if (id >= n) {
        return "series id " + id + " is beyond the " + n + " series";
      }
      if (id <= prev) {
        return "series ids out of order (" + id + " after " + prev + ")";
      }
      prev = id;
      seen++;
    }
    if (seen != bm.getLongCardinality()) {
      return "bitmap claims " + bm.getLongCardinality() + " ids but holds " + seen;
    }
    return null;
  }

  /**
   * Reads a count of entries of at least {@code minBytes} each, refusing one the rest of the index
   * cannot hold before anything is allocated for it.
   */
  private static int count(ByteBuffer b, String what, int minBytes) {
    int at = b.position();
    long n = uvarint(b);
    if (n < 0 || n > b.remaining() / minBytes) {
      throw new IllegalStateException(
          Long.toUnsignedString(n)
              + " "
              + what
              + " at offset "
              + at
              + " cannot fit in the "
              + b.remaining()
              + " bytes left");
    }
    return (int) n;
  }

  private static String symbol(ByteBuffer b, String[] sym) {
    int at = b.position();
    long ref = uvarint(b);
    if (ref < 0 || ref >= sym.length) {
      throw new IllegalStateException(
          "symbol ref "
              + Long.toUnsignedString(ref)
              + " at offset "
              + at
              + " is beyond the "
              + sym.length
              + " symbols");
    }
    return sym[(int) ref];
  }

  static long uvarint(ByteBuffer b) {
    int at = b.position();
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (!b.hasRemaining()) {
        throw new IllegalStateException("index ends inside a varint at offset " + at);
      }
      byte x = b.get();
      v |= (long) (x & 0x7F) << shift;
      if (x >= 0) {
        return v;
      }
    }
    throw new IllegalStateException("varint longer than 64 bits at offset " + at);
  }

  static long varint(ByteBuffer b) {
    long u = uvarint(b);
    return (u >>> 1) ^ -(u & 1);
  }
}
