package dev.vigil.export;

import dev.vigil.model.Labels;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * VictoriaMetrics' export format, which its {@code /api/v1/import} reads back: one line per series
 * and batch, {@code
 * {"metric":{"__name__":"up",...},"values":[1,0.5],"timestamps":[1765100000000,...]}}
 * (milliseconds). A series longer than {@code maxRowsPerLine} continues on further lines with the
 * same metric, as VictoriaMetrics writes it with {@code max_rows_per_line}; so a line holds a
 * bounded batch whatever the series' length.
 */
final class JsonLinesWriter extends TextWriter {
  /*
   * Numbers are written as bytes straight into the output buffer (AsciiNumbers): the series'
   * metric prefix is encoded once per series, not once per line, and no sample passes through a
   * StringBuilder. Output is byte-for-byte that of Text.number (JsonLinesWriterTest).
   */
  private static final byte[] TIMESTAMPS = "],\"timestamps\":[".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "]}\n".getBytes(StandardCharsets.US_ASCII);

  private final int maxRows;
  private final long[] ts;
  private final double[] vs;
  private int n;
  private byte[] metric;

  /** The digits of the last timestamp's {@code t / 10^8} (27.8 h of milliseconds), cached. */
  private long hi = -1;

  private byte[] hiDigits = new byte[0];

  JsonLinesWriter(OutputStream out, int maxRowsPerLine) {
    super(out);
    this.maxRows = maxRowsPerLine;
    this.ts = new long[maxRowsPerLine];
    this.vs = new double[maxRowsPerLine];
  }

  @Override
  public void beginSeries(Labels labels) {
    StringBuilder sb = new StringBuilder(128);
    sb.append("{\"metric\":");
    Text.jsonLabels(sb, labels);
    sb.append(",\"values\":[");
    metric = sb.toString().getBytes(StandardCharsets.UTF_8);
    n = 0;
  }

  @Override
  public void sample(long t, double v) throws IOException {
    ts[n] = t;
    vs[n] = v;
    if (++n == maxRows) {
      flushLine();
    }
  }

  @Override
  public void endSeries() throws IOException {
    if (n > 0) {
      flushLine();
    }
  }

  private void flushLine() throws IOException {
    writeBytes(metric);
    byte[] b = buf;
    int room = AsciiNumbers.MAX_NUMBER + 1;
    for (int i = 0; i < n; i++) {
      reserve(room);
      int p = pos;
      if (i > 0) {
        b[p++] = ',';
      }
      pos = AsciiNumbers.number(b, p, vs[i]);
    }
    writeBytes(TIMESTAMPS);
    for (int i = 0; i < n; i++) {
      reserve(room);
      int p = pos;
      if (i > 0) {
        b[p++] = ',';
      }
      pos = timestamp(b, p, ts[i]);
    }
    writeBytes(END);
    n = 0;
  }

  /**
   * A timestamp in decimal: the digits above the lowest 8 change once in 27.8 h of samples, so they
   * are kept from the last timestamp and only 8 digits are formatted, with int arithmetic (a JFR
   * profile of the 10 M sample export had 27 of 60 samples in the long division loop).
   */
  private int timestamp(byte[] b, int p, long t) {
    if (t < 100_000_000L) {
      return AsciiNumbers.decimal(b, p, t);
    }
    long h = t / 100_000_000L;
    if (h != hi) {
      hi = h;
      byte[] d = new byte[AsciiNumbers.MAX_NUMBER];
      hiDigits = java.util.Arrays.copyOf(d, AsciiNumbers.decimal(d, 0, h));
    }
    System.arraycopy(hiDigits, 0, b, p, hiDigits.length);
    return AsciiNumbers.eightDigits(b, p + hiDigits.length, (int) (t - h * 100_000_000L));
  }
}
