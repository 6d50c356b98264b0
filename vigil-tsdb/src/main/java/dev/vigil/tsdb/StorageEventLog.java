package dev.vigil.tsdb;

import dev.vigil.model.StorageWriteException;
import dev.vigil.tsdb.wal.WalEvents;
import java.util.function.Consumer;

/**
 * What the store does with the events of its WAL and head chunk file: fsync times and failed writes
 * go to {@link TsdbMetrics}; the first failure of a run, and the end of a run, go to the store's
 * log, so a full disk under heavy ingest logs two lines rather than one per refused write.
 */
final class StorageEventLog implements WalEvents {
  private final TsdbMetrics metrics;
  private final Consumer<String> log;

  StorageEventLog(TsdbMetrics metrics, Consumer<String> log) {
    this.metrics = metrics;
    this.log = log;
  }

  @Override
  public void fsynced(long nanos) {
    metrics.fsync(nanos);
  }

  @Override
  public void writeFailed(StorageWriteException e, boolean first) {
    metrics.writeFailed(e.reason());
    if (first) {
      log.accept(e.getMessage() + (e.getCause() != null ? " (" + e.getCause() + ")" : ""));
    }
  }

  @Override
  public void writesResumed(long failed) {
    log.accept("WAL writes resumed after " + failed + " failed writes");
  }
}
