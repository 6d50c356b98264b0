package dev.vigil.ingest.wire;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Gzip bodies with a bound on the inflated size (a guard against decompression bombs). */
public final class Gzip {
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
   * Inflates a gzip body.
   *
   * @throws TooLargeException past {@code max} bytes
   * @throws CorruptException for a corrupt body, with the reason
   */
  public static byte[] decompress(byte[] in, int max) {
    try (InputStream z = new GZIPInputStream(new ByteArrayInputStream(in), 8192)) {
      ByteArrayOutputStream out =
          new ByteArrayOutputStream((int) Math.min(max, in.length * 4L + 64));
      byte[] buf = new byte[16384];
      int n;
      while ((n = z.read(buf)) > 0) {
        if (out.size() + n > max) {
          throw new TooLargeException(max);
        }
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new CorruptException(e.getMessage(), e);
    }
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
