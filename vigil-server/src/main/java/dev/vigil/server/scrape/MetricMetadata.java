package dev.vigil.server.scrape;

/**
 * What a target says about one metric family: {@code # TYPE}, {@code # HELP}, {@code # UNIT}.
 *
 * @param type counter, gauge, histogram, summary, unknown, ... ({@code unknown} when not given)
 * @param help the help text, or empty
 * @param unit the unit, or empty
 */
public record MetricMetadata(String type, String help, String unit) {}
