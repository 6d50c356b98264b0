package dev.vigil.server.scrape;

import java.util.Locale;

/** The two text formats a target may answer with, negotiated by the Accept header. */
public enum ScrapeFormat {
  /** Prometheus text format 0.0.4: integer millisecond timestamps, no {@code # EOF}. */
  PROMETHEUS_TEXT,
  /** OpenMetrics 1.0: float-second timestamps, {@code # UNIT}, exemplars, {@code # EOF}. */
  OPENMETRICS;

  /** What Prometheus 2.42 sends: OpenMetrics preferred, text 0.0.4 accepted. */
  public static final String ACCEPT =
      "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
          + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

  /** The format of a response by its Content-Type; anything unknown is read as text 0.0.4. */
  public static ScrapeFormat of(String contentType) {
    if (contentType != null
        && contentType.toLowerCase(Locale.ROOT).startsWith("application/openmetrics-text")) {
      return OPENMETRICS;
    }
    return PROMETHEUS_TEXT;
  }
}
