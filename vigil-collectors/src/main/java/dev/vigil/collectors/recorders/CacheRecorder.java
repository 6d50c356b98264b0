package dev.vigil.collectors.recorders;

import dev.vigil.metrics.Buckets;
import dev.vigil.metrics.CallbackGauge;
import dev.vigil.metrics.Counter;
import dev.vigil.metrics.Histogram;
import dev.vigil.metrics.Metric;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Cache operations: hits and misses, duration, and hit ratio per cache. */
final class CacheRecorder {
  static final Buckets BUCKETS =
      Buckets.of(0.00001, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1);

  final Counter requests;
  final Histogram duration;
  final CallbackGauge hitRatio;
  private final Map<String, LongAdder[]> perCache = new ConcurrentHashMap<>();

  CacheRecorder(Names n) {
    requests =
        Counter.builder()
            .name(n.of("cache_requests_total"))
            .help("Cache operations by cache, operation and result (hit or miss).")
            .labelNames("cache", "operation", "result")
            .build();
    duration =
        Histogram.builder()
            .name(n.of("cache_operation_duration_seconds"))
            .help("Cache operation duration.")
            .labelNames("cache", "operation")
            .buckets(BUCKETS)
            .build();
    hitRatio =
        CallbackGauge.builder()
            .name(n.of("cache_hit_ratio"))
            .help("Hits / (hits + misses) since start, per cache.")
            .labelNames("cache")
            .callback(
                sink ->
                    perCache.forEach(
                        (cache, hm) -> {
                          long h = hm[0].sum();
                          long total = h + hm[1].sum();
                          if (total > 0) {
                            sink.set((double) h / total, cache);
                          }
                        }))
            .build();
  }

  /** One cache operation's children, found with two hash lookups. */
  private record Operation(Counter.Child hit, Counter.Child miss, Histogram.Child duration) {}

  private final AtomicInteger budget = new AtomicInteger(ChildCache.MAX_KEYS);

  private final ChildCache<ChildCache<Operation>> operations =
      new ChildCache<>(cache -> new ChildCache<>(op -> newOperation(cache, op), budget), budget);

  private Operation newOperation(String cache, String op) {
    return new Operation(
        requests.labelValues(cache, op, "hit"),
        requests.labelValues(cache, op, "miss"),
        duration.labelValues(cache, op));
  }

  List<Metric> metrics() {
    return List.of(requests, duration, hitRatio);
  }

  void record(String cache, String operation, boolean hit, double seconds) {
    final String m = "recordCacheOperation";
    Check.label(m, "cache", cache);
    Check.label(m, "operation", operation);
    Check.seconds(m, "seconds", seconds);
    Operation op = operations.get(cache).get(operation);
    (hit ? op.hit : op.miss).inc();
    op.duration.observe(seconds);
    LongAdder[] hm = perCache.get(cache);
    if (hm == null) {
      // Bounded like the counters: past the limit the ratio of new caches is not tracked.
      if (perCache.size() >= 10_000) {
        return;
      }
      hm = perCache.computeIfAbsent(cache, k -> new LongAdder[] {new LongAdder(), new LongAdder()});
    }
    hm[hit ? 0 : 1].increment();
  }
}
