package dev.vigil.server.push;

import dev.vigil.model.Labels;
import dev.vigil.server.push.Families.Sample;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Encodes samples as DogStatsD gauges ({@code name:value|g|#tag:value,…}), packed into datagrams of
 * at most {@link #MAX_DATAGRAM} bytes. Every series is a gauge: a StatsD counter is a delta, and
 * the store holds cumulative values. Stateless.
 */
final class StatsdLines {
  /** Fits one Ethernet frame's UDP payload, as DogStatsD clients default to. */
  static final int MAX_DATAGRAM = 1432;

  private StatsdLines() {}

  /** The datagrams; a line longer than one datagram, NaN and infinities are counted in dropped. */
  record Packets(List<byte[]> datagrams, int lines, int dropped) {}

  static Packets encode(List<Sample> samples, Map<String, String> external) {
    List<byte[]> out = new ArrayList<>();
    StringBuilder packet = new StringBuilder();
    int lines = 0;
    int dropped = 0;
    for (Sample s : samples) {
      Labels l = s.labels();
      if (l.metricName() == null || Double.isNaN(s.v()) || Double.isInfinite(s.v())) {
        dropped++;
        continue;
      }
      StringBuilder line = new StringBuilder(64);
      line.append(clean(l.metricName())).append(':').append(format(s.v())).append("|g");
      TreeMap<String, String> tags = new TreeMap<>(external);
      for (int i = 0; i < l.size(); i++) {
        if (!l.name(i).equals(Labels.METRIC_NAME)) {
          tags.put(l.name(i), l.value(i));
        }
      }
      char sep = '#';
      for (var t : tags.entrySet()) {
        line.append(sep == '#' ? "|#" : ",").append(clean(t.getKey()));
        line.append(':').append(clean(t.getValue()));
        sep = ',';
      }
      byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
      if (bytes.length > MAX_DATAGRAM) {
        dropped++;
        continue;
      }
      int size = packet.toString().getBytes(StandardCharsets.UTF_8).length;
      if (size > 0 && size + 1 + bytes.length > MAX_DATAGRAM) {
        out.add(packet.toString().getBytes(StandardCharsets.UTF_8));
        packet.setLength(0);
      }
      if (!packet.isEmpty()) {
        packet.append('\n');
      }
      packet.append(line);
      lines++;
    }
    if (!packet.isEmpty()) {
      out.add(packet.toString().getBytes(StandardCharsets.UTF_8));
    }
    return new Packets(out, lines, dropped);
  }

  private static String format(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  /** The DogStatsD separators ({@code :|,#} and newlines) cannot be escaped: they become _. */
  private static String clean(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      sb.append(c == ':' || c == '|' || c == ',' || c == '#' || c == '\n' ? '_' : c);
    }
    return sb.toString();
  }
}
