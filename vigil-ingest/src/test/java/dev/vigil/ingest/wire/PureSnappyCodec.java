package dev.vigil.ingest.wire;

/**
 * The pure-Java Snappy compressor for tests outside this package that need the same bytes on every
 * platform (saved fuzz seeds), whichever codec {@link Snappy} runs.
 */
public final class PureSnappyCodec {
  private PureSnappyCodec() {}

  public static byte[] compress(byte[] in) {
    return PureSnappy.compress(in, 0, in.length);
  }
}
