package dev.vigil.export;

/**
 * {@link Text#number} and decimal longs written straight into a byte array, for the formats whose
 * bulk is numbers (JSON lines): no {@code StringBuilder}, no char-to-byte copy. The output is the
 * same bytes as {@link Text#number}'s text.
 *
 * <p>Each method writes at {@code b[p]} and returns the position after what it wrote; the caller
 * leaves at least {@link #MAX_NUMBER} bytes of room.
 */
final class AsciiNumbers {
  /** The longest text of a value or a long ({@code -9223372036854775808}, 20; a double's, 25). */
  static final int MAX_NUMBER = 32;

  private static final byte[] NAN = {'N', 'a', 'N'};
  private static final byte[] POS_INF = {'+', 'I', 'n', 'f'};
  private static final byte[] NEG_INF = {'-', 'I', 'n', 'f'};
  private static final long[] POW10 = {1, 10, 100, 1000};

  /** "00".."99": two digits per division. */
  private static final byte[] PAIRS = new byte[200];

  static {
    for (int i = 0; i < 100; i++) {
      PAIRS[2 * i] = (byte) ('0' + i / 10);
      PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
    }
  }

  private AsciiNumbers() {}

  /** As {@link Text#number}. */
  static int number(byte[] b, int p, double v) {
    if (Double.isNaN(v)) {
      return copy(NAN, b, p);
    } else if (Double.isInfinite(v)) {
      return copy(v > 0 ? POS_INF : NEG_INF, b, p);
    } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return decimal(b, p, (long) v);
    }
    int q = fewDecimals(b, p, v);
    if (q >= 0) {
      return q;
    }
    // The general case: the JDK's shortest round-tripping digits (Raffaello Giulietti's algorithm
    // since JDK 19), ASCII by construction.
    String s = Double.toString(v);
    for (int i = 0; i < s.length(); i++) {
      b[p++] = (byte) s.charAt(i);
    }
    return p;
  }

  /** As {@link Text#fewDecimals}; returns -1 (nothing written) when no 1-3 digit decimal fits. */
  static int fewDecimals(byte[] b, int p, double v) {
    if (!(Math.abs(v) < 1e12)) {
      return -1;
    }
    for (int k = 1; k <= 3; k++) {
      long pow = POW10[k];
      double r = Math.rint(v * pow);
      if (r / pow == v) {
        long n = (long) r;
        if (n < 0) {
          b[p++] = '-';
          n = -n;
        }
        p = decimal(b, p, n / pow);
        b[p++] = '.';
        long frac = n % pow;
        for (long d = pow / 10; d > frac && d > 1; d /= 10) {
          b[p++] = '0';
        }
        return decimal(b, p, frac);
      }
    }
    return -1;
  }

  /** {@code n} in decimal, as {@link Long#toString(long)}. */
  static int decimal(byte[] b, int p, long n) {
    if (n < 0) {
      if (n == Long.MIN_VALUE) {
        return copy(Long.toString(n).getBytes(java.nio.charset.StandardCharsets.US_ASCII), b, p);
      }
      b[p++] = '-';
      n = -n;
    }
    int len = digits(n);
    int end = p + len;
    int q = end;
    while (n >= 100) {
      int r = (int) (n % 100);
      n /= 100;
      b[--q] = PAIRS[2 * r + 1];
      b[--q] = PAIRS[2 * r];
    }
    if (n >= 10) {
      b[--q] = PAIRS[2 * (int) n + 1];
      b[--q] = PAIRS[2 * (int) n];
    } else {
      b[--q] = (byte) ('0' + n);
    }
    return end;
  }

  /** The low 8 digits of {@code n} in {@code [0, 10^8)}, zero-padded: int arithmetic only. */
  static int eightDigits(byte[] b, int p, int n) {
    for (int q = p + 6; q >= p; q -= 2) {
      int r = n % 100;
      n /= 100;
      b[q] = PAIRS[2 * r];
      b[q + 1] = PAIRS[2 * r + 1];
    }
    return p + 8;
  }

  /** The number of decimal digits of {@code n >= 0}. */
  private static int digits(long n) {
    long x = 10;
    for (int d = 1; d < 19; d++) {
      if (n < x) {
        return d;
      }
      x *= 10;
    }
    return 19;
  }

  private static int copy(byte[] src, byte[] b, int p) {
    System.arraycopy(src, 0, b, p, src.length);
    return p + src.length;
  }
}
