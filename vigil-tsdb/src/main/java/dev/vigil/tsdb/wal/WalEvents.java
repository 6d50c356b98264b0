package dev.vigil.tsdb.wal;

import dev.vigil.model.StorageWriteException;

/**
 * What a {@link Wal} reports to its owner: fsync durations, failed writes and their end. Called on
 * writer threads and on the fsync thread, often while the WAL holds its lock: implementations must
 * be quick, thread-safe, and must not call back into the WAL.
 */
public interface WalEvents {
  /** Reports nothing. */
  WalEvents NONE = new WalEvents() {};

  /** An fsync of a segment took {@code nanos}. */
  default void fsynced(long nanos) {}

  /**
   * A write (or, with {@link StorageWriteException.Reason#FSYNC}, a background fsync) failed.
   * {@code first} is true for the first failure after a success, so a log need not repeat the same
   * condition for every refused write.
   */
  default void writeFailed(StorageWriteException e, boolean first) {}

  /** A write succeeded after {@code failed} consecutive failed ones. */
  default void writesResumed(long failed) {}
}
