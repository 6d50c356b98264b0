package dev.vigil.metrics.exposition;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A buffered UTF-8 sink for the writers, with the escaping and number formatting both text formats
 * share. Not thread safe; one per write.
 */
final class Utf8Output {
  /*
   * Writes bytes straight into one array instead of going through OutputStreamWriter's
   * CharsetEncoder: label names and values are nearly always ASCII, so each char is one store.
   * Integral values (most counters and bucket counts) are formatted without a String.
   */
  private final OutputStream out;
  private byte[] buf;
  private int pos;

  Utf8Output(OutputStream out, int capacity) {
    this.out = out;
    this.buf = new byte[capacity];
  }

  private void ensure(int n) {
    if (pos + n > buf.length) {
      flushBuffer();
      if (n > buf.length) {
        buf = new byte[Math.max(n, buf.length * 2)];
      }
    }
  }

  private void flushBuffer() {
    if (out == null) {
      byte[] b = new byte[Math.max(buf.length * 2, 64)];
      System.arraycopy(buf, 0, b, 0, pos);
      buf = b;
      return;
    }
    try {
      out.write(buf, 0, pos);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    pos = 0;
  }

  /** Writes out what is buffered. */
  void flush() throws IOException {
    if (out != null) {
      out.write(buf, 0, pos);
      pos = 0;
      out.flush();
    }
  }

  /** The bytes written (only for a sink made without output stream). */
  String contents() {
    return new String(buf, 0, pos, StandardCharsets.UTF_8);
  }

  Utf8Output ascii(char c) {
    ensure(1);
    buf[pos++] = (byte) c;
    return this;
  }

  /** Appends a string as UTF-8, unescaped. */
  Utf8Output text(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        buf[pos++] = (byte) c;
      } else {
        return slowText(s, i);
      }
    }
    return this;
  }

  private Utf8Output slowText(String s, int from) {
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        ensure(1);
        buf[pos++] = (byte) c;
      } else {
        int end = Character.isHighSurrogate(c) && i + 1 < s.length() ? i + 2 : i + 1;
        byte[] b = s.substring(i, end).getBytes(StandardCharsets.UTF_8);
        ensure(b.length);
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
        i = end - 1;
      }
    }
    return this;
  }

  /** Label value: backslash, double quote and newline escaped. */
  Utf8Output labelValue(String s) {
    return escaped(s, true);
  }

  /** Help text: backslash and newline escaped; double quote too when {@code quote}. */
  Utf8Output help(String s, boolean quote) {
    return escaped(s, quote);
  }

  private Utf8Output escaped(String s, boolean quote) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c == '\\' || c == '\n' || (quote && c == '"') || c >= 0x80) {
        return slowEscaped(s, i, quote);
      }
    }
    return text(s);
  }

  private Utf8Output slowEscaped(String s, int from, boolean quote) {
    text(s.substring(0, from));
    int start = from;
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' || c == '\n' || (quote && c == '"')) {
        text(s.substring(start, i));
        text(c == '\\' ? "\\\\" : c == '\n' ? "\\n" : "\\\"");
        start = i + 1;
      }
    }
    return text(s.substring(start));
  }

  /** A value as both formats accept it: NaN, +Inf, -Inf, integers without ".0". */
  Utf8Output value(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      if (d == 0 && Double.doubleToRawLongBits(d) != 0) {
        return text("-0.0");
      }
      return number((long) d);
    }
    return canonical(d);
  }

  /** A float written with a dot or exponent ("1.0", "1.0E-5", "+Inf"): for le and quantile. */
  Utf8Output canonical(double d) {
    if (Double.isNaN(d)) {
      return text("NaN");
    }
    if (Double.isInfinite(d)) {
      return text(d > 0 ? "+Inf" : "-Inf");
    }
    return text(Double.toString(d));
  }

  /** A long without allocating. */
  Utf8Output number(long v) {
    if (v == Long.MIN_VALUE) {
      return text(Long.toString(v));
    }
    ensure(20);
    if (v < 0) {
      buf[pos++] = '-';
      v = -v;
    }
    if (v < 10) {
      buf[pos++] = (byte) ('0' + v);
      return this;
    }
    int digits = 0;
    for (long t = v; t != 0; t /= 10) {
      digits++;
    }
    int end = pos + digits;
    for (int i = end - 1; i >= pos; i--) {
      buf[i] = (byte) ('0' + (v % 10));
      v /= 10;
    }
    pos = end;
    return this;
  }

  /** Milliseconds as seconds with millisecond precision, e.g. {@code 1700000000.123}. */
  Utf8Output secondsFromMillis(long millis) {
    // Sign, then the magnitude's seconds and milliseconds: -700 ms is -0.700 (floorDiv and
    // floorMod would print -1.300, which reads as -1300 ms).
    long seconds = millis / 1000;
    long ms = Math.abs(millis % 1000);
    if (millis < 0) {
      ascii('-');
      seconds = -seconds;
    }
    number(seconds);
    ascii('.');
    if (ms < 100) {
      ascii('0');
    }
    if (ms < 10) {
      ascii('0');
    }
    return number(ms);
  }
}
