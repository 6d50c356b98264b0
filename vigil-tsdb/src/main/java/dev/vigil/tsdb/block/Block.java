package dev.vigil.tsdb.block;

import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.model.SampleIterator;
import dev.vigil.tsdb.chunkenc.ColdCodec;
import dev.vigil.tsdb.chunkenc.XorChunk;
import dev.vigil.tsdb.index.PostingsIndex;
import dev.vigil.tsdb.query.ArrayChunkIterator;
import dev.vigil.tsdb.query.ChunkMeta;
import dev.vigil.tsdb.query.ChunkSeriesIterator;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * A read-only block opened from its directory: meta, index (loaded), chunk files (memory-mapped)
 * and tombstones. Thread-safe after opening.
 *
 * <p>Opening verifies the index CRC (a mismatch makes {@link #open} throw, so the caller can
 * quarantine the block) and every chunk record's CRC; damaged chunks are reported by file and
 * offset in {@link #damage()} and skipped by readers, so the rest of the block stays readable.
 */
public final class Block {
  private final Path dir;
  private final BlockMeta meta;
  private final Labels[] series;
  private final long[][] chunks; // per series: minTime, maxTime, tsRef, valueRef per chunk
  private final PostingsIndex postings;
  private final Map<Integer, MappedByteBuffer> files = new TreeMap<>();
  private final List<String> damage = new ArrayList<>();
  private final Map<Long, Long> damagedFrom = new TreeMap<>(); // file -> first bad offset
  private final java.util.Set<Long> badRefs = new java.util.HashSet<>();
  private volatile Tombstones tombstones;
  private final long sizeBytes;
  private final Map<Long, long[]> tsCache =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, long[]> e) {
          return size() > 256;
        }
      };

  private Block(Path dir) throws IOException {
    this.dir = dir;
    this.meta = BlockMeta.read(dir.resolve("meta.json"));
    IndexReader idx = IndexReader.read(dir.resolve("index"));
    this.series = idx.series;
    this.chunks = idx.chunks;
    this.postings = idx.postings;
    long size = 0;
    try (Stream<Path> s = Files.list(dir.resolve("chunks"))) {
      for (Path p : s.sorted().toList()) {
        int no = Integer.parseInt(p.getFileName().toString());
        try (FileChannel c = FileChannel.open(p, StandardOpenOption.READ)) {
          MappedByteBuffer m = c.map(FileChannel.MapMode.READ_ONLY, 0, c.size());
          files.put(no, m);
          verify(no, p, m);
          size += c.size();
        }
      }
    }
    checkRefs(dir.resolve("index"));
    this.tombstones = Tombstones.read(dir.resolve(Tombstones.FILE));
    this.sizeBytes = size + Files.size(dir.resolve("index"));
  }

  /**
   * Opens a block directory.
   *
   * @throws IOException when meta or index is missing or damaged (the block is unusable)
   */
  public static Block open(Path dir) throws IOException {
    return new Block(dir);
  }

  /** Every chunk ref of the index must point into a chunk file, after its magic. */
  private void checkRefs(Path index) throws IOException {
    for (int i = 0; i < chunks.length; i++) {
      long[] c = chunks[i];
      for (int k = 0; k < c.length; k += 4) {
        for (long ref : new long[] {c[k + 2], c[k + 3]}) {
          MappedByteBuffer m = files.get((int) (ref >>> 32));
          long off = ref & 0xffffffffL;
          if ((ref >>> 32) > Integer.MAX_VALUE || m == null || off < 4 || off >= m.limit()) {
            throw new IOException(
                index
                    + ": chunk "
                    + (k / 4)
                    + " of "
                    + series[i]
                    + " points at file "
                    + (ref >>> 32)
                    + " offset "
                    + off
                    + ", where no chunk is");
          }
        }
      }
    }
  }

  private void verify(int no, Path p, MappedByteBuffer m) {
    int lim = m.limit();
    if (lim < 4 || m.getInt(0) != ChunkFileWriter.MAGIC) {
      damage.add(p + ": bad magic at offset 0; whole file skipped");
      damagedFrom.put((long) no, 0L);
      return;
    }
    CRC32 crc = new CRC32();
    int pos = 4;
    while (pos < lim) {
      int start = pos;
      byte enc = m.get(pos++);
      long len = 0;
      int shift = 0;
      while (pos < lim && shift < 35) {
        byte b = m.get(pos++);
        len |= (long) (b & 0x7F) << shift;
        shift += 7;
        if (b >= 0) {
          break;
        }
      }
      if (len < 0 || pos + len + 4 > lim) {
        damage.add(p + ": chunk record at offset " + start + " runs past the end; rest skipped");
        damagedFrom.put((long) no, (long) start);
        return;
      }
      crc.reset();
      crc.update(enc);
      crc.update(m.slice(pos, (int) len));
      int want = m.getInt(pos + (int) len);
      if ((int) crc.getValue() != want) {
        damage.add(p + ": chunk at offset " + start + " fails its CRC; skipped");
        badRefs.add(((long) no << 32) | start);
      }
      pos += (int) len + 4;
    }
  }

  public BlockMeta meta() {
    return meta;
  }

  public Path dir() {
    return dir;
  }

  /** Bytes of chunks and index on disk. */
  public long sizeBytes() {
    return sizeBytes;
  }

  /** Problems found when opening (damaged chunks), by file and offset. */
  public List<String> damage() {
    return List.copyOf(damage);
  }

  public int numSeries() {
    return series.length;
  }

  public Labels labels(int id) {
    return series[id];
  }

  public Tombstones tombstones() {
    return tombstones;
  }

  /** Marks {@code [mint, maxt]} of series {@code id} deleted, durably (tombstones file). */
  public synchronized void delete(int id, long mint, long maxt) throws IOException {
    Tombstones t = tombstones.with(id, mint, maxt);
    t.write(dir);
    tombstones = t;
  }

  /** Ids (in label order) of the series matching all matchers. */
  public int[] select(List<LabelMatcher> matchers) {
    return postings.select(matchers).toArray();
  }

  public List<String> labelNames(List<LabelMatcher> m) {
    return postings.labelNames(m.isEmpty() ? null : postings.select(m));
  }

  public List<String> labelValues(String name, List<LabelMatcher> m) {
    return postings.labelValues(name, m.isEmpty() ? null : postings.select(m));
  }

  /** Whether series {@code id} has a chunk overlapping {@code [mint, maxt]}. */
  public boolean hasData(int id, long mint, long maxt) {
    long[] c = chunks[id];
    for (int k = 0; k < c.length; k += 4) {
      if (c[k + 1] >= mint && c[k] <= maxt) {
        return true;
      }
    }
    return false;
  }

  /**
   * A lazy iterator over series {@code id} in {@code [mint, maxt]}, skipping tombstoned ranges and
   * damaged chunks (those are added to {@code warnings}).
   */
  public SampleIterator iterator(int id, long mint, long maxt, List<String> warnings) {
    long[] c = chunks[id];
    List<ChunkMeta> metas = new ArrayList<>(c.length / 4);
    for (int k = 0; k < c.length; k += 4) {
      long cmin = c[k];
      long cmax = c[k + 1];
      if (cmax < mint || cmin > maxt) {
        continue;
      }
      long tsRef = c[k + 2];
      long valRef = c[k + 3];
      if (damaged(tsRef) || damaged(valRef)) {
        warnings.add(
            dir + ": skipped a damaged chunk of " + series[id] + " (" + cmin + ".." + cmax + ")");
        continue;
      }
      metas.add(new ChunkMeta(cmin, cmax, () -> decode(tsRef, valRef)));
    }
    return metas.isEmpty()
        ? SampleIterator.EMPTY
        : new ChunkSeriesIterator(metas, mint, maxt, tombstones.get(id));
  }

  private boolean damaged(long ref) {
    if (badRefs.contains(ref)) {
      return true;
    }
    Long from = damagedFrom.get(ref >>> 32);
    return from != null && (ref & 0xffffffffL) >= from;
  }

  private dev.vigil.tsdb.chunkenc.ChunkIterator decode(long tsRef, long valRef) {
    if (tsRef == valRef) { // a head-format chunk with its own timestamps
      byte[] b = payload(valRef);
      return XorChunk.iterator(b, 0, b.length);
    }
    long[] ts = timestamps(tsRef);
    byte[] v = payload(valRef);
    double[] vs = ColdCodec.decodeValues(v, 0, v.length, ts.length);
    return new ArrayChunkIterator(ts, vs, ts.length);
  }

  private long[] timestamps(long ref) {
    synchronized (tsCache) {
      long[] ts = tsCache.get(ref);
      if (ts != null) {
        return ts;
      }
    }
    byte[] b = payload(ref);
    long[] ts = ColdCodec.decodeTimestamps(b, 0, b.length);
    synchronized (tsCache) {
      tsCache.put(ref, ts);
    }
    return ts;
  }

  private byte[] payload(long ref) {
    MappedByteBuffer m = files.get((int) (ref >>> 32));
    if (m == null) {
      throw new IllegalStateException(dir + ": chunk ref into missing file " + (ref >>> 32));
    }
    int start = (int) ref;
    int pos = start + 1;
    long len = 0;
    int shift = 0;
    while (true) {
      if (pos >= m.limit() || shift > 28) {
        throw new IllegalStateException(
            dir + ": chunk at offset " + start + " of file " + (ref >>> 32) + " has no length");
      }
      byte b = m.get(pos++);
      len |= (long) (b & 0x7F) << shift;
      shift += 7;
      if (b >= 0) {
        break;
      }
    }
    if (len > m.limit() - pos) {
      throw new IllegalStateException(
          dir
              + ": chunk at offset "
              + start
              + " of file "
              + (ref >>> 32)
              + " claims "
              + len
              + " bytes, past the end of the file");
    }
    byte[] out = new byte[(int) len];
    m.get(pos, out, 0, out.length);
    return out;
  }
}
