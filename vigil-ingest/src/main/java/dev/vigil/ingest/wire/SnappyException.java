package dev.vigil.ingest.wire;

/** A corrupt snappy block; the message names the byte offset in the compressed input. */
public final class SnappyException extends IllegalArgumentException {
  private final int offset;

  public SnappyException(String message, int offset) {
    super(message + " (at compressed byte " + offset + ")");
    this.offset = offset;
  }

  public int offset() {
    return offset;
  }
}
