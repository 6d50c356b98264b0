package dev.vigil.tsdb;

import dev.vigil.model.Labels;
import dev.vigil.tsdb.block.BlockMeta;
import dev.vigil.tsdb.block.BlockWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes one raw block and, when asked, its 5-minute and 1-hour rollup blocks: the path a head cut
 * takes, open to backfilling tools (such as {@code vigil tsdb import openmetrics}) so that imported
 * ranges get rollups too. Series must be added in label order. The store directory must not be open
 * in a {@link Tsdb} meanwhile unless the caller publishes the blocks itself.
 *
 * <pre>{@code
 * RawBlockWriter w = new RawBlockWriter(dir, mint, maxt, true, System.currentTimeMillis());
 * w.add(labels, ts, vs, n);
 * RawBlockWriter.Written out = w.finish(); // raw block meta plus rollup block metas
 * }</pre>
 */
public final class RawBlockWriter {
  private final BlockWriter raw;
  private final Rollups.Writer rollups;
  private final Path dir;

  /** What {@link #finish()} wrote: the raw block (null when no sample was added) and rollups. */
  public record Written(BlockMeta raw, List<BlockMeta> rollups) {}

  /**
   * Starts a block of {@code [mint, maxt)} under {@code dir}.
   *
   * @param rollups whether to write the rollup blocks beside the raw one
   * @param now the creation time recorded in the metas (ms)
   */
  public RawBlockWriter(Path dir, long mint, long maxt, boolean rollups, long now)
      throws IOException {
    this.dir = dir;
    this.raw = new BlockWriter(dir, mint, maxt, 1, List.of(), 0, now);
    this.rollups = rollups ? new Rollups.Writer(dir, mint, maxt, now) : null;
  }

  /** Adds a series' samples in {@code [mint, maxt)}, in time order; series in label order. */
  public void add(Labels labels, long[] ts, double[] vs, int n) throws IOException {
    try {
      raw.add(labels, ts, vs, n);
      if (rollups != null) {
        rollups.add(labels, ts, vs, n);
      }
    } catch (IOException | RuntimeException e) {
      raw.abort();
      throw e;
    }
  }

  /** Samples added so far. */
  public long numSamples() {
    return raw.numSamples();
  }

  /**
   * Writes the raw block, then its rollups; with no samples added, writes nothing. A rollup block
   * that fails leaves the raw block in place (it holds the data; rollups are a copy).
   */
  public Written finish() throws IOException {
    if (raw.numSamples() == 0) {
      raw.abort();
      return new Written(null, List.of());
    }
    BlockMeta meta = raw.finish();
    return new Written(meta, rollups == null ? List.of() : rollups.finish());
  }

  /** Drops what was written so far. */
  public void abort() {
    raw.abort();
  }

  /** The store directory. */
  public Path dir() {
    return dir;
  }
}
