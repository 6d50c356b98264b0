package dev.vigil.tsdb;

import dev.vigil.tsdb.wal.FsyncPolicy;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A store's configuration, filled by {@link Tsdb.Builder} and frozen once the store opens. Every
 * field has the default documented on the builder method that sets it.
 */
final class TsdbOptions {
  Path dir;
  long blockRangeMs = 2 * 3600_000L;
  long retentionMs;
  long retentionBytes;
  long rollupRetentionMs;
  FsyncPolicy fsync = FsyncPolicy.INTERVAL;
  long fsyncIntervalMs = 1000;
  long walSegmentBytes = 128L << 20;
  long outOfOrderWindow;
  long maxAheadMs = -1; // -1: the default, min(10 min, blockRangeMs / 2)
  boolean walEnabled = true;
  int maxExemplars = 100_000;
  boolean rollups = true;
  long backgroundIntervalMs = 60_000;
  LongSupplier clock = System::currentTimeMillis;
  Consumer<String> log = m -> System.err.println("vigil-tsdb: " + m);
  WalReplayProgress walReplayProgress;

  /** A copy, so a builder used again cannot change an open store. */
  TsdbOptions copy() {
    TsdbOptions c = new TsdbOptions();
    c.dir = dir;
    c.blockRangeMs = blockRangeMs;
    c.retentionMs = retentionMs;
    c.retentionBytes = retentionBytes;
    c.rollupRetentionMs = rollupRetentionMs;
    c.fsync = fsync;
    c.fsyncIntervalMs = fsyncIntervalMs;
    c.walSegmentBytes = walSegmentBytes;
    c.outOfOrderWindow = outOfOrderWindow;
    c.maxAheadMs = maxAheadMs;
    c.walEnabled = walEnabled;
    c.maxExemplars = maxExemplars;
    c.rollups = rollups;
    c.backgroundIntervalMs = backgroundIntervalMs;
    c.clock = clock;
    c.log = log;
    c.walReplayProgress = walReplayProgress;
    return c;
  }
}
