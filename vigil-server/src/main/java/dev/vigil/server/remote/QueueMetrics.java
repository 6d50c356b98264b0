package dev.vigil.server.remote;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * One queue's counters and gauges, with the meaning of Prometheus' {@code
 * prometheus_remote_storage_*} (docs/remote-write.md lists them). Thread-safe.
 */
final class QueueMetrics {
  /** {@code sent_batch_duration_seconds} buckets: Prometheus' (DefBuckets, 25, 60, 120, 300). */
  static final double[] BUCKETS = {
    .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 25, 60, 120, 300, Double.POSITIVE_INFINITY
  };

  final LongAdder samplesIn = new LongAdder();
  final LongAdder samplesSent = new LongAdder();
  final LongAdder samplesFailed = new LongAdder();
  final LongAdder samplesRetried = new LongAdder();
  final LongAdder samplesDropped = new LongAdder();
  final LongAdder exemplarsSent = new LongAdder();
  final LongAdder bytesSent = new LongAdder();
  final AtomicLong samplesPending = new AtomicLong();
  final AtomicLong highestReadMs = new AtomicLong(0);
  final AtomicLong highestSentMs = new AtomicLong(0);
  final AtomicLong shards = new AtomicLong();
  final AtomicLong shardsDesired = new AtomicLong();
  final AtomicLongArray batchBuckets = new AtomicLongArray(BUCKETS.length);
  final DoubleAdder batchSeconds = new DoubleAdder();

  void sentBatch(double seconds) {
    for (int i = 0; i < BUCKETS.length; i++) {
      if (seconds <= BUCKETS[i]) {
        batchBuckets.incrementAndGet(i);
        break;
      }
    }
    batchSeconds.add(seconds);
  }

  static void max(AtomicLong a, long v) {
    a.accumulateAndGet(v, Math::max);
  }
}
