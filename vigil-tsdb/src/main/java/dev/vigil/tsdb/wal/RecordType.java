package dev.vigil.tsdb.wal;

/** The WAL record types (docs/format/wal.md). */
public final class RecordType {
  /** New series: refs and label sets. */
  public static final byte SERIES = 1;

  /** A batch of samples: series ref, timestamp, value. */
  public static final byte SAMPLES = 2;

  /** Deleted ranges: series ref, min time, max time. */
  public static final byte TOMBSTONES = 3;

  /** Exemplars: series ref, timestamp, value, exemplar labels. */
  public static final byte EXEMPLARS = 4;

  private RecordType() {}
}
