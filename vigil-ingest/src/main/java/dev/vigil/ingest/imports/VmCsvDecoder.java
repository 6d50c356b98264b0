package dev.vigil.ingest.imports;

import dev.vigil.ingest.Ingester;
import dev.vigil.model.Labels;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * CSV read through VictoriaMetrics' column spec, the {@code format} parameter of its {@code
 * /api/v1/import/csv}:
 *
 * <pre>{@code
 * new VmCsvDecoder("1:time:unix_s,2:label:host,3:metric:cpu_usage,4:metric:mem_used", clock)
 * // 1700000000,web1,0.5,1024  →  cpu_usage{host="web1"} 0.5, mem_used{host="web1"} 1024
 * }</pre>
 *
 * <p>{@code <column>:time:<unix_s|unix_ms|unix_ns|rfc3339>}, {@code <column>:label:<name>}, {@code
 * <column>:metric:<name>} (columns 1-based). Each metric column is one sample with every label
 * column (empty labels left out); without a time column samples take the clock's time. No header
 * row. A line with too few columns, a bad time or a bad or empty value stores nothing, as
 * VictoriaMetrics 1.79 drops it (checked against it in {@code ImportEndpointsTest}).
 */
public final class VmCsvDecoder implements LineDecoder {
  private record Column(int index, String kind, String arg) {}

  private final List<Column> labels = new ArrayList<>();
  private final List<Column> metrics = new ArrayList<>();
  private Column time;
  private final LongSupplier clockMillis;
  private final int maxIndex;

  /**
   * @throws IllegalArgumentException for a spec that does not parse, naming the part
   */
  public VmCsvDecoder(String spec, LongSupplier clockMillis) {
    this.clockMillis = clockMillis;
    int max = 0;
    for (String part : spec.split(",")) {
      String[] p = part.strip().split(":", 3);
      if (p.length != 3) {
        throw new IllegalArgumentException(
            "invalid format part \"" + part + "\": expected <column>:<time|label|metric>:<arg>");
      }
      int idx;
      try {
        idx = Integer.parseInt(p[0]);
      } catch (NumberFormatException e) {
        idx = 0;
      }
      if (idx < 1) {
        throw new IllegalArgumentException(
            "invalid format part \"" + part + "\": the column is a number from 1");
      }
      Column c = new Column(idx - 1, p[1], p[2]);
      switch (p[1]) {
        case "time" -> {
          if (!List.of("unix_s", "unix_ms", "unix_ns", "rfc3339").contains(p[2])) {
            throw new IllegalArgumentException(
                "invalid format part \""
                    + part
                    + "\": time is unix_s, unix_ms, unix_ns or rfc3339");
          }
          if (time != null) {
            throw new IllegalArgumentException("two time columns in the format");
          }
          time = c;
        }
        case "label" -> {
          if (!Ingester.validLabelName(p[2]) || p[2].equals(Labels.METRIC_NAME)) {
            throw new IllegalArgumentException("invalid label name \"" + p[2] + "\" in the format");
          }
          labels.add(c);
        }
        case "metric" -> {
          if (!Ingester.validMetricName(p[2])) {
            throw new IllegalArgumentException(
                "invalid metric name \"" + p[2] + "\" in the format");
          }
          metrics.add(c);
        }
        default ->
            throw new IllegalArgumentException(
                "invalid format part \"" + part + "\": the type is time, label or metric");
      }
      max = Math.max(max, idx);
    }
    if (metrics.isEmpty()) {
      throw new IllegalArgumentException("the format has no metric column");
    }
    this.maxIndex = max;
  }

  @Override
  public void decode(String line, List<ImportedSample> out) {
    List<CsvDecoder.Field> fields = CsvDecoder.split(line);
    if (fields.size() < maxIndex) {
      throw new ImportLineException(
          fields.size() + " columns where the format reads column " + maxIndex, line.length() + 1);
    }
    long t = clockMillis.getAsLong();
    if (time != null) {
      CsvDecoder.Field f = fields.get(time.index());
      t = time(f.text().strip(), time.arg(), f.column(0));
    }
    Labels.Builder b = Labels.builder();
    for (Column c : labels) {
      String v = fields.get(c.index()).text();
      if (!v.isEmpty()) {
        b.set(c.arg(), v);
      }
    }
    List<ImportedSample> mine = new ArrayList<>(metrics.size());
    for (Column c : metrics) {
      CsvDecoder.Field f = fields.get(c.index());
      String s = f.text().strip();
      if (s.isEmpty()) {
        // VictoriaMetrics drops such a row whole: so does this decoder, and says why.
        throw new ImportLineException(
            "empty value in metric column " + (c.index() + 1) + " (" + c.arg() + ")", f.column(0));
      }
      double v = CsvDecoder.value(s, f.column(0));
      b.set(Labels.METRIC_NAME, c.arg());
      mine.add(new ImportedSample(b.build(), t, v));
    }
    out.addAll(mine);
  }

  private static long time(String s, String type, int col) {
    try {
      return switch (type) {
        case "unix_s" -> new BigDecimal(s).movePointRight(3).longValue();
        case "unix_ms" -> new BigDecimal(s).longValue();
        case "unix_ns" -> Math.floorDiv(new BigDecimal(s).longValue(), 1_000_000L);
        default -> OffsetDateTime.parse(s).toInstant().toEpochMilli();
      };
    } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
      throw new ImportLineException("invalid " + type + " time \"" + s + "\"", col);
    }
  }
}
