package dev.vigil.cli.tsdb;

import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.model.Querier;
import dev.vigil.model.SampleIterator;
import dev.vigil.model.SelectHints;
import dev.vigil.model.SeriesSet;
import dev.vigil.tsdb.Tsdb;
import dev.vigil.tsdb.block.Block;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** {@code vigil tsdb stats} and {@code vigil tsdb dump}: read a store directory. */
public final class StoreTools {
  private StoreTools() {}

  /** Store statistics: name → value, in print order. */
  public static Map<String, String> stats(Tsdb db) throws IOException {
    Map<String, String> m = new LinkedHashMap<>();
    long rawSamples = 0;
    long rawBytes = 0;
    long rollupBytes = 0;
    long mint = Long.MAX_VALUE;
    long maxt = Long.MIN_VALUE;
    int rawBlocks = 0;
    for (Block b : db.blocks()) {
      long bytes = dirBytes(b.dir());
      if (b.meta().resolution() == 0) {
        rawBlocks++;
        rawSamples += b.meta().numSamples();
        rawBytes += bytes;
        mint = Math.min(mint, b.meta().minTime());
        maxt = Math.max(maxt, b.meta().maxTime() - 1);
      } else {
        rollupBytes += bytes;
      }
    }
    long headSamples = 0;
    java.util.Set<Labels> series = new java.util.HashSet<>();
    try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set =
          q.select(
              SelectHints.range(Long.MIN_VALUE, Long.MAX_VALUE),
              LabelMatcher.regex("__name__", ".+"));
      while (set.next()) {
        series.add(set.at().labels());
      }
    }
    long headMin = Long.MAX_VALUE;
    long headMax = Long.MIN_VALUE;
    long readMin =
        db.blocks().stream()
            .filter(b -> b.meta().resolution() == 0)
            .mapToLong(b -> b.meta().maxTime())
            .max()
            .orElse(Long.MIN_VALUE);
    try (Querier q = db.querier(readMin, Long.MAX_VALUE)) {
      SeriesSet set =
          q.select(
              SelectHints.range(readMin, Long.MAX_VALUE), LabelMatcher.regex("__name__", ".+"));
      while (set.next()) {
        SampleIterator it = set.at().iterator();
        while (it.next()) {
          headSamples++;
          headMin = Math.min(headMin, it.timestamp());
          headMax = Math.max(headMax, it.timestamp());
        }
      }
    }
    mint = Math.min(mint, headMin);
    maxt = Math.max(maxt, headMax);
    m.put("series", Long.toString(series.size()));
    m.put("head series", Long.toString(db.headSeries()));
    m.put("samples", Long.toString(rawSamples + headSamples));
    m.put("samples in blocks", Long.toString(rawSamples));
    m.put("samples in head", Long.toString(headSamples));
    m.put(
        "min time",
        mint == Long.MAX_VALUE ? "-" : java.time.Instant.ofEpochMilli(mint) + " (" + mint + ")");
    m.put(
        "max time",
        maxt == Long.MIN_VALUE ? "-" : java.time.Instant.ofEpochMilli(maxt) + " (" + maxt + ")");
    m.put("blocks", rawBlocks + " raw, " + (db.blocks().size() - rawBlocks) + " rollup");
    m.put("bytes wal", Long.toString(dirBytes(db.dir().resolve("wal"))));
    m.put(
        "bytes head chunks (preallocated)",
        Long.toString(allocatedBytes(db.dir().resolve("chunks_head"))));
    m.put("bytes blocks", Long.toString(rawBytes));
    m.put("bytes rollups", Long.toString(rollupBytes));
    m.put(
        "bytes per sample in blocks",
        rawSamples == 0 ? "-" : String.format("%.4f", (double) rawBytes / rawSamples));
    return m;
  }

  /**
   * Statistics of a store's persisted blocks, read without the store's lock, for a store that a
   * running server holds open. Safe because a published block is never modified (compaction and
   * retention write new directories and delete old ones): blocks are opened read-only, and the WAL
   * and head chunks, which the server is writing, are not read at all (only their size on disk). A
   * block deleted while it is read (a compaction or retention finished) is skipped by reading the
   * directory again; the sources of a compaction whose result is already present are not counted
   * twice.
   *
   * @throws IOException when the directory cannot be listed, or a block cannot be read for a reason
   *     other than its removal
   */
  public static Map<String, String> blockStats(Path dir) throws IOException {
    List<Block> blocks = null;
    for (int attempt = 0; blocks == null; attempt++) {
      try {
        blocks = openBlocksReadOnly(dir);
      } catch (java.nio.file.NoSuchFileException e) {
        if (attempt == 4) {
          throw e;
        }
      }
    }
    Map<String, String> m = new LinkedHashMap<>();
    java.util.Set<Labels> series = new java.util.HashSet<>();
    long samples = 0;
    long rawBytes = 0;
    long rollupBytes = 0;
    long mint = Long.MAX_VALUE;
    long maxt = Long.MIN_VALUE;
    int raw = 0;
    for (Block b : blocks) {
      long bytes = dirBytes(b.dir());
      if (b.meta().resolution() != 0) {
        rollupBytes += bytes;
        continue;
      }
      raw++;
      rawBytes += bytes;
      samples += b.meta().numSamples();
      mint = Math.min(mint, b.meta().minTime());
      maxt = Math.max(maxt, b.meta().maxTime() - 1);
      for (int i = 0; i < b.numSeries(); i++) {
        series.add(b.labels(i));
      }
    }
    m.put("series in blocks", Long.toString(series.size()));
    m.put("samples in blocks", Long.toString(samples));
    m.put("head", "not read (the running server's; GET /api/v1/status/tsdb on it)");
    m.put(
        "min time in blocks",
        mint == Long.MAX_VALUE ? "-" : java.time.Instant.ofEpochMilli(mint) + " (" + mint + ")");
    m.put(
        "max time in blocks",
        maxt == Long.MIN_VALUE ? "-" : java.time.Instant.ofEpochMilli(maxt) + " (" + maxt + ")");
    m.put("blocks", raw + " raw, " + (blocks.size() - raw) + " rollup");
    m.put("bytes wal", Long.toString(liveDirBytes(dir.resolve("wal"))));
    m.put(
        "bytes head chunks (preallocated)",
        Long.toString(liveDirBytes(dir.resolve("chunks_head"))));
    m.put("bytes blocks", Long.toString(rawBytes));
    m.put("bytes rollups", Long.toString(rollupBytes));
    m.put(
        "bytes per sample in blocks",
        samples == 0 ? "-" : String.format("%.4f", (double) rawBytes / samples));
    return m;
  }

  /**
   * Whether another store (in this process or another) holds {@code dir}'s lock file. Nothing is
   * created: a directory without a lock file is not in use.
   */
  public static boolean inUse(Path dir) throws IOException {
    Path lock = dir.resolve("lock");
    if (!Files.exists(lock)) {
      return false;
    }
    try (java.nio.channels.FileChannel c =
        java.nio.channels.FileChannel.open(lock, java.nio.file.StandardOpenOption.WRITE)) {
      java.nio.channels.FileLock l = c.tryLock();
      if (l == null) {
        return true;
      }
      l.release();
      return false;
    } catch (java.nio.channels.OverlappingFileLockException e) {
      return true;
    }
  }

  /** {@link #dirBytes} of a directory whose files a running server creates and deletes. */
  private static long liveDirBytes(Path dir) throws IOException {
    for (int attempt = 0; ; attempt++) {
      try {
        return dirBytes(dir);
      } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException e) {
        if (attempt == 4) {
          throw e;
        }
      }
    }
  }

  /**
   * The blocks of {@code dir}, opened read-only without its lock (see {@link #blockStats}), the
   * sources of a compaction whose result is present left out.
   */
  public static List<Block> openBlocksReadOnly(Path dir) throws IOException {
    List<Block> all = new java.util.ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.sorted().toList()) {
        if (Files.isDirectory(p) && dev.vigil.tsdb.block.BlockId.is(p.getFileName().toString())) {
          all.add(Block.open(p));
        }
      }
    }
    List<Block> keep = new java.util.ArrayList<>();
    for (Block b : all) {
      boolean compactedAlready = false;
      for (Block o : all) {
        compactedAlready |=
            o != b
                && o.meta().resolution() == b.meta().resolution()
                && o.meta().level() > b.meta().level()
                && o.meta().sources().containsAll(b.meta().sources());
      }
      if (!compactedAlready) {
        keep.add(b);
      }
    }
    return keep;
  }

  /** Writes matching samples as OpenMetrics text (seconds timestamps), ending with # EOF. */
  public static long dump(
      Tsdb db, List<LabelMatcher> matchers, long mint, long maxt, PrintStream out) {
    long n = 0;
    try (Querier q = db.querier(mint, maxt)) {
      SeriesSet set = q.select(SelectHints.range(mint, maxt), matchers);
      StringBuilder sb = new StringBuilder(256);
      while (set.next()) {
        Labels l = set.at().labels();
        String prefix = seriesText(l);
        SampleIterator it = set.at().iterator();
        while (it.next()) {
          sb.setLength(0);
          sb.append(prefix).append(' ').append(formatValue(it.value())).append(' ');
          long t = it.timestamp();
          sb.append(Math.floorDiv(t, 1000));
          long ms = Math.floorMod(t, 1000);
          if (ms != 0) {
            sb.append('.').append(String.format("%03d", ms));
          }
          out.println(sb);
          n++;
        }
      }
      for (String w : set.warnings()) {
        System.err.println("warning: " + w);
      }
    }
    out.println("# EOF");
    return n;
  }

  private static String seriesText(Labels l) {
    StringBuilder sb = new StringBuilder();
    String name = l.metricName();
    sb.append(name == null ? "" : name).append('{');
    boolean first = true;
    for (int i = 0; i < l.size(); i++) {
      if (l.name(i).equals(Labels.METRIC_NAME)) {
        continue;
      }
      if (!first) {
        sb.append(',');
      }
      first = false;
      sb.append(l.name(i)).append("=\"");
      String v = l.value(i);
      sb.append(v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"');
    }
    return sb.append('}').toString();
  }

  private static String formatValue(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }

  /** Bytes of the files under a directory. */
  public static long dirBytes(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static long allocatedBytes(Path dir) throws IOException {
    return dirBytes(dir); // head chunk segments are sparse files of fixed length
  }
}
