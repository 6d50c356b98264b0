package dev.vigil.server.remote;

import dev.vigil.metrics.Collector;
import dev.vigil.metrics.model.CounterDataPoint;
import dev.vigil.metrics.model.GaugeDataPoint;
import dev.vigil.metrics.model.HistogramDataPoint;
import dev.vigil.metrics.model.Labels;
import dev.vigil.metrics.model.MetricMetadata;
import dev.vigil.metrics.model.MetricSnapshot;
import dev.vigil.metrics.model.MetricType;
import dev.vigil.server.config.ConfigException;
import dev.vigil.server.config.RemoteWriteConfig;
import dev.vigil.server.scrape.ScrapeTls;
import dev.vigil.tsdb.wal.WalReaders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The running {@code remote_write} queues: started from the configuration, changed on reload (a
 * queue whose entry changed is restarted from its saved position, a removed one stopped and its
 * position forgotten), and their self-metrics.
 *
 * <pre>{@code
 * RemoteWriteManager rw = new RemoteWriteManager(storeDir, System::nanoTime);
 * rw.apply(configs, externalLabels);
 * registry.register(rw.collector());
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class RemoteWriteManager implements AutoCloseable {
  private final Path storeDir;
  private final LongSupplier nanos;
  private final Map<String, WriteQueue> queues = new LinkedHashMap<>();
  private Map<String, String> external = Map.of();

  public RemoteWriteManager(Path storeDir, LongSupplier nanos) {
    this.storeDir = storeDir;
    this.nanos = nanos;
  }

  /**
   * Runs exactly the queues of {@code configs}, with {@code externalLabels} added to every series.
   *
   * @throws ConfigException when a queue's TLS files cannot be used (the running queues stay)
   */
  public synchronized void apply(
      List<RemoteWriteConfig> configs, Map<String, String> externalLabels) {
    Map<String, WriteClient> clients = new LinkedHashMap<>();
    for (RemoteWriteConfig c : configs) {
      WriteQueue cur = queues.get(c.name());
      if (cur == null || !cur.config().equals(c) || !externalLabels.equals(external)) {
        clients.put(c.name(), client(c)); // first all clients: a bad one changes nothing
      }
    }
    List<String> names = configs.stream().map(RemoteWriteConfig::name).toList();
    for (var it = queues.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      if (!names.contains(e.getKey()) || clients.containsKey(e.getKey())) {
        e.getValue().close();
        it.remove();
      }
    }
    try {
      WalReaders.in(storeDir).retainOnly(names);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot update the remote write positions in " + storeDir, e);
    }
    external = Map.copyOf(externalLabels);
    Map<String, WriteQueue> next = new LinkedHashMap<>();
    for (RemoteWriteConfig c : configs) {
      WriteQueue q = queues.get(c.name());
      if (q == null) {
        q = new WriteQueue(c, external, storeDir, clients.get(c.name()), nanos);
        q.start();
      }
      next.put(c.name(), q);
    }
    queues.clear();
    queues.putAll(next);
  }

  private static WriteClient client(RemoteWriteConfig c) {
    SSLContext ssl = null;
    SSLParameters params = null;
    if (c.tls() != null) {
      try {
        ssl = ScrapeTls.context(c.tls());
        params = ScrapeTls.parameters(c.tls());
      } catch (GeneralSecurityException | RuntimeException e) {
        throw new ConfigException(
            "remote_write " + c.name() + ": tls_config: " + e.getMessage(), e);
      }
    }
    try {
      return new WriteClient(c, ssl, params);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("remote_write " + c.name() + ": " + e.getMessage(), e);
    }
  }

  /**
   * One queue's state for the dashboard and the API.
   *
   * @param highestSentSeconds newest sample timestamp the receiver took (0: none yet)
   * @param highestReadSeconds newest sample timestamp read from the WAL (0: none yet)
   * @param lastError the last failed send (status and body, or the network error), or null
   */
  public record QueueStatus(
      String name,
      String url,
      String protobufMessage,
      int shards,
      long samplesPending,
      long samplesSent,
      long samplesFailed,
      long samplesRetried,
      long samplesDropped,
      double highestSentSeconds,
      double highestReadSeconds,
      String lastError) {}

  /** The queues' state, in configuration order. */
  public synchronized List<QueueStatus> status() {
    List<QueueStatus> out = new ArrayList<>();
    for (WriteQueue q : queues.values()) {
      QueueMetrics m = q.metrics();
      out.add(
          new QueueStatus(
              q.config().name(),
              q.config().url().toString(),
              q.config().protobufMessage(),
              (int) m.shards.get(),
              m.samplesPending.get(),
              m.samplesSent.sum(),
              m.samplesFailed.sum(),
              m.samplesRetried.sum(),
              m.samplesDropped.sum(),
              m.highestSentMs.get() / 1000.0,
              m.highestReadMs.get() / 1000.0,
              q.lastError()));
    }
    return out;
  }

  private synchronized List<WriteQueue> snapshot() {
    return List.copyOf(queues.values());
  }

  /** The queues' self-metrics, {@code vigil_remote_storage_*} (docs/remote-write.md). */
  public Collector collector() {
    return () -> {
      List<WriteQueue> qs = snapshot();
      List<MetricSnapshot> out = new ArrayList<>();
      out.add(counter(qs, "samples", "Samples sent to the receiver.", m -> m.samplesSent.sum()));
      out.add(
          counter(
              qs,
              "samples_failed",
              "Samples the receiver refused for good (a 4xx other than 429), not sent.",
              m -> m.samplesFailed.sum()));
      out.add(
          counter(
              qs,
              "samples_retried",
              "Samples sent again after a recoverable failure (5xx, 429, network error).",
              m -> m.samplesRetried.sum()));
      out.add(
          counter(
              qs,
              "samples_dropped",
              "Samples read from the WAL and not sent: dropped by write_relabel_configs or of an"
                  + " unknown series.",
              m -> m.samplesDropped.sum()));
      out.add(counter(qs, "samples_in", "Samples read from the WAL.", m -> m.samplesIn.sum()));
      out.add(
          counter(qs, "exemplars", "Exemplars sent to the receiver.", m -> m.exemplarsSent.sum()));
      out.add(
          counter(
              qs,
              "bytes",
              "Bytes of compressed requests the receiver took.",
              m -> m.bytesSent.sum()));
      out.add(
          gauge(
              qs,
              "samples_pending",
              "Samples read from the WAL and not yet sent.",
              m -> m.samplesPending.get()));
      out.add(
          gauge(
              qs,
              "highest_timestamp_in_seconds",
              "Newest sample timestamp read from the WAL, in seconds since the epoch.",
              m -> m.highestReadMs.get() / 1000.0));
      out.add(
          gauge(
              qs,
              "queue_highest_sent_timestamp_seconds",
              "Newest sample timestamp the receiver took, in seconds since the epoch.",
              m -> m.highestSentMs.get() / 1000.0));
      out.add(gauge(qs, "shards", "Shards running.", m -> m.shards.get()));
      out.add(
          gauge(
              qs,
              "shards_desired",
              "Shards the throughput asks for (within min_shards and max_shards).",
              m -> m.shardsDesired.get()));
      out.add(perQueue(qs, "shards_max", "max_shards.", q -> q.config().queue().maxShards()));
      out.add(perQueue(qs, "shards_min", "min_shards.", q -> q.config().queue().minShards()));
      List<HistogramDataPoint> hs = new ArrayList<>();
      for (WriteQueue q : qs) {
        QueueMetrics m = q.metrics();
        long[] counts = new long[QueueMetrics.BUCKETS.length];
        for (int i = 0; i < counts.length; i++) {
          counts[i] = m.batchBuckets.get(i);
        }
        hs.add(
            new HistogramDataPoint(
                labels(q),
                QueueMetrics.BUCKETS,
                counts,
                m.batchSeconds.sum(),
                null,
                dev.vigil.metrics.model.DataPoint.NO_CREATED));
      }
      out.add(
          new MetricSnapshot(
              new MetricMetadata(
                  "vigil_remote_storage_sent_batch_duration_seconds",
                  "Seconds one request to the receiver took, retries apart.",
                  ""),
              MetricType.HISTOGRAM,
              hs));
      return out;
    };
  }

  private static Labels labels(WriteQueue q) {
    return Labels.of("remote_name", q.config().name(), "url", q.config().url().toString());
  }

  private static MetricSnapshot counter(
      List<WriteQueue> qs, String name, String help, ToDoubleFunction<QueueMetrics> f) {
    List<CounterDataPoint> ps = new ArrayList<>();
    for (WriteQueue q : qs) {
      ps.add(CounterDataPoint.of(labels(q), f.applyAsDouble(q.metrics())));
    }
    return new MetricSnapshot(
        new MetricMetadata("vigil_remote_storage_" + name, help, ""), MetricType.COUNTER, ps);
  }

  private static MetricSnapshot gauge(
      List<WriteQueue> qs, String name, String help, ToDoubleFunction<QueueMetrics> f) {
    return perQueue(qs, name, help, q -> f.applyAsDouble(q.metrics()));
  }

  private static MetricSnapshot perQueue(
      List<WriteQueue> qs, String name, String help, Function<WriteQueue, Number> f) {
    List<GaugeDataPoint> ps = new ArrayList<>();
    for (WriteQueue q : qs) {
      ps.add(new GaugeDataPoint(labels(q), f.apply(q).doubleValue()));
    }
    return new MetricSnapshot(
        new MetricMetadata("vigil_remote_storage_" + name, help, ""), MetricType.GAUGE, ps);
  }

  @Override
  public synchronized void close() {
    for (WriteQueue q : queues.values()) {
      q.close();
    }
    queues.clear();
  }
}
