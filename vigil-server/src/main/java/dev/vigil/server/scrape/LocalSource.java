package dev.vigil.server.scrape;

import java.io.IOException;

/**
 * An in-process target, such as Vigil's own registry and collectors: scraped through the same loop
 * as HTTP targets (same staleness, {@code up} and report series), without a socket.
 */
@FunctionalInterface
public interface LocalSource {
  /** The current exposition, in {@link #format()}. */
  byte[] scrape() throws IOException;

  /** The format {@link #scrape()} writes: Prometheus text 0.0.4 unless overridden. */
  default ScrapeFormat format() {
    return ScrapeFormat.PROMETHEUS_TEXT;
  }

  /** A source that writes OpenMetrics 1.0, so that its exemplars are stored too. */
  static LocalSource openMetrics(LocalSource source) {
    return new LocalSource() {
      @Override
      public byte[] scrape() throws IOException {
        return source.scrape();
      }

      @Override
      public ScrapeFormat format() {
        return ScrapeFormat.OPENMETRICS;
      }
    };
  }
}
