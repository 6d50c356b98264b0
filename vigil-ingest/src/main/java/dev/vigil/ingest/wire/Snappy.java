package dev.vigil.ingest.wire;

import java.io.IOException;
import java.util.Arrays;

/**
 * Snappy block format (the raw format remote write uses, not the framed stream format): {@link
 * #decompress} for receivers, {@link #compress} for senders and tests.
 *
 * <pre>{@code
 * byte[] packed = Snappy.compress(raw);
 * byte[] back = Snappy.decompress(packed, 32 << 20);   // refuses to inflate past 32 MiB
 * }</pre>
 *
 * <p>Decompression (of what clients send) is Vigil's own pure-Java decoder: as fast as
 * snappy-java's native library in CPU time, strict (snappy-java accepts some corrupt blocks that it
 * refuses, SnappyFuzzTestInputs/decompress/native-accepts-overlong-literal), and it names the
 * offset of a problem; the declared size is checked against the caller's limit, and against what
 * the block's length can hold, before anything is allocated. Compression (of what Vigil sends) is
 * snappy-java's native library, 3x faster than the pure-Java compressor (docs/BENCHMARKS.md); where
 * that library cannot load (no bundled library for the platform, a temporary directory that cannot
 * be written or is mounted noexec), or with {@code -Dvigil.snappy.native=false}, the pure-Java
 * compressor runs instead. {@link #codec()} says which.
 *
 * <p>Stateless and thread-safe. Corrupt input raises {@link SnappyException} naming the offset.
 */
public final class Snappy {
  /** Output bytes per input byte at most: a copy element of 3 bytes yields up to 64. */
  private static final int MAX_EXPANSION = 22;

  private Snappy() {}

  /** Loads snappy-java's native library once, on first use, or says why it could not. */
  private static final class Native {
    static final String UNAVAILABLE = probe();

    private static String probe() {
      if ("false".equals(System.getProperty("vigil.snappy.native"))) {
        return "-Dvigil.snappy.native=false";
      }
      try {
        byte[] sample = "vigil snappy probe, vigil snappy probe".getBytes();
        byte[] back =
            org.xerial.snappy.Snappy.uncompress(org.xerial.snappy.Snappy.compress(sample));
        return Arrays.equals(back, sample) ? null : "a round trip changed the data";
      } catch (IOException | LinkageError e) {
        // SnappyError (an Error) when the library cannot be extracted or loaded; the class's
        // failed initializer (ExceptionInInitializerError, NoClassDefFoundError) on later calls.
        return String.valueOf(e.getMessage() == null ? e : e.getMessage());
      }
    }
  }

  /**
   * Which compressor runs: {@code "snappy-java <version> (native)"}, or {@code "pure Java (<why the
   * native library did not load>)"}.
   */
  public static String codec() {
    return Native.UNAVAILABLE == null
        ? "snappy-java " + org.xerial.snappy.Snappy.getNativeLibraryVersion() + " (native)"
        : "pure Java (" + Native.UNAVAILABLE + ")";
  }

  /** The uncompressed length a block declares, checked against {@code maxLength}. */
  public static int uncompressedLength(byte[] in, int maxLength) {
    long len = 0;
    int shift = 0;
    int pos = 0;
    while (true) {
      if (pos >= in.length || shift > 28) {
        throw new SnappyException("corrupt snappy block: bad uncompressed-length preamble", pos);
      }
      int b = in[pos++] & 0xff;
      len |= (long) (b & 0x7f) << shift;
      if (b < 0x80) {
        break;
      }
      shift += 7;
    }
    if (len > maxLength) {
      throw new SnappyException(
          "snappy block declares " + len + " uncompressed bytes, over the limit of " + maxLength,
          0);
    }
    return (int) len;
  }

  /**
   * Decompresses a snappy block.
   *
   * @param maxLength the largest uncompressed size accepted (a guard against decompression bombs)
   * @throws SnappyException for corrupt input or a declared size over {@code maxLength}
   */
  public static byte[] decompress(byte[] in, int maxLength) {
    int outLen = uncompressedLength(in, maxLength);
    int pos = 0;
    while ((in[pos] & 0x80) != 0) {
      pos++;
    }
    pos++;
    // The most a block can expand: a 3-byte copy element yields 64 bytes. A preamble declaring
    // more is corrupt, refused before allocating what it declares.
    if (outLen > (long) (in.length - pos) * MAX_EXPANSION) {
      throw new SnappyException(
          "corrupt snappy block: declares "
              + outLen
              + " uncompressed bytes, more than "
              + (in.length - pos)
              + " bytes of elements can hold",
          0);
    }
    return PureSnappy.decompress(in, pos, outLen);
  }

  /** Compresses into a snappy block. */
  public static byte[] compress(byte[] in) {
    return compress(in, 0, in.length);
  }

  /** Compresses {@code len} bytes from {@code off} into a snappy block. */
  public static byte[] compress(byte[] in, int off, int len) {
    if (off < 0 || len < 0 || off > in.length - len) {
      throw new IndexOutOfBoundsException(
          "compress " + len + " bytes at " + off + " of " + in.length);
    }
    if (Native.UNAVAILABLE == null) {
      byte[] out = new byte[org.xerial.snappy.Snappy.maxCompressedLength(len)];
      try {
        return Arrays.copyOf(out, org.xerial.snappy.Snappy.rawCompress(in, off, len, out, 0));
      } catch (IOException e) {
        // Not expected for a buffer of maxCompressedLength; the pure-Java codec can still do it.
      }
    }
    return PureSnappy.compress(in, off, len);
  }
}
