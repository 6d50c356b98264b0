package dev.vigil.ingest.remote;

import dev.vigil.ingest.wire.ProtoWriter;
import dev.vigil.model.Labels;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes remote write 1.0 and 2.0 messages (uncompressed protobuf; pass the result to {@link
 * dev.vigil.ingest.wire.Snappy#compress}). For load generators, tests and senders.
 *
 * <pre>{@code
 * byte[] body = Snappy.compress(RemoteWriteEncoder.v1(List.of(
 *     new RemoteWriteEncoder.Series(Labels.of("__name__", "up"), new long[] {t}, new double[] {1}))));
 * }</pre>
 */
public final class RemoteWriteEncoder {
  /** One series and its samples (parallel arrays, times in milliseconds). */
  public record Series(Labels labels, long[] times, double[] values) {
    public Series {
      if (times.length != values.length) {
        throw new IllegalArgumentException("times and values differ in length");
      }
    }
  }

  private RemoteWriteEncoder() {}

  /** A {@code prometheus.WriteRequest}. */
  public static byte[] v1(List<Series> series) {
    ProtoWriter w = new ProtoWriter();
    for (Series s : series) {
      w.message(
          1,
          ts -> {
            for (int i = 0; i < s.labels().size(); i++) {
              String n = s.labels().name(i);
              String v = s.labels().value(i);
              ts.message(1, l -> l.string(1, n).string(2, v));
            }
            for (int i = 0; i < s.times().length; i++) {
              long t = s.times()[i];
              double v = s.values()[i];
              ts.message(2, smp -> smp.doubleField(1, v).varint(2, t));
            }
          });
    }
    return w.toByteArray();
  }

  /** An {@code io.prometheus.write.v2.Request} with a symbols table starting with "". */
  public static byte[] v2(List<Series> series) {
    Map<String, Integer> index = new HashMap<>();
    ProtoWriter symbols = new ProtoWriter();
    symbol("", index, symbols);
    ProtoWriter body = new ProtoWriter();
    for (Series s : series) {
      int[] refs = new int[s.labels().size() * 2];
      for (int i = 0; i < s.labels().size(); i++) {
        refs[2 * i] = symbol(s.labels().name(i), index, symbols);
        refs[2 * i + 1] = symbol(s.labels().value(i), index, symbols);
      }
      body.message(
          5,
          ts -> {
            ts.packedVarints(1, refs);
            for (int i = 0; i < s.times().length; i++) {
              long t = s.times()[i];
              double v = s.values()[i];
              ts.message(2, smp -> smp.doubleField(1, v).varint(2, t));
            }
          });
    }
    byte[] sym = symbols.toByteArray();
    byte[] ser = body.toByteArray();
    return new ProtoWriter().raw(sym, 0, sym.length).raw(ser, 0, ser.length).toByteArray();
  }

  private static int symbol(String s, Map<String, Integer> index, ProtoWriter symbols) {
    Integer i = index.get(s);
    if (i == null) {
      i = index.size();
      index.put(s, i);
      symbols.string(4, s);
    }
    return i;
  }
}
