package dev.vigil.tsdb;

import dev.vigil.model.StorageWriteException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The store's self-metrics ({@code vigil_tsdb_*}). Counters are striped adders so appenders on many
 * threads do not contend. Read them with {@link #snapshot()}.
 */
public final class TsdbMetrics {
  final LongAdder samplesAppended = new LongAdder();
  final LongAdder outOfOrderRejected = new LongAdder();
  final LongAdder duplicateRejected = new LongAdder();
  final LongAdder walFsyncs = new LongAdder();
  final LongAdder walFsyncNanos = new LongAdder();
  final LongAdder compactions = new LongAdder();
  final LongAdder headTruncations = new LongAdder();
  final LongAdder blocksQuarantined = new LongAdder();
  private final Map<StorageWriteException.Reason, LongAdder> writeFailures =
      new EnumMap<>(StorageWriteException.Reason.class);
  private volatile LongSupplier headSeries = () -> 0;
  private volatile LongSupplier blockCount = () -> 0;
  private volatile LongSupplier blockBytes = () -> 0;
  private volatile long retentionLimitBytes;
  private volatile ExemplarStore exemplars = new ExemplarStore(0);

  /**
   * The HELP text of every name {@link #snapshot()} returns (Prometheus' wording where it has one).
   */
  private static final Map<String, String> HELP =
      Map.ofEntries(
          Map.entry(
              "vigil_tsdb_head_series", "Series in the head, the in-memory part of the store."),
          Map.entry(
              "vigil_tsdb_head_samples_appended_total", "Samples appended to the head and kept."),
          Map.entry(
              "vigil_tsdb_out_of_order_samples_total",
              "Samples refused because they were older than their series' newest sample (beyond"
                  + " the out-of-order window) or than the head's start."),
          Map.entry(
              "vigil_tsdb_duplicate_samples_total",
              "Samples refused because their series held another value at the same timestamp."),
          Map.entry(
              "vigil_tsdb_wal_fsync_duration_seconds_count", "WAL fsyncs since the store opened."),
          Map.entry(
              "vigil_tsdb_wal_fsync_duration_seconds_sum",
              "Time spent in WAL fsyncs since the store opened."),
          Map.entry(
              "vigil_tsdb_compactions_total",
              "Compactions of several blocks into one (the head's cuts into blocks are counted"
                  + " in vigil_tsdb_head_truncations_total)."),
          Map.entry(
              "vigil_tsdb_head_truncations_total",
              "Cuts of the head's oldest part into a block, after which the head drops it."),
          Map.entry(
              "vigil_tsdb_blocks_quarantined_total",
              "Corrupt blocks moved aside into the corrupted directory at open."),
          Map.entry("vigil_tsdb_blocks_loaded", "Blocks (raw and rollups) loaded now."),
          Map.entry("vigil_tsdb_storage_blocks_bytes", "Bytes on disk of the blocks loaded now."),
          Map.entry(
              "vigil_tsdb_retention_limit_bytes",
              "storage.retention_size in bytes: blocks beyond it are deleted, oldest first (0: no"
                  + " size limit)."),
          Map.entry("vigil_tsdb_exemplar_exemplars_appended_total", "Exemplars appended and kept."),
          Map.entry(
              "vigil_tsdb_exemplar_out_of_order_exemplars_total",
              "Exemplars refused because they were older than their series' newest exemplar."),
          Map.entry("vigil_tsdb_exemplar_exemplars_in_storage", "Exemplars kept in memory now."),
          Map.entry(
              "vigil_tsdb_exemplar_series_with_exemplars_in_storage",
              "Series with at least one exemplar kept now."),
          Map.entry(
              "vigil_tsdb_exemplar_max_exemplars",
              "Most exemplars kept (storage.exemplars.max_exemplars); 0 disables them."),
          Map.entry(
              "vigil_tsdb_exemplar_last_exemplars_timestamp_seconds",
              "Timestamp of the newest exemplar kept, in seconds since the epoch (0: none)."));

  TsdbMetrics() {
    for (StorageWriteException.Reason r : StorageWriteException.Reason.values()) {
      writeFailures.put(r, new LongAdder());
    }
  }

  void gauges(LongSupplier headSeries, LongSupplier blockCount, LongSupplier blockBytes) {
    this.headSeries = headSeries;
    this.blockCount = blockCount;
    this.blockBytes = blockBytes;
  }

  /** The size retention keeps blocks under (0: no limit), for "storage near its limit" alerts. */
  void retentionLimit(long bytes) {
    this.retentionLimitBytes = bytes;
  }

  void exemplars(ExemplarStore store) {
    this.exemplars = store;
  }

  void fsync(long nanos) {
    walFsyncs.increment();
    walFsyncNanos.add(nanos);
  }

  void writeFailed(StorageWriteException.Reason reason) {
    writeFailures.get(reason).increment();
  }

  /**
   * {@code vigil_tsdb_write_failures_total} by its {@code reason} label ({@code no_space}, {@code
   * fsync}, {@code io_error}): storage writes that failed. A failed WAL write is refused to its
   * caller; a failed background fsync counts once, under {@code fsync}; a head chunk the file
   * system refused is kept in memory. Kept out of {@link #snapshot()}, whose names carry no labels.
   */
  public Map<String, Long> writeFailures() {
    Map<String, Long> m = new LinkedHashMap<>();
    writeFailures.forEach((r, n) -> m.put(r.label(), n.sum()));
    return m;
  }

  /**
   * The HELP text of a name of {@link #snapshot()}.
   *
   * @throws IllegalArgumentException for another name, so that a metric added to the snapshot
   *     without a text fails its first test instead of reaching {@code /metrics} without HELP
   */
  public static String help(String name) {
    String h = HELP.get(name);
    if (h == null) {
      throw new IllegalArgumentException("no HELP text for " + name);
    }
    return h;
  }

  /** Name → value, Prometheus names and base units; {@link #help(String)} has each one's text. */
  public Map<String, Double> snapshot() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("vigil_tsdb_head_series", (double) headSeries.getAsLong());
    m.put("vigil_tsdb_head_samples_appended_total", (double) samplesAppended.sum());
    m.put("vigil_tsdb_out_of_order_samples_total", (double) outOfOrderRejected.sum());
    m.put("vigil_tsdb_duplicate_samples_total", (double) duplicateRejected.sum());
    m.put("vigil_tsdb_wal_fsync_duration_seconds_count", (double) walFsyncs.sum());
    m.put("vigil_tsdb_wal_fsync_duration_seconds_sum", walFsyncNanos.sum() / 1e9);
    m.put("vigil_tsdb_compactions_total", (double) compactions.sum());
    m.put("vigil_tsdb_head_truncations_total", (double) headTruncations.sum());
    m.put("vigil_tsdb_blocks_quarantined_total", (double) blocksQuarantined.sum());
    m.put("vigil_tsdb_blocks_loaded", (double) blockCount.getAsLong());
    m.put("vigil_tsdb_storage_blocks_bytes", (double) blockBytes.getAsLong());
    m.put("vigil_tsdb_retention_limit_bytes", (double) retentionLimitBytes);
    ExemplarStore ex = exemplars;
    m.put("vigil_tsdb_exemplar_exemplars_appended_total", (double) ex.appended.sum());
    m.put("vigil_tsdb_exemplar_out_of_order_exemplars_total", (double) ex.outOfOrder.sum());
    m.put("vigil_tsdb_exemplar_exemplars_in_storage", (double) ex.size());
    m.put("vigil_tsdb_exemplar_series_with_exemplars_in_storage", (double) ex.seriesCount());
    m.put("vigil_tsdb_exemplar_max_exemplars", (double) ex.capacity());
    long newest = ex.newestTime();
    m.put(
        "vigil_tsdb_exemplar_last_exemplars_timestamp_seconds",
        newest == Long.MIN_VALUE ? 0 : newest / 1000.0);
    return m;
  }
}
