package dev.vigil.metrics.exposition;

import java.util.Locale;

/**
 * The exposition formats, and the choice among them from an HTTP {@code Accept} header.
 *
 * <pre>{@code
 * ExpositionFormat f = ExpositionFormat.negotiate(
 *     "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");
 * // OPENMETRICS
 * }</pre>
 */
public enum ExpositionFormat {
  /** Prometheus text 0.0.4. */
  PROMETHEUS(PrometheusTextWriter.INSTANCE),
  /** OpenMetrics 1.0 text. */
  OPENMETRICS(OpenMetricsTextWriter.INSTANCE),
  /** Vigil's JSON ({@code docs/exposition-json.md}). */
  JSON(JsonWriter.INSTANCE);

  private final ExpositionWriter writer;

  ExpositionFormat(ExpositionWriter writer) {
    this.writer = writer;
  }

  /** The writer for this format. */
  public ExpositionWriter writer() {
    return writer;
  }

  /** The Content-Type of this format. */
  public String contentType() {
    return writer.contentType();
  }

  /**
   * The format to answer a request with: the acceptable media range with the highest {@code q}
   * among {@code application/openmetrics-text} (version 1.0.0 or unspecified), {@code
   * application/json} and {@code text/plain}; ties go to the earlier range. A missing or empty
   * header, or one naming nothing known, gives {@link #PROMETHEUS} (what Prometheus itself does).
   */
  public static ExpositionFormat negotiate(String accept) {
    if (accept == null || accept.isBlank()) {
      return PROMETHEUS;
    }
    ExpositionFormat best = null;
    double bestQ = 0;
    for (String range : accept.split(",")) {
      String[] parts = range.split(";");
      String type = parts[0].trim().toLowerCase(Locale.ROOT);
      double q = 1;
      String version = null;
      for (int i = 1; i < parts.length; i++) {
        String p = parts[i].trim();
        int eq = p.indexOf('=');
        if (eq < 0) {
          continue;
        }
        String k = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
        String v = p.substring(eq + 1).trim();
        if (k.equals("q")) {
          try {
            q = Double.parseDouble(v);
          } catch (NumberFormatException e) {
            q = 0;
          }
        } else if (k.equals("version")) {
          version = v;
        }
      }
      ExpositionFormat f =
          switch (type) {
            case "application/openmetrics-text" ->
                version == null || version.startsWith("1.0") ? OPENMETRICS : null;
            case "application/json" -> JSON;
            case "text/plain", "text/*", "*/*" -> PROMETHEUS;
            default -> null;
          };
      if (f != null && q > bestQ) {
        best = f;
        bestQ = q;
      }
    }
    return best == null ? PROMETHEUS : best;
  }

  /** The format named by a query parameter ({@code prometheus}, {@code openmetrics}, ...). */
  public static ExpositionFormat fromName(String name) {
    for (ExpositionFormat f : values()) {
      if (f.name().equalsIgnoreCase(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "unknown exposition format '" + name + "' (use prometheus, openmetrics or json)");
  }
}
