package dev.vigil.ingest.otlp;

import java.math.BigDecimal;
import java.util.Map;

/** Renders OTLP attribute values and bounds as label text. */
final class AttributeValues {
  private AttributeValues() {}

  /** Shortest decimal without exponent or trailing zeros: 1 → "1", 0.25 → "0.25". */
  static String formatDouble(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "+Inf" : "-Inf";
    }
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
  }

  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  /** Values of a kvlist are already rendered; nested strings stay unquoted text here. */
  static String jsonObject(Map<String, String> kv) {
    StringBuilder sb = new StringBuilder("{");
    kv.forEach(
        (k, v) ->
            sb.append(sb.length() > 1 ? "," : "").append(quote(k)).append(':').append(quote(v)));
    return sb.append('}').toString();
  }
}
