package dev.vigil.ingest.otlp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Translates OTLP metric names and units into Prometheus names as Prometheus' own OTLP receiver
 * does with suffixes enabled: the name split into words at every character that is not a letter or
 * digit, the unit appended in words ({@code ms} → {@code milliseconds}, {@code By/s} → {@code
 * bytes_per_second}, {@code {request}} annotations dropped) unless already present, {@code _total}
 * for monotonic sums (counters), {@code _ratio} for gauges of unit {@code 1}.
 *
 * <pre>{@code
 * PrometheusNames.metricName("http.server.request.duration", "s", false, false)
 *     // "http_server_request_duration_seconds"
 * PrometheusNames.metricName("http.server.requests", "{request}", true, false)
 *     // "http_server_requests_total"
 * }</pre>
 */
final class PrometheusNames {
  private static final Map<String, String> UNITS =
      Map.ofEntries(
          Map.entry("d", "days"),
          Map.entry("h", "hours"),
          Map.entry("min", "minutes"),
          Map.entry("s", "seconds"),
          Map.entry("ms", "milliseconds"),
          Map.entry("us", "microseconds"),
          Map.entry("ns", "nanoseconds"),
          Map.entry("By", "bytes"),
          Map.entry("KiBy", "kibibytes"),
          Map.entry("MiBy", "mebibytes"),
          Map.entry("GiBy", "gibibytes"),
          Map.entry("TiBy", "tibibytes"),
          Map.entry("KBy", "kilobytes"),
          Map.entry("MBy", "megabytes"),
          Map.entry("GBy", "gigabytes"),
          Map.entry("TBy", "terabytes"),
          Map.entry("m", "meters"),
          Map.entry("V", "volts"),
          Map.entry("A", "amperes"),
          Map.entry("J", "joules"),
          Map.entry("W", "watts"),
          Map.entry("g", "grams"),
          Map.entry("Cel", "celsius"),
          Map.entry("Hz", "hertz"),
          Map.entry("1", ""),
          Map.entry("%", "percent"));

  private static final Map<String, String> PER_UNITS =
      Map.of(
          "s", "second",
          "m", "minute",
          "h", "hour",
          "d", "day",
          "w", "week",
          "mo", "month",
          "y", "year");

  private PrometheusNames() {}

  /**
   * The Prometheus metric name.
   *
   * @param counter true for monotonic sums ({@code _total} added)
   * @param gauge true for gauges (unit {@code 1} becomes {@code _ratio})
   */
  public static String metricName(String name, String unit, boolean counter, boolean gauge) {
    List<String> tokens = words(name);
    String u = unit == null ? "" : unit.replaceAll("\\{[^}]*}", "").trim();
    String main = u;
    String per = "";
    int slash = u.indexOf('/');
    if (slash >= 0) {
      main = u.substring(0, slash).trim();
      per = u.substring(slash + 1).trim();
    }
    String mainWords = UNITS.getOrDefault(main, main);
    for (String w : words(mainWords)) {
      if (!tokens.contains(w)) {
        tokens.add(w);
      }
    }
    if (!per.isEmpty()) {
      String perWord = PER_UNITS.getOrDefault(per, per);
      List<String> pw = words(perWord);
      if (!pw.isEmpty() && !tokens.contains(pw.get(pw.size() - 1))) {
        tokens.add("per");
        tokens.addAll(pw);
      }
    }
    if (counter) {
      tokens.removeIf("total"::equals);
      tokens.add("total");
    }
    if (gauge && "1".equals(u)) {
      tokens.removeIf("ratio"::equals);
      tokens.add("ratio");
    }
    String out = String.join("_", tokens);
    if (out.isEmpty()) {
      return "_";
    }
    return Character.isDigit(out.charAt(0)) ? "_" + out : out;
  }

  /** A label name for an attribute key: invalid characters become {@code _}. */
  public static String labelName(String key) {
    StringBuilder sb = new StringBuilder(key.length());
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      sb.append(
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
              ? c
              : '_');
    }
    if (sb.isEmpty()) {
      return "_";
    }
    if (Character.isDigit(sb.charAt(0))) {
      sb.insert(0, "key_");
    }
    return sb.toString();
  }

  private static List<String> words(String s) {
    List<String> out = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
        w.append(c);
      } else if (!w.isEmpty()) {
        out.add(w.toString());
        w.setLength(0);
      }
    }
    if (!w.isEmpty()) {
      out.add(w.toString());
    }
    return out;
  }
}
