package dev.vigil.server.remote;

import dev.vigil.model.Labels;
import dev.vigil.server.config.RemoteWriteConfig;
import dev.vigil.server.relabel.Relabeler;
import dev.vigil.tsdb.wal.RecordDecoder;
import dev.vigil.tsdb.wal.RecordType;
import dev.vigil.tsdb.wal.WalReaders;
import dev.vigil.tsdb.wal.WalReaders.WalPosition;
import dev.vigil.tsdb.wal.WalTail;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code remote_write} queue: reads the store's WAL from its saved position, relabels each
 * series, spreads the samples over shards by series and sends them; saves the position once
 * everything read before it was sent (or dropped for good).
 *
 * <pre>{@code
 * WriteQueue q = new WriteQueue(config, externalLabels, storeDir, client, System::nanoTime);
 * q.start();
 * ...
 * q.close();
 * }</pre>
 *
 * <p>Thread-safe to start, close and read its {@link #status()}; the queue runs on its own thread.
 */
final class WriteQueue implements AutoCloseable {
  /*
   * Delivery: at least once. The reader reads whole WAL records into the shards' buffers; a flush
   * sends every shard's buffer in parallel (one virtual thread per shard; within a shard the
   * requests go in order, so each series' samples arrive in time order), retrying recoverable
   * failures with exponential backoff for as long as it takes, and only then saves the position
   * after the last record read. A receiver that is down stops the reader: the WAL is not deleted
   * past the saved position (WalReaders), so nothing is lost while it is down or when Vigil
   * restarts meanwhile; a restart re-sends at most one flush, which receivers take as duplicates.
   *
   * Shards follow throughput, as Prometheus' calculateDesiredShards does: every 10 s the queue
   * compares the rate of samples read with the time one shard takes per sample sent; behind the
   * WAL it doubles the shards. It changes them only between flushes (buffers empty) and only by
   * more than 30 %, within min_shards and max_shards.
   */
  private static final Logger LOG = LoggerFactory.getLogger(WriteQueue.class);
  private static final Labels DROPPED = Labels.of("__dropped__", "1");
  private static final long RESHARD_NANOS = Duration.ofSeconds(10).toNanos();
  private static final int READ_BYTES = 1 << 20;

  private final RemoteWriteConfig config;
  private final Map<String, String> externalLabels;
  private final Path storeDir;
  private final WriteClient client;
  private final LongSupplier nanos;
  private final QueueMetrics metrics = new QueueMetrics();

  private static final ShardBuffer.SeriesLabels DROPPED_REF =
      new ShardBuffer.SeriesLabels(DROPPED, null);

  /** Per WAL ref: the labels as sent (or DROPPED), and their encoding (1.0), made once. */
  private final RefMap<ShardBuffer.SeriesLabels> refs = new RefMap<>();

  private final boolean v2;
  private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
  private volatile boolean running;
  private volatile Thread thread;
  private volatile String lastError;
  private ShardBuffer[] shards;
  private long pending;
  private long firstPendingNanos;
  private long lastReshardNanos;
  private long samplesInAtReshard;
  private long sendNanosSinceReshard;
  private long sentSinceReshard;

  WriteQueue(
      RemoteWriteConfig config,
      Map<String, String> externalLabels,
      Path storeDir,
      WriteClient client,
      LongSupplier nanos) {
    this.config = config;
    this.externalLabels = externalLabels;
    this.storeDir = storeDir;
    this.client = client;
    this.nanos = nanos;
    this.v2 = config.protobufMessage().equals(RemoteWriteConfig.V2);
    resize(config.queue().minShards());
  }

  RemoteWriteConfig config() {
    return config;
  }

  QueueMetrics metrics() {
    return metrics;
  }

  /** The last failure of a send, or null. */
  String lastError() {
    return lastError;
  }

  /**
   * Starts reading and sending on the queue's own thread. A queue without a saved position gets the
   * WAL's end as its position before this returns, so it sends every sample committed after.
   */
  synchronized void start() {
    try {
      WalReaders readers = WalReaders.in(storeDir);
      if (readers.load(config.name()) == null) {
        readers.save(config.name(), WalTail.end(storeDir.resolve("wal")));
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(
          "remote_write " + config.name() + ": cannot save its WAL position in " + storeDir, e);
    }
    running = true;
    thread =
        Thread.ofPlatform().daemon().name("vigil-remote-write-" + config.name()).start(this::run);
  }

  private void run() {
    Path walDir = storeDir.resolve("wal");
    WalReaders readers = WalReaders.in(storeDir);
    try {
      WalPosition pos = readers.load(config.name()); // saved by start()
      if (pos == null) {
        pos = WalTail.end(walDir); // its file was removed meanwhile: from now on
      }
      WalTail.seriesBefore(walDir, pos, this::record);
      WalTail tail = WalTail.at(walDir, pos, LOG::warn);
      lastReshardNanos = nanos.getAsLong();
      long deadline = config.queue().batchSendDeadline().toNanos();
      while (running) {
        int n = tail.read(this::record, READ_BYTES);
        boolean caughtUp = n == 0;
        int perShard = Math.min(config.queue().capacity(), config.queue().maxSamplesPerSend());
        boolean full = pending >= (long) perShard * shards.length;
        long waited = nanos.getAsLong() - firstPendingNanos;
        if (pending > 0 && (full || caughtUp && waited >= deadline)) {
          flush();
          pos = tail.position();
          readers.save(config.name(), pos);
          reshard(caughtUp);
        } else if (caughtUp && pending == 0 && !tail.position().equals(pos)) {
          readers.save(config.name(), tail.position()); // records without samples to send
          pos = tail.position();
        } else if (caughtUp) {
          long left = pending > 0 ? deadline - waited : Long.MAX_VALUE;
          Thread.sleep(Math.max(1, Math.min(50, left / 1_000_000)));
        }
      }
    } catch (InterruptedException e) {
      // closed: what was read and not sent is read again from the saved position
    } catch (IOException | RuntimeException e) {
      lastError = "stopped: " + e.getMessage();
      LOG.error(
          "remote_write {}: reading the WAL failed, queue stopped: {}",
          config.name(),
          e.toString());
    }
  }

  /** Applies one WAL record: learns series, buffers samples (and exemplars). */
  private void record(byte type, byte[] b, int off, int len) {
    RecordDecoder d = new RecordDecoder(b, off, len);
    switch (type) {
      case RecordType.SERIES -> {
        while (d.hasMore()) {
          long ref = d.uvarint();
          Labels l = transform(d.labels());
          refs.put(
              ref,
              l == DROPPED
                  ? DROPPED_REF
                  : new ShardBuffer.SeriesLabels(l, v2 ? null : ShardBuffer.encodeLabels(l)));
        }
      }
      case RecordType.SAMPLES -> {
        int n = d.count("samples", 10);
        long r0 = d.uvarint();
        long t0 = d.varint();
        long highest = Long.MIN_VALUE;
        int dropped = 0;
        for (int i = 0; i < n; i++) {
          long ref = r0 + d.varint();
          long t = t0 + d.varint();
          double v = Double.longBitsToDouble(d.long64());
          highest = Math.max(highest, t);
          ShardBuffer.SeriesLabels l = refs.get(ref);
          if (l == null || l == DROPPED_REF) {
            dropped++;
            continue;
          }
          if (pending == 0) {
            firstPendingNanos = nanos.getAsLong();
          }
          shard(ref).add(ref, l, t, v);
          pending++;
        }
        // The counters once per record, not per sample.
        metrics.samplesIn.add(n);
        if (n > 0) {
          QueueMetrics.max(metrics.highestReadMs, highest);
        }
        if (dropped > 0) {
          metrics.samplesDropped.add(dropped);
        }
        metrics.samplesPending.addAndGet(n - dropped);
      }
      case RecordType.EXEMPLARS -> {
        if (!config.sendExemplars()) {
          return;
        }
        int n = d.count("exemplars", 11);
        long r0 = d.uvarint();
        long t0 = d.varint();
        for (int i = 0; i < n; i++) {
          long ref = r0 + d.varint();
          long t = t0 + d.varint();
          double v = Double.longBitsToDouble(d.long64());
          Labels el = d.labels();
          ShardBuffer.SeriesLabels l = refs.get(ref);
          if (l != null && l != DROPPED_REF) {
            shard(ref).addExemplar(ref, l, new ShardBuffer.Exemplar(el, t, v));
          }
        }
      }
      default -> {
        // tombstones: a receiver has no delete over remote write
      }
    }
  }

  /** External labels (where the series lacks them), then write_relabel_configs. */
  private Labels transform(Labels in) {
    Labels l = in;
    if (!externalLabels.isEmpty()) {
      Labels.Builder b = in.toBuilder();
      externalLabels.forEach(
          (k, v) -> {
            if (!in.has(k)) {
              b.set(k, v);
            }
          });
      l = b.build();
    }
    Labels out = Relabeler.process(l, config.writeRelabelConfigs());
    return out == null || out.isEmpty() ? DROPPED : out;
  }

  private ShardBuffer shard(long ref) {
    long h = ref * 0x9E3779B97F4A7C15L;
    return shards[(int) Long.remainderUnsigned(h >>> 16, shards.length)];
  }

  private void resize(int n) {
    shards = new ShardBuffer[n];
    for (int i = 0; i < n; i++) {
      shards[i] = new ShardBuffer();
    }
    metrics.shards.set(n);
    metrics.shardsDesired.set(n);
  }

  /** Sends every shard's buffer, in parallel, each until sent or dropped for good. */
  private void flush() throws InterruptedException {
    List<Callable<Long>> jobs = new ArrayList<>();
    for (ShardBuffer s : shards) {
      if (s.isEmpty()) {
        continue;
      }
      List<ShardBuffer.Request> reqs = s.drain(config.queue().maxSamplesPerSend(), v2);
      jobs.add(
          () -> {
            long spent = 0;
            for (ShardBuffer.Request r : reqs) {
              spent += sendUntilDone(r);
            }
            return spent;
          });
    }
    try {
      for (Future<Long> f : senders.invokeAll(jobs)) {
        sendNanosSinceReshard += f.get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("remote_write " + config.name() + ": " + e.getCause(), e);
    }
    sentSinceReshard += pending;
    pending = 0;
  }

  /** Sends one request until the receiver takes it or refuses it for good; returns nanos spent. */
  private long sendUntilDone(ShardBuffer.Request r) throws InterruptedException {
    long backoff = config.queue().minBackoff().toNanos();
    long[] bytes = new long[1];
    long spent = 0;
    while (true) {
      long t0 = nanos.getAsLong();
      WriteClient.Outcome o = client.send(r.proto(), bytes);
      long took = nanos.getAsLong() - t0;
      spent += took;
      switch (o.kind()) {
        case SENT -> {
          metrics.sentBatch(took / 1e9);
          metrics.samplesSent.add(r.samples());
          metrics.exemplarsSent.add(r.exemplars());
          metrics.bytesSent.add(bytes[0]);
          metrics.samplesPending.addAndGet(-r.samples());
          QueueMetrics.max(metrics.highestSentMs, r.highestTimestamp());
          return spent;
        }
        case DROP -> {
          metrics.samplesFailed.add(r.samples());
          metrics.samplesPending.addAndGet(-r.samples());
          lastError = o.detail();
          LOG.warn(
              "remote_write {}: receiver refused {} samples for good, dropped: {}",
              config.name(),
              r.samples(),
              o.detail());
          return spent;
        }
        case RETRY -> {
          metrics.samplesRetried.add(r.samples());
          lastError = o.detail();
          long wait = o.retryAfter() != null ? o.retryAfter().toNanos() : backoff;
          LOG.debug(
              "remote_write {}: retrying in {} ms: {}",
              config.name(),
              wait / 1_000_000,
              o.detail());
          Thread.sleep(Math.max(1, wait / 1_000_000));
          backoff = Math.min(backoff * 2, config.queue().maxBackoff().toNanos());
        }
      }
    }
  }

  private void reshard(boolean caughtUp) {
    long now = nanos.getAsLong();
    if (now - lastReshardNanos < RESHARD_NANOS) {
      return;
    }
    double secs = (now - lastReshardNanos) / 1e9;
    long in = metrics.samplesIn.sum();
    double inRate = (in - samplesInAtReshard) / secs;
    double perSample = sentSinceReshard == 0 ? 0 : sendNanosSinceReshard / 1e9 / sentSinceReshard;
    int cur = shards.length;
    double want = caughtUp ? inRate * perSample * 1.3 : cur * 2.0;
    int desired =
        (int)
            Math.max(
                config.queue().minShards(), Math.min(config.queue().maxShards(), Math.ceil(want)));
    metrics.shardsDesired.set(desired);
    if (desired > cur * 1.3 || desired < cur * 0.7) {
      LOG.info("remote_write {}: {} shards -> {}", config.name(), cur, desired);
      resize(desired);
    }
    lastReshardNanos = now;
    samplesInAtReshard = in;
    sendNanosSinceReshard = 0;
    sentSinceReshard = 0;
  }

  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      running = false;
      t = thread;
    }
    if (t != null) {
      t.interrupt();
      try {
        t.join(Duration.ofSeconds(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    senders.shutdownNow();
    client.close();
  }
}
