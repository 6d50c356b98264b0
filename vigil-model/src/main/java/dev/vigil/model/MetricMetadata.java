package dev.vigil.model;

/**
 * Metadata of a metric family as its source declares it: a scraped target's {@code # TYPE}, {@code
 * # HELP} and {@code # UNIT}, a remote-write client's {@code MetricMetadata}, an OTLP metric's
 * kind, description and unit (Prometheus' {@code metadata.Metadata}, with the family name).
 *
 * @param family the metric family name (e.g. {@code http_requests_total})
 * @param type {@code counter}, {@code gauge}, {@code histogram}, {@code gaugehistogram}, {@code
 *     summary}, {@code info}, {@code stateset} or {@code unknown}
 * @param help the help text, possibly empty
 * @param unit the unit, possibly empty
 */
public record MetricMetadata(String family, String type, String help, String unit) {}
