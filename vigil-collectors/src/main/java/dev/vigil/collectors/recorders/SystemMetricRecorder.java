package dev.vigil.collectors.recorders;

import dev.vigil.metrics.Counter;
import dev.vigil.metrics.Gauge;
import dev.vigil.metrics.Histogram;
import dev.vigil.metrics.Metric;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * VIBEZEN's {@code record_system_metric(type, value, metadata)}: a typed value per registered type
 * (gauge, counter or histogram, the type a label of a bounded set), its metadata kept as an event
 * (the recent-events ring, and the events log when one is configured), never as labels.
 */
final class SystemMetricRecorder {

  /*
   * Cardinality: the type is the only label. Types registered on the builder keep their kind;
   * others are taken as gauges on first use while fewer than maxTypes types exist, after which a
   * new type is refused and counted (the value and its metadata are dropped). Metadata can hold
   * anything (ids, phases, providers): labels would make one series per value, so it goes to the
   * events instead, where it can be filtered without costing a series.
   */

  /** Metadata entries kept per event. */
  static final int MAX_METADATA = 32;

  private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]{0,63}");

  final Gauge gauge;
  final Counter counter;
  final Histogram histogram;
  final Counter refused;
  private final Map<String, SystemMetricKind> kinds = new ConcurrentHashMap<>();
  private final int maxTypes;
  private final SystemMetricEvent[] ring;
  private long written; // guarded by ring
  private final FileEventLog events;
  private final LongSupplier clockMillis;

  SystemMetricRecorder(
      Names n,
      Map<String, SystemMetricKind> registered,
      int maxTypes,
      int eventCapacity,
      FileEventLog events,
      LongSupplier clockMillis) {
    if (maxTypes < registered.size()) {
      throw new IllegalArgumentException(
          "maxSystemMetricTypes "
              + maxTypes
              + " is below the "
              + registered.size()
              + " registered");
    }
    if (eventCapacity < 1) {
      throw new IllegalArgumentException(
          "system metric event capacity must be >= 1, got " + eventCapacity);
    }
    this.kinds.putAll(registered);
    this.maxTypes = maxTypes;
    this.ring = new SystemMetricEvent[eventCapacity];
    this.events = events;
    this.clockMillis = clockMillis;
    gauge =
        Gauge.builder()
            .name(n.of("system_metric_gauge"))
            .help("Values of recordSystemMetric for gauge types: the last value, by type.")
            .labelNames("type")
            .build();
    counter =
        Counter.builder()
            .name(n.of("system_metric_counter_total"))
            .help("Values of recordSystemMetric for counter types: their sum, by type.")
            .labelNames("type")
            .build();
    histogram =
        Histogram.builder()
            .name(n.of("system_metric_histogram"))
            .help("Values of recordSystemMetric for histogram types: their distribution, by type.")
            .labelNames("type")
            .build();
    refused =
        Counter.builder()
            .name(n.of("system_metric_types_refused_total"))
            .help("recordSystemMetric calls refused because the type limit was reached.")
            .build();
  }

  /** Checks a type name; returns it. */
  static String type(String method, String type) {
    Check.label(method, "type", type);
    if (!TYPE.matcher(type).matches()) {
      throw new IllegalArgumentException(
          method + ": type '" + type + "' must match [a-z][a-z0-9_]{0,63}, e.g. response_time");
    }
    return type;
  }

  List<Metric> metrics() {
    return List.of(gauge, counter, histogram, refused);
  }

  boolean record(String type, double value, Map<String, ?> metadata) {
    final String m = "recordSystemMetric";
    type(m, type);
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(m + ": value must be finite, got " + value);
    }
    SystemMetricKind kind = kinds.get(type);
    if (kind == null) {
      synchronized (kinds) {
        kind = kinds.get(type);
        if (kind == null) {
          if (kinds.size() >= maxTypes) {
            refused.inc();
            return false;
          }
          kind = SystemMetricKind.GAUGE;
          kinds.put(type, kind);
        }
      }
    }
    switch (kind) {
      case GAUGE -> gauge.labelValues(Scratch.of(type)).set(value);
      case COUNTER -> {
        if (value < 0) {
          throw new IllegalArgumentException(
              m + ": type '" + type + "' is a counter; value must be >= 0, got " + value);
        }
        counter.labelValues(Scratch.of(type)).inc(value);
      }
      case HISTOGRAM -> histogram.labelValues(Scratch.of(type)).observe(value);
    }
    Map<String, Object> meta = metadata(metadata);
    long now = clockMillis.getAsLong();
    synchronized (ring) {
      ring[(int) (written % ring.length)] = new SystemMetricEvent(now, type, kind, value, meta);
      written++;
    }
    if (events != null) {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("type", type);
      fields.put("kind", kind.name().toLowerCase(java.util.Locale.ROOT));
      fields.put("value", value);
      fields.put("metadata", meta);
      events.appendEvent("system_metric", now, fields);
    }
    return true;
  }

  /** Copies metadata: strings (cut at 1024), numbers and booleans; others as their text. */
  private static Map<String, Object> metadata(Map<String, ?> metadata) {
    if (metadata == null || metadata.isEmpty()) {
      return Map.of();
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : metadata.entrySet()) {
      if (out.size() == MAX_METADATA) {
        break;
      }
      String k = e.getKey();
      if (k == null || k.isEmpty() || k.length() > Check.MAX_LABEL_CHARS) {
        throw new IllegalArgumentException(
            "recordSystemMetric: metadata keys must be 1 to "
                + Check.MAX_LABEL_CHARS
                + " characters, got "
                + (k == null ? "null" : "'" + k.substring(0, Math.min(k.length(), 40)) + "'"));
      }
      Object v = e.getValue();
      if (!(v == null || v instanceof Number || v instanceof Boolean)) {
        String s = v.toString();
        v =
            s.length() > ErrorLog.MAX_MESSAGE_CHARS
                ? s.substring(0, ErrorLog.MAX_MESSAGE_CHARS)
                : s;
      }
      out.put(k, v);
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * The kept events, newest first.
   *
   * @param type only this type, or null
   * @param metadataEquals only events whose metadata has these entries (compared as text)
   * @param limit at most this many, at least 1
   */
  List<SystemMetricEvent> recent(String type, Map<String, String> metadataEquals, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, got " + limit);
    }
    List<SystemMetricEvent> out = new ArrayList<>();
    synchronized (ring) {
      long n = Math.min(written, ring.length);
      for (long i = written - 1; i >= written - n && out.size() < limit; i--) {
        SystemMetricEvent e = ring[(int) (i % ring.length)];
        if ((type == null || e.type().equals(type)) && matches(e.metadata(), metadataEquals)) {
          out.add(e);
        }
      }
    }
    return List.copyOf(out);
  }

  private static boolean matches(Map<String, Object> meta, Map<String, String> want) {
    if (want == null) {
      return true;
    }
    for (Map.Entry<String, String> w : want.entrySet()) {
      Object v = meta.get(w.getKey());
      if (v == null || !String.valueOf(v).equals(w.getValue())) {
        return false;
      }
    }
    return true;
  }

  /** The types known now and their kinds. */
  Map<String, SystemMetricKind> types() {
    return Map.copyOf(kinds);
  }
}
