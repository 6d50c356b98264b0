package dev.vigil.tsdb;

import dev.vigil.model.Exemplar;
import dev.vigil.model.Labels;
import dev.vigil.tsdb.head.Head;
import dev.vigil.tsdb.head.MemSeries;
import dev.vigil.tsdb.wal.RecordDecoder;
import dev.vigil.tsdb.wal.RecordType;
import dev.vigil.tsdb.wal.WalReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Rebuilds the head from the WAL at start-up (checkpoint, then segments in order): decodes records
 * and hands them to the head's replay entry points.
 *
 * <p>The WAL holds only samples the head accepted (see {@code head.HeadAppender}), so replay
 * accepts every logged sample at or after the minimum valid time, in or out of order, and skips
 * samples after the clock plus the max ahead time (logged by versions without that limit; the head
 * must not move into the future).
 */
final class WalReplay {
  private final Head head;
  private final ExemplarStore exemplars;
  private final Map<Long, MemSeries> byWalRef = new HashMap<>();
  long samples;
  long skipped;
  long tooFarAhead;
  private final long maxValidTime;
  long exemplarCount;

  WalReplay(Head head, ExemplarStore exemplars) {
    this.head = head;
    this.exemplars = exemplars;
    this.maxValidTime = head.maxValidTime();
  }

  /** Replays {@code walDir} into {@code head}; returns a one-line summary. */
  static String replay(Path walDir, Head head, ExemplarStore exemplars, Consumer<String> warn)
      throws IOException {
    return replay(walDir, head, exemplars, warn, null);
  }

  /** Like {@link #replay(Path, Head, ExemplarStore, Consumer)}, reporting segment progress. */
  static String replay(
      Path walDir,
      Head head,
      ExemplarStore exemplars,
      Consumer<String> warn,
      WalReplayProgress progress)
      throws IOException {
    WalReplay r = new WalReplay(head, exemplars);
    WalReader.SegmentListener listener =
        progress == null
            ? null
            : new WalReader.SegmentListener() {
              @Override
              public void range(int first, int last) {
                progress.range(first, last);
              }

              @Override
              public void reading(int n) {
                progress.reading(n);
              }
            };
    long records = WalReader.replay(walDir, r::record, warn, listener);
    if (progress != null) {
      progress.finished();
    }
    return "replayed "
        + records
        + " WAL records: "
        + r.byWalRef.size()
        + " series, "
        + r.samples
        + " samples, "
        + r.exemplarCount
        + " exemplars"
        + (r.skipped > 0 ? ", " + r.skipped + " skipped (persisted already or unknown series)" : "")
        + (r.tooFarAhead > 0
            ? ", "
                + r.tooFarAhead
                + " skipped as after "
                + r.maxValidTime
                + " (the clock plus the max ahead time)"
            : "");
  }

  /**
   * Applies one intact record to the head.
   *
   * @throws IllegalStateException naming the problem when the payload is malformed
   */
  void record(byte type, byte[] b, int off, int len) {
    RecordDecoder d = new RecordDecoder(b, off, len);
    switch (type) {
      case RecordType.SERIES -> {
        while (d.hasMore()) {
          long ref = d.uvarint();
          if (ref < 1 || ref >= Integer.MAX_VALUE) {
            throw new IllegalStateException(
                "series ref " + Long.toUnsignedString(ref) + " out of range");
          }
          Labels labels = d.labels();
          if (labels.isEmpty()) {
            throw new IllegalStateException("series ref " + ref + " has no labels");
          }
          byWalRef.put(ref, head.replaySeries(labels, (int) ref));
        }
      }
      case RecordType.SAMPLES -> samples(d);
      case RecordType.TOMBSTONES -> {
        while (d.hasMore()) {
          MemSeries s = byWalRef.get(d.uvarint());
          long mint = d.varint();
          long maxt = d.varint();
          if (s != null) {
            head.delete(s, mint, maxt);
          }
        }
      }
      case RecordType.EXEMPLARS -> exemplars(d);
      default -> throw new IllegalStateException("unknown WAL record type " + type);
    }
  }

  /** Exemplars of unknown series are skipped; duplicates (checkpoint and segment) ignored. */
  private void exemplars(RecordDecoder d) {
    int n = d.count("exemplars", 11); // ref, t, value, label count
    long r0 = d.uvarint();
    long t0 = d.varint();
    for (int i = 0; i < n; i++) {
      long ref = r0 + d.varint();
      long t = t0 + d.varint();
      double v = Double.longBitsToDouble(d.long64());
      Labels l = d.labels();
      MemSeries s = byWalRef.get(ref);
      if (s != null && exemplars.add(s.labels(), new Exemplar(l, v, t))) {
        exemplarCount++;
      }
    }
  }

  private void samples(RecordDecoder d) {
    int n = d.count("samples", 10); // ref, t, value
    long r0 = d.uvarint();
    long t0 = d.varint();
    long mint = Long.MAX_VALUE;
    long maxt = Long.MIN_VALUE;
    long minValid = head.minValidTime();
    for (int i = 0; i < n; i++) {
      long ref = r0 + d.varint();
      long t = t0 + d.varint();
      double v = Double.longBitsToDouble(d.long64());
      MemSeries s = byWalRef.get(ref);
      if (s == null || t < minValid) {
        skipped++;
        continue;
      }
      if (t > maxValidTime) {
        tooFarAhead++;
        continue;
      }
      if (head.appendReplayed(s, t, v) == MemSeries.OK) {
        samples++;
        mint = Math.min(mint, t);
        maxt = Math.max(maxt, t);
      }
    }
    if (maxt != Long.MIN_VALUE) {
      head.updateRange(mint, maxt);
    }
  }
}
