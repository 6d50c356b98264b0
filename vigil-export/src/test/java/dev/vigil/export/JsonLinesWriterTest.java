package dev.vigil.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Labels;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The byte-level JSON lines writer against the text it replaced: {@link Text#number} and the
 * labels' JSON in a {@code StringBuilder}, line by line (the reference below is that writer's
 * logic).
 */
class JsonLinesWriterTest {
  private static final Labels UP = Labels.of("__name__", "up", "job", "a,b", "instance", "x\"y");
  private static final Labels UNICODE = Labels.of("__name__", "température", "ville", "Zürich\n");

  /** The export as the StringBuilder writer produced it. */
  private static String reference(Labels[] series, long[][] ts, double[][] vs, int maxRows) {
    StringBuilder out = new StringBuilder();
    for (int s = 0; s < series.length; s++) {
      StringBuilder m = new StringBuilder("{\"metric\":");
      Text.jsonLabels(m, series[s]);
      m.append(",\"values\":[");
      for (int from = 0; from < ts[s].length; from += maxRows) {
        int to = Math.min(ts[s].length, from + maxRows);
        out.append(m);
        for (int i = from; i < to; i++) {
          if (i > from) {
            out.append(',');
          }
          Text.number(out, vs[s][i]);
        }
        out.append("],\"timestamps\":[");
        for (int i = from; i < to; i++) {
          if (i > from) {
            out.append(',');
          }
          out.append(ts[s][i]);
        }
        out.append("]}\n");
      }
    }
    return out.toString();
  }

  private static byte[] written(Labels[] series, long[][] ts, double[][] vs, int maxRows)
      throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (SeriesWriter w =
        ExportWriters.open(ExportFormat.JSONL, ExportWriters.Layout.LONG, out, maxRows)) {
      for (int s = 0; s < series.length; s++) {
        w.beginSeries(series[s]);
        for (int i = 0; i < ts[s].length; i++) {
          w.sample(ts[s][i], vs[s][i]);
        }
        w.endSeries();
      }
      w.finish();
    }
    return out.toByteArray();
  }

  /** Equal, or a failure showing where they first differ (a diff of megabytes would not fit). */
  private static void same(String got, String want) {
    int i = 0;
    while (i < got.length() && i < want.length() && got.charAt(i) == want.charAt(i)) {
      i++;
    }
    if (i < got.length() || i < want.length()) {
      int from = Math.max(0, i - 60);
      assertThat(got.substring(from, Math.min(got.length(), i + 60)))
          .as("first difference at offset %d", i)
          .isEqualTo(want.substring(from, Math.min(want.length(), i + 60)));
    }
  }

  /** Values of every kind the formatter branches on. */
  private static double value(SplittableRandom r) {
    return switch (r.nextInt(8)) {
      case 0 -> r.nextInt(-100_000, 100_000);
      case 1 -> r.nextInt(-100_000, 100_000) / 10.0;
      case 2 -> r.nextInt(-100_000, 100_000) / 100.0;
      case 3 -> r.nextInt(-1_000_000, 1_000_000) / 1000.0;
      case 4 -> Double.longBitsToDouble(r.nextLong());
      case 5 -> r.nextDouble() * Math.pow(10, r.nextInt(-20, 20));
      case 6 ->
          new double[] {
                Double.NaN,
                Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY,
                -0.0,
                0.0,
                1e15,
                -1e15,
                1e12 + 0.5,
                Double.MIN_VALUE,
                Double.MAX_VALUE
              }
              [r.nextInt(10)];
      default -> (double) r.nextLong();
    };
  }

  @Test
  void output_isByteForByteTheStringBuilderWriters_onRandomSeries() throws Exception {
    SplittableRandom r = new SplittableRandom(19);
    Labels[] series = new Labels[50];
    long[][] ts = new long[series.length][];
    double[][] vs = new double[series.length][];
    for (int s = 0; s < series.length; s++) {
      series[s] = s % 7 == 3 ? UNICODE : Labels.of("__name__", "m" + s, "job", "j" + (s % 3));
      int n = r.nextInt(0, 30_000);
      ts[s] = new long[n];
      vs[s] = new double[n];
      long t = r.nextLong(-2_000_000_000_000L, 2_000_000_000_000L);
      for (int i = 0; i < n; i++) {
        t += r.nextInt(1, 60_000);
        ts[s][i] = t;
        vs[s][i] = value(r);
      }
    }
    for (int maxRows : new int[] {1, 7, 10_000}) {
      same(
          new String(written(series, ts, vs, maxRows), StandardCharsets.UTF_8),
          reference(series, ts, vs, maxRows));
    }
  }

  @Test
  void longLabels_longerThanTheBuffer_areWrittenWhole() throws Exception {
    Labels big = Labels.of("__name__", "big", "v", "x".repeat(100_000) + "é");
    Labels[] series = {UP, big, UP};
    long[][] ts = {{1, 2}, {3}, {Long.MIN_VALUE, Long.MAX_VALUE}};
    double[][] vs = {{0.1, 2}, {-3.5}, {Double.NaN, 1e-300}};
    same(
        new String(written(series, ts, vs, 10_000), StandardCharsets.UTF_8),
        reference(series, ts, vs, 10_000));
  }

  @Test
  void numbers_areTextNumbers_andParseBackToTheSameDouble_onMillionsOfRandomDoubles() {
    SplittableRandom r = new SplittableRandom(7);
    byte[] b = new byte[AsciiNumbers.MAX_NUMBER];
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 2_000_000; i++) {
      double v = value(r);
      sb.setLength(0);
      Text.number(sb, v);
      int end = AsciiNumbers.number(b, 0, v);
      String got = new String(b, 0, end, StandardCharsets.US_ASCII);
      if (!got.contentEquals(sb)) {
        assertThat(got).as("bits %x", Double.doubleToRawLongBits(v)).isEqualTo(sb.toString());
      }
      if (!Double.isNaN(v)) {
        double back =
            Double.parseDouble(got.endsWith("Inf") ? got.replace("Inf", "Infinity") : got);
        if (back != v) {
          assertThat(back).as(got).isEqualTo(v);
        }
      }
    }
  }

  @Test
  void longs_areLongToString_atEveryLength() {
    byte[] b = new byte[AsciiNumbers.MAX_NUMBER];
    SplittableRandom r = new SplittableRandom(3);
    long[] edges = {0, 9, 10, 99, 100, Long.MAX_VALUE, Long.MIN_VALUE, -1, -10, 999_999_999_999L};
    for (long n : edges) {
      assertThat(new String(b, 0, AsciiNumbers.decimal(b, 0, n), StandardCharsets.US_ASCII))
          .isEqualTo(Long.toString(n));
    }
    for (int i = 0; i < 1_000_000; i++) {
      long n = r.nextLong() >> r.nextInt(64);
      String got = new String(b, 0, AsciiNumbers.decimal(b, 0, n), StandardCharsets.US_ASCII);
      if (!got.equals(Long.toString(n))) {
        assertThat(got).isEqualTo(Long.toString(n));
      }
    }
  }
}
