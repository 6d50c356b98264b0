package dev.vigil.ingest.wire;

/** A malformed or truncated protobuf message; the message names the byte offset. */
public final class ProtoException extends IllegalArgumentException {
  private final int offset;

  public ProtoException(String message, int offset) {
    super("malformed protobuf at byte " + offset + ": " + message);
    this.offset = offset;
  }

  /** Byte offset in the decompressed message where decoding failed. */
  public int offset() {
    return offset;
  }
}
