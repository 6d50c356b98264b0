package dev.vigil.tsdb.block;

import dev.vigil.model.Labels;
import dev.vigil.tsdb.chunkenc.ColdCodec;
import dev.vigil.tsdb.wal.WalFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes one immutable block in the cold encoding: series added in label order, then {@link
 * #finish()} writes index and meta, fsyncs and renames the directory into place.
 *
 * <pre>{@code
 * BlockWriter w = new BlockWriter(dbDir, mint, maxt, 1, List.of(), 0, clock.millis());
 * w.add(labels, ts, vs, n);
 * BlockMeta meta = w.finish();
 * }</pre>
 */
public final class BlockWriter {
  /*
   * Timestamp columns are deduplicated by content: the series of one scrape target share their
   * scrape times, so a block stores each distinct column once and series chunks point at it. On
   * host-1s-a (858 series from 2 targets) that turns about a byte per sample of timestamps into
   * almost nothing. Chunks hold up to MAX_CHUNK_SAMPLES so a long block still decodes lazily.
   */
  static final int MAX_CHUNK_SAMPLES = 4096;

  private final Path parent;
  private final Path tmp;
  private final String id;
  private final long mint;
  private final long maxt;
  private final int level;
  private final List<String> sources;
  private final long resolution;
  private final ChunkFileWriter chunks;
  private final IndexWriter index = new IndexWriter();
  private final Map<TsKey, Long> tsColumns = new HashMap<>();
  private long numSamples;
  private long numChunks;

  public BlockWriter(
      Path parent, long mint, long maxt, int level, List<String> sources, long resolution, long now)
      throws IOException {
    this.parent = parent;
    this.id = BlockId.next(now);
    this.tmp = parent.resolve(id + ".tmp");
    this.mint = mint;
    this.maxt = maxt;
    this.level = level;
    this.sources = sources.isEmpty() ? List.of(id) : sources;
    this.resolution = resolution;
    Files.createDirectories(tmp.resolve("chunks"));
    this.chunks = new ChunkFileWriter(tmp.resolve("chunks"));
  }

  /** Adds a series' samples {@code [0, n)} (time-sorted, within the block range); n may be 0. */
  public void add(Labels labels, long[] ts, double[] vs, int n) throws IOException {
    if (n == 0) {
      return;
    }
    int nChunks = (n + MAX_CHUNK_SAMPLES - 1) / MAX_CHUNK_SAMPLES;
    long[] entries = new long[nChunks * 4];
    for (int c = 0; c < nChunks; c++) {
      int from = c * MAX_CHUNK_SAMPLES;
      int to = Math.min(n, from + MAX_CHUNK_SAMPLES);
      long[] t = Arrays.copyOfRange(ts, from, to);
      double[] v = Arrays.copyOfRange(vs, from, to);
      TsKey key = new TsKey(t);
      Long tsRef = tsColumns.get(key);
      if (tsRef == null) {
        tsRef = chunks.write(ChunkEncoding.TIMESTAMPS, ColdCodec.encodeTimestamps(t, t.length));
        tsColumns.put(key, tsRef);
      }
      long valRef = chunks.write(ChunkEncoding.VALUES, ColdCodec.encodeValues(v, v.length));
      entries[c * 4] = t[0];
      entries[c * 4 + 1] = t[t.length - 1];
      entries[c * 4 + 2] = tsRef;
      entries[c * 4 + 3] = valRef;
    }
    index.add(labels, entries);
    numSamples += n;
    numChunks += nChunks;
  }

  public long numSamples() {
    return numSamples;
  }

  /**
   * Writes index and meta, fsyncs everything and renames the block into place. On failure (e.g. a
   * full disk) the partial block is removed before the exception propagates, so a failed attempt
   * leaves nothing that holds space.
   */
  public BlockMeta finish() throws IOException {
    try {
      return finishOrThrow();
    } catch (IOException | RuntimeException e) {
      if (Files.exists(tmp)) {
        abort();
      }
      throw e;
    }
  }

  private BlockMeta finishOrThrow() throws IOException {
    chunks.close();
    index.write(tmp.resolve("index"));
    BlockMeta meta =
        new BlockMeta(
            id, mint, maxt, index.numSeries(), numSamples, numChunks, level, sources, resolution);
    Path metaFile = tmp.resolve("meta.json");
    Files.writeString(metaFile, meta.toJson(), StandardCharsets.UTF_8);
    try (var c =
        java.nio.channels.FileChannel.open(metaFile, java.nio.file.StandardOpenOption.WRITE)) {
      c.force(true);
    }
    WalFiles.fsyncDir(tmp.resolve("chunks"));
    WalFiles.fsyncDir(tmp);
    Files.move(tmp, parent.resolve(id), StandardCopyOption.ATOMIC_MOVE);
    WalFiles.fsyncDir(parent);
    return meta;
  }

  /** Removes the partial block. */
  public void abort() {
    try {
      chunks.close();
    } catch (IOException ignored) {
      // deleting anyway
    }
    deleteTree(tmp);
  }

  /** Deletes a directory tree, ignoring what is already gone. */
  public static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot delete " + dir, e);
    }
  }

  private record TsKey(long[] ts, int hash) {
    TsKey(long[] ts) {
      this(ts, Arrays.hashCode(ts));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof TsKey k && hash == k.hash && Arrays.equals(ts, k.ts);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
