package dev.vigil.tsdb.block;

/** Encodings of records in block chunk files (docs/format/chunks.md). */
final class ChunkEncoding {
  /** A Gorilla chunk as the head writes it (timestamps and values). */
  public static final byte XOR = 1;

  /** A timestamp column shared by every series chunk that refers to it. */
  public static final byte TIMESTAMPS = 2;

  /** A value column; its timestamps are in the column its index entry names. */
  public static final byte VALUES = 3;

  private ChunkEncoding() {}
}
