package dev.vigil.server.config;

/**
 * A configuration that cannot be used. The message names the file, the line and the key, e.g.
 * {@code vigil.yml:12: scrape_configs[0].scrape_interval: invalid duration "5x"}.
 */
public final class ConfigException extends RuntimeException {
  /** Creates the exception with a message that already names where the problem is. */
  public ConfigException(String message) {
    super(message);
  }

  /** Creates the exception with a message and a cause. */
  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
