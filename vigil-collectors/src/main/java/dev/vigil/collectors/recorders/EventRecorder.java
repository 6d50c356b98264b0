package dev.vigil.collectors.recorders;

import dev.vigil.metrics.Buckets;
import dev.vigil.metrics.Counter;
import dev.vigil.metrics.Gauge;
import dev.vigil.metrics.Histogram;
import dev.vigil.metrics.Metric;
import java.util.List;

/** Events and queues (DevLoop): events processed, event latency, queue sizes. */
final class EventRecorder {
  static final Buckets LATENCY =
      Buckets.of(0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10);

  final Counter processed;
  final Histogram latency;
  final Gauge queueSize;

  EventRecorder(Names n) {
    processed =
        Counter.builder()
            .name(n.of("events_processed_total"))
            .help("Events processed, by event type.")
            .labelNames("type")
            .build();
    latency =
        Histogram.builder()
            .name(n.of("event_latency_seconds"))
            .help("Time from an event's arrival to the end of its processing.")
            .labelNames("type")
            .buckets(LATENCY)
            .build();
    queueSize =
        Gauge.builder()
            .name(n.of("queue_size"))
            .help("Items waiting in a named queue.")
            .labelNames("queue")
            .build();
  }

  List<Metric> metrics() {
    return List.of(processed, latency, queueSize);
  }

  void processed(String type, double latencySeconds) {
    Check.label("recordEventProcessed", "type", type);
    Check.seconds("recordEventProcessed", "latencySeconds", latencySeconds);
    processed.labelValues(Scratch.of(type)).inc();
    latency.labelValues(Scratch.of(type)).observe(latencySeconds);
  }

  void queueSize(String queue, long size) {
    Check.label("setQueueSize", "queue", queue);
    Check.count("setQueueSize", "size", size);
    queueSize.labelValues(Scratch.of(queue)).set(size);
  }
}
