package dev.vigil.tsdb.wal;

/**
 * When the WAL asks the operating system to put written records on the disk. Every policy writes a
 * commit's records to the file before the commit returns, so a killed process loses nothing
 * committed; they differ in what a power cut or a kernel crash can lose.
 */
public enum FsyncPolicy {
  /** fsync before every commit returns (shared by the commits of one group): loses nothing. */
  PER_COMMIT,
  /** fsync every interval (default 1000 ms): a power cut loses at most that interval. */
  INTERVAL,
  /** fsync only when a segment is closed: a power cut loses up to one segment (128 MiB). */
  SEGMENT_CLOSE
}
