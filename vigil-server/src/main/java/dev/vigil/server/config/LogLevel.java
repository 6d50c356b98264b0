package dev.vigil.server.config;

import java.util.Locale;

/**
 * The least severe log messages written: {@code log.level} in {@code vigil.yml} and {@code
 * --log.level}, with Prometheus' names. {@code ./vigil serve} applies it to its logger at start and
 * at every reload; an application embedding Vigil receives it through {@code
 * Vigil.Builder.logLevels}.
 */
public enum LogLevel {
  DEBUG,
  INFO,
  WARN,
  ERROR;

  /** The name as written in the configuration ({@code debug}, {@code info}, ...). */
  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code debug}, {@code info}, {@code warn} or {@code error}.
   *
   * @throws IllegalArgumentException naming the value and the choices
   */
  public static LogLevel parse(String s) {
    for (LogLevel l : values()) {
      if (l.yamlName().equals(s)) {
        return l;
      }
    }
    throw new IllegalArgumentException(
        "unknown log level \"" + s + "\" (use debug, info, warn or error)");
  }
}
