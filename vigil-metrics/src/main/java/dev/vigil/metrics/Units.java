package dev.vigil.metrics;

/** Base units named by Prometheus conventions, for {@code Builder.unit(...)}. */
public final class Units {
  /** Seconds (durations, latencies). */
  public static final String SECONDS = "seconds";

  /** Bytes (sizes, memory, transfer). */
  public static final String BYTES = "bytes";

  /** A ratio between 0 and 1 (utilisation, hit rate). */
  public static final String RATIO = "ratio";

  /** Degrees Celsius. */
  public static final String CELSIUS = "celsius";

  /** Joules. */
  public static final String JOULES = "joules";

  /** Meters. */
  public static final String METERS = "meters";

  /** Volts. */
  public static final String VOLTS = "volts";

  /** Amperes. */
  public static final String AMPERES = "amperes";

  /** Grams. */
  public static final String GRAMS = "grams";

  private Units() {}
}
