package dev.vigil.tsdb.block;

import dev.vigil.model.Labels;
import dev.vigil.tsdb.index.PostingsIndex;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.roaringbitmap.RoaringBitmap;

/**
 * Collects a block's series (in label order) and writes its {@code index} file: symbols, series
 * with chunk entries, postings as serialized Roaring bitmaps, and a CRC32 of the whole. Since
 * version 2 the body after the header is deflated (label sets and chunk entries repeat from series
 * to series: a rollup block's index, seven series per raw series, shrinks to about a fifth); {@link
 * IndexReader} reads both versions. Not thread-safe.
 */
final class IndexWriter {
  static final int MAGIC = 0x56495831; // "VIX1"

  /** Version 1: the body as is; version 2: its length, then the body deflated (zlib). */
  static final int VERSION = 2;

  private final List<Labels> series = new ArrayList<>();
  private final List<long[]> chunks = new ArrayList<>();
  private final PostingsIndex postings = new PostingsIndex();
  private final TreeSet<String> symbols = new TreeSet<>();

  /** Adds a series; {@code chunkEntries} holds (minTime, maxTime, tsRef, valueRef) per chunk. */
  void add(Labels labels, long[] chunkEntries) {
    if (!series.isEmpty() && series.get(series.size() - 1).compareTo(labels) >= 0) {
      throw new IllegalArgumentException("series out of order: " + labels);
    }
    int id = series.size();
    series.add(labels);
    chunks.add(chunkEntries);
    postings.add(id, labels);
    labels.forEach(
        (n, v) -> {
          symbols.add(n);
          symbols.add(v);
        });
  }

  int numSeries() {
    return series.size();
  }

  void write(Path file) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
    DataOutputStream out = new DataOutputStream(bytes);
    Map<String, Integer> sym = new HashMap<>();
    uvarint(out, symbols.size());
    for (String s : symbols) {
      sym.put(s, sym.size());
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      uvarint(out, b.length);
      out.write(b);
    }
    uvarint(out, series.size());
    for (int i = 0; i < series.size(); i++) {
      Labels l = series.get(i);
      uvarint(out, l.size());
      for (int k = 0; k < l.size(); k++) {
        uvarint(out, sym.get(l.name(k)));
        uvarint(out, sym.get(l.value(k)));
      }
      long[] c = chunks.get(i);
      uvarint(out, c.length / 4);
      for (int k = 0; k < c.length; k += 4) {
        varint(out, c[k]);
        uvarint(out, c[k + 1] - c[k]);
        uvarint(out, c[k + 2]);
        uvarint(out, c[k + 3]);
      }
    }
    List<Object[]> lists = new ArrayList<>();
    postings.forEachSorted((n, v, ids) -> lists.add(new Object[] {n, v, ids}));
    uvarint(out, lists.size());
    for (Object[] e : lists) {
      RoaringBitmap bm = (RoaringBitmap) e[2];
      bm.runOptimize();
      uvarint(out, sym.get((String) e[0]));
      uvarint(out, sym.get((String) e[1]));
      uvarint(out, bm.serializedSizeInBytes());
      bm.serialize(out);
    }
    out.flush();
    byte[] body = bytes.toByteArray();
    ByteArrayOutputStream file0 = new ByteArrayOutputStream(body.length / 3 + 64);
    DataOutputStream head = new DataOutputStream(file0);
    head.writeInt(MAGIC);
    head.writeByte(VERSION);
    uvarint(head, body.length);
    head.flush();
    Deflater d = new Deflater(Deflater.BEST_COMPRESSION);
    try (DeflaterOutputStream z = new DeflaterOutputStream(file0, d, 1 << 16)) {
      z.write(body);
    } finally {
      d.end();
    }
    CRC32 crc = new CRC32();
    byte[] all = file0.toByteArray();
    crc.update(all);
    try (FileOutputStream f = new FileOutputStream(file.toFile())) {
      f.write(all);
      int c = (int) crc.getValue();
      f.write(new byte[] {(byte) (c >>> 24), (byte) (c >>> 16), (byte) (c >>> 8), (byte) c});
      f.getFD().sync();
    }
  }

  static void uvarint(DataOutputStream out, long v) throws IOException {
    while ((v & ~0x7FL) != 0) {
      out.writeByte((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.writeByte((int) v);
  }

  static void varint(DataOutputStream out, long v) throws IOException {
    uvarint(out, (v << 1) ^ (v >> 63));
  }
}
