package dev.vigil.ingest.influx;

import dev.vigil.ingest.imports.ImportedSample;
import dev.vigil.ingest.imports.LineDecoder;
import dev.vigil.model.Labels;
import dev.vigil.model.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * InfluxDB line protocol for imports: the same series as {@code POST /write} makes ({@code
 * <measurement>_<field>} with the tags as labels, names made valid), line by line.
 *
 * <pre>{@code
 * LineDecoder d = new InfluxLineDecoder("ns", System::currentTimeMillis);
 * d.decode("cpu,host=a usage_idle=90 1700000000000000000", out);  // cpu_usage_idle{host="a"} 90
 * }</pre>
 *
 * <p>Unlike {@code /write}, a line with any problem (a reserved or repeated tag key, a timestamp
 * out of range) contributes nothing. String fields cannot be stored: they are skipped and counted
 * in {@link #stringFieldsSkipped()}, the line's numeric fields kept. Not thread-safe.
 */
public final class InfluxLineDecoder implements LineDecoder {
  private final long nanosPerUnit;
  private final LongSupplier clockMillis;
  private long stringFields;

  /**
   * @param precision {@code ns} (also null), {@code us}, {@code ms}, {@code s}, {@code n}, {@code
   *     u}, {@code m}, {@code h}
   * @param clockMillis the time of lines without a timestamp
   * @throws IllegalArgumentException for another precision
   */
  public InfluxLineDecoder(String precision, LongSupplier clockMillis) {
    this.nanosPerUnit = InfluxHandler.precision(precision);
    this.clockMillis = clockMillis;
  }

  /** String fields seen (and not stored) so far. */
  public long stringFieldsSkipped() {
    return stringFields;
  }

  @Override
  public void decode(String line, List<ImportedSample> out) {
    LineProtocolParser.Point pt;
    try {
      pt = LineProtocolParser.parse(line.stripLeading());
    } catch (LineProtocolParser.LineException e) {
      String m = e.getMessage();
      int at = m.lastIndexOf(" at column ");
      throw new ImportLineException(
          at < 0 ? m : m.substring(0, at),
          e.column() + (line.length() - line.stripLeading().length()));
    }
    Labels.Builder b = Labels.builder();
    for (int i = 0; i < pt.tags().size(); i += 2) {
      String key = Names.label(pt.tags().get(i));
      if (key.equals(Labels.METRIC_NAME) || b.get(key) != null) {
        throw new ImportLineException(
            key.equals(Labels.METRIC_NAME)
                ? "tag key __name__ is reserved"
                : "duplicate tag key \"" + key + "\"",
            Math.max(1, line.indexOf(pt.tags().get(i)) + 1));
      }
      b.set(key, pt.tags().get(i + 1));
    }
    long t;
    if (pt.timestamp() == null) {
      t = clockMillis.getAsLong();
    } else {
      long ts = pt.timestamp();
      if (nanosPerUnit >= 1_000_000) {
        long msPerUnit = nanosPerUnit / 1_000_000;
        if (ts > Long.MAX_VALUE / msPerUnit || ts < Long.MIN_VALUE / msPerUnit) {
          throw new ImportLineException(
              "timestamp " + ts + " is out of range", line.lastIndexOf(' ') + 2);
        }
        t = ts * msPerUnit;
      } else {
        t = Math.floorDiv(ts, 1_000_000 / nanosPerUnit);
      }
    }
    List<ImportedSample> mine = new ArrayList<>(pt.fields().size());
    String prefix = pt.measurement() + "_";
    for (LineProtocolParser.Field f : pt.fields()) {
      if (f.type() == LineProtocolParser.FieldType.STRING) {
        stringFields++;
        continue;
      }
      b.set(Labels.METRIC_NAME, Names.metric(prefix + f.key()));
      mine.add(new ImportedSample(b.build(), t, f.value()));
    }
    out.addAll(mine);
  }
}
