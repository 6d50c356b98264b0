package dev.vigil.cli.tsdb;

import dev.vigil.model.Labels;
import dev.vigil.tsdb.RawBlockWriter;
import dev.vigil.tsdb.block.BlockMeta;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import java.util.zip.GZIPInputStream;

/**
 * Backfills blocks from an OpenMetrics file (gzip accepted), as {@code promtool tsdb
 * create-blocks-from openmetrics} does: samples grouped into aligned 2-hour blocks written straight
 * to the store directory (the store must not be open meanwhile), each with its 5-minute and 1-hour
 * rollup blocks as a head cut writes them, so long-range reads of imported data can use rollups.
 *
 * <pre>{@code
 * OpenMetricsImporter.Result r = OpenMetricsImporter.run(file, dbDir, bytes -> {});
 * }</pre>
 */
public final class OpenMetricsImporter {
  /** Block range of backfilled blocks, as promtool's default. */
  public static final long BLOCK_MS = 2 * 3600_000L;

  private OpenMetricsImporter() {}

  /**
   * What was imported.
   *
   * @param samples samples read
   * @param series distinct series
   * @param blocks the raw blocks written
   * @param rollups the rollup blocks written beside them
   */
  public record Result(long samples, int series, List<BlockMeta> blocks, List<BlockMeta> rollups) {}

  /**
   * Imports {@code file} into {@code dir}; {@code progress} receives bytes of the file read.
   *
   * @throws IllegalArgumentException for a malformed line, naming file and line
   */
  public static Result run(Path file, Path dir, LongConsumer progress) throws IOException {
    Map<Labels, Samples> series = new HashMap<>();
    Map<String, String> interned = new HashMap<>();
    OpenMetricsLine p = new OpenMetricsLine(interned);
    long count = 0;
    try (InputStream raw = new Counting(Files.newInputStream(file), progress);
        BufferedReader r =
            new BufferedReader(new InputStreamReader(maybeGunzip(raw), StandardCharsets.UTF_8))) {
      long lineNo = 0;
      for (String line; (line = r.readLine()) != null; ) {
        lineNo++;
        if (line.isEmpty() || line.charAt(0) == '#') {
          continue;
        }
        try {
          p.parse(line);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(file + ":" + lineNo + ": " + e.getMessage(), e);
        }
        if (!p.hasTimestamp()) {
          throw new IllegalArgumentException(
              file + ":" + lineNo + ": backfill needs a timestamp on every sample");
        }
        series.computeIfAbsent(p.labels(), k -> new Samples()).add(p.timestampMs(), p.value());
        count++;
      }
    }
    Files.createDirectories(dir);
    TreeMap<Labels, Samples> sorted = new TreeMap<>(series);
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (Samples s : sorted.values()) {
      s.sortAndDedupe();
      min = Math.min(min, s.ts[0]);
      max = Math.max(max, s.ts[s.n - 1]);
    }
    List<BlockMeta> metas = new ArrayList<>();
    List<BlockMeta> rollups = new ArrayList<>();
    if (count > 0) {
      for (long a = Math.floorDiv(min, BLOCK_MS) * BLOCK_MS; a <= max; a += BLOCK_MS) {
        RawBlockWriter w =
            new RawBlockWriter(dir, a, a + BLOCK_MS, true, System.currentTimeMillis());
        for (Map.Entry<Labels, Samples> e : sorted.entrySet()) {
          Samples s = e.getValue();
          int from = s.lowerBound(a);
          int to = s.lowerBound(a + BLOCK_MS);
          if (to > from) {
            w.add(
                e.getKey(),
                Arrays.copyOfRange(s.ts, from, to),
                Arrays.copyOfRange(s.vs, from, to),
                to - from);
          }
        }
        RawBlockWriter.Written written = w.finish();
        if (written.raw() != null) {
          metas.add(written.raw());
          rollups.addAll(written.rollups());
        }
      }
    }
    return new Result(count, sorted.size(), metas, rollups);
  }

  private static InputStream maybeGunzip(InputStream in) throws IOException {
    BufferedInputStream b = new BufferedInputStream(in, 1 << 16);
    b.mark(2);
    int m1 = b.read();
    int m2 = b.read();
    b.reset();
    return m1 == 0x1f && m2 == 0x8b ? new GZIPInputStream(b, 1 << 16) : b;
  }

  private static final class Counting extends FilterInputStream {
    private final LongConsumer progress;
    private long n;

    Counting(InputStream in, LongConsumer progress) {
      super(in);
      this.progress = progress;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int r = super.read(b, off, len);
      if (r > 0) {
        n += r;
        progress.accept(n);
      }
      return r;
    }
  }

  private static final class Samples {
    long[] ts = new long[64];
    double[] vs = new double[64];
    int n;

    void add(long t, double v) {
      if (n == ts.length) {
        ts = Arrays.copyOf(ts, n * 2);
        vs = Arrays.copyOf(vs, n * 2);
      }
      ts[n] = t;
      vs[n++] = v;
    }

    void sortAndDedupe() {
      boolean sorted = true;
      for (int i = 1; i < n && sorted; i++) {
        sorted = ts[i] > ts[i - 1];
      }
      if (sorted) {
        return;
      }
      Integer[] idx = new Integer[n];
      for (int i = 0; i < n; i++) {
        idx[i] = i;
      }
      Arrays.sort(idx, (x, y) -> Long.compare(ts[x], ts[y])); // stable: first of equal kept
      long[] t2 = new long[n];
      double[] v2 = new double[n];
      int k = 0;
      for (int i = 0; i < n; i++) {
        if (k > 0 && t2[k - 1] == ts[idx[i]]) {
          continue;
        }
        t2[k] = ts[idx[i]];
        v2[k++] = vs[idx[i]];
      }
      ts = t2;
      vs = v2;
      n = k;
    }

    int lowerBound(long t) {
      int lo = 0;
      int hi = n;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (ts[mid] < t) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo;
    }
  }
}
