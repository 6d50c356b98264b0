package dev.vigil.collectors.recorders;

import java.util.Map;

/**
 * One value recorded with {@link Recorders#recordSystemMetric} and its metadata.
 *
 * @param timestampMillis when it was recorded, epoch milliseconds
 * @param type the metric type, e.g. {@code response_time}
 * @param kind how the value was recorded
 * @param value the value
 * @param metadata strings (at most 1024 characters), numbers, booleans and nulls, in the caller's
 *     order, at most 32 entries
 */
public record SystemMetricEvent(
    long timestampMillis,
    String type,
    SystemMetricKind kind,
    double value,
    Map<String, Object> metadata) {}
