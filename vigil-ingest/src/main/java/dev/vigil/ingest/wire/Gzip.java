package dev.vigil.ingest.wire;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Gzip bodies with a bound on the inflated size (a guard against decompression bombs).
 *
 * <pre>{@code
 * byte[] body = Gzip.decompress(request, 64 << 20);   // TooLargeException past 64 MiB
 * }</pre>
 *
 * <p>Stateless and thread-safe. {@link #decompress} never allocates more than the inflated size
 * plus a fixed scratch buffer ({@value #SCRATCH} bytes) and the inflater's own window; a body that
 * inflates past the limit costs only the scratch buffer.
 */
public final class Gzip {
  /*
   * Two passes. The first inflates into a fixed scratch buffer and only counts, stopping as soon
   * as the count passes the limit; the second inflates into an array of exactly the counted size.
   * A single pass into a growing buffer allocated up to twice the limit per bomb, plus the final
   * copy: three ~0.8 MB bombs grew the server's RSS by ~600 MB. The gzip trailer's ISIZE cannot
   * stand in for the first pass: the sender writes it, and it is the size modulo 2^32 of the last
   * member only. The price is inflating an accepted body twice (inflate runs at several hundred
   * MB/s, against the ~10 MiB bodies the server accepts).
   */

  /** Bytes of the counting pass's buffer. */
  static final int SCRATCH = 16384;

  private Gzip() {}

  /** Thrown when the inflated body would exceed the limit. */
  public static final class TooLargeException extends IllegalArgumentException {
    public TooLargeException(int max) {
      super("gzip body inflates past the limit of " + max + " bytes");
    }
  }

  /** Thrown for a body that is not valid gzip; the message says why. */
  public static final class CorruptException extends IllegalArgumentException {
    public CorruptException(String reason, Throwable cause) {
      super("corrupt gzip body: " + reason, cause);
    }
  }

  /**
   * Inflates a gzip body (one or more members).
   *
   * @param max the largest inflated size accepted, in bytes
   * @throws TooLargeException past {@code max} bytes, having allocated no more than the scratch
   *     buffer
   * @throws CorruptException for a corrupt body, with the reason
   */
  public static byte[] decompress(byte[] in, int max) {
    int size = inflatedSize(in, max);
    byte[] out = new byte[size];
    try (InputStream z = open(in)) {
      int n = z.readNBytes(out, 0, size);
      if (n != size || z.read() >= 0) {
        throw new CorruptException("inflated size changed between passes", null);
      }
      return out;
    } catch (IOException e) {
      throw new CorruptException(e.getMessage(), e);
    }
  }

  /**
   * The inflated size of a gzip body, counted without keeping the output.
   *
   * @throws TooLargeException as soon as the count passes {@code max}
   * @throws CorruptException for a corrupt body
   */
  public static int inflatedSize(byte[] in, int max) {
    byte[] scratch = new byte[SCRATCH];
    long total = 0;
    try (InputStream z = open(in)) {
      int n;
      while ((n = z.read(scratch)) >= 0) {
        total += n;
        if (total > max) {
          throw new TooLargeException(max);
        }
      }
      return (int) total;
    } catch (IOException e) {
      throw new CorruptException(e.getMessage(), e);
    }
  }

  private static InputStream open(byte[] in) throws IOException {
    return new GZIPInputStream(new ByteArrayInputStream(in), 8192);
  }

  /** Compresses (for senders and tests). */
  public static byte[] compress(byte[] in) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }
}
