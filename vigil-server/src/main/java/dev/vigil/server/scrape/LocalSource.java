package dev.vigil.server.scrape;

import java.io.IOException;

/**
 * An in-process target, such as Vigil's own registry and collectors: scraped through the same loop
 * as HTTP targets (same staleness, {@code up} and report series), without a socket.
 */
@FunctionalInterface
public interface LocalSource {
  /** The current exposition in Prometheus text format 0.0.4. */
  byte[] scrape() throws IOException;
}
