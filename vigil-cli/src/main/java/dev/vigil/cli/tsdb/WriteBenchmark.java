package dev.vigil.cli.tsdb;

import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.tsdb.Tsdb;
import dev.vigil.tsdb.wal.FsyncPolicy;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

/**
 * The workload of {@code promtool tsdb bench write}: label sets in shards of 1,000, each shard
 * scraped 100 times per round on its own task (one appender, one commit per scrape), every series'
 * value rising by 1,000 and the time by 30 s (promtool's {@code timeDelta}) per scrape, WAL on.
 *
 * <p>The store fsyncs its WAL only when a segment closes ({@link FsyncPolicy#SEGMENT_CLOSE}), as
 * the TSDB promtool opens does (its WAL is fsynced at segment cuts and close, never on a timer), so
 * both sides do the same disk work; a server's default stays an fsync every second.
 *
 * <pre>{@code
 * WriteBenchmark.Result r = WriteBenchmark.run(dir, labels, 1000, n -> {});
 * System.out.println("samples/sec: " + r.samplesPerSecond());
 * }</pre>
 */
public final class WriteBenchmark {
  /** Scrape interval of the workload. */
  public static final long STEP_MS = 30_000;

  private static final int SHARD = 1000;
  private static final int SCRAPES_PER_ROUND = 100;

  private WriteBenchmark() {}

  /**
   * Results.
   *
   * @param samples samples appended
   * @param nanos ingest time
   * @param heapBytes live heap after a full GC at the end of ingest (store and label sets)
   * @param series series in the head
   * @param roundNanos ingest time of each round of 100 scrapes (the first includes the JIT's
   *     warm-up)
   */
  public record Result(long samples, long nanos, long heapBytes, int series, long[] roundNanos) {
    public double samplesPerSecond() {
      return samples / (nanos / 1e9);
    }

    public double heapBytesPerSeries() {
      return (double) heapBytes / series;
    }
  }

  /** Runs the workload into a fresh store in {@code dir}; {@code progress} gets samples done. */
  public static Result run(Path dir, List<Labels> labels, int scrapes, LongConsumer progress)
      throws Exception {
    int threads = Runtime.getRuntime().availableProcessors();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (Tsdb db =
        Tsdb.builder(dir)
            .backgroundInterval(Duration.ZERO)
            .fsync(FsyncPolicy.SEGMENT_CLOSE, Duration.ofSeconds(1))
            .log(m -> {})
            .open()) {
      List<Shard> shards = new ArrayList<>();
      for (int i = 0; i < labels.size(); i += SHARD) {
        shards.add(new Shard(labels.subList(i, Math.min(labels.size(), i + SHARD))));
      }
      long total = 0;
      long[] roundNanos = new long[(scrapes + SCRAPES_PER_ROUND - 1) / SCRAPES_PER_ROUND];
      long t0 = System.nanoTime();
      long tr = t0;
      for (int round = 0; round < scrapes; round += SCRAPES_PER_ROUND) {
        int n = Math.min(SCRAPES_PER_ROUND, scrapes - round);
        long base = round * STEP_MS;
        List<Future<Long>> fs = new ArrayList<>();
        for (Shard s : shards) {
          fs.add(pool.submit(() -> s.scrape(db, n, base)));
        }
        for (Future<Long> f : fs) {
          total += f.get();
        }
        long now = System.nanoTime();
        roundNanos[round / SCRAPES_PER_ROUND] = now - tr;
        tr = now;
        progress.accept(total);
      }
      long nanos = System.nanoTime() - t0;
      long heap = liveHeap();
      return new Result(total, nanos, heap, db.headSeries(), roundNanos);
    } finally {
      pool.shutdownNow();
    }
  }

  private static long liveHeap() {
    var mem = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return mem.getHeapMemoryUsage().getUsed();
  }

  private static final class Shard {
    final List<Labels> labels;
    final long[] refs;
    final long[] values;

    Shard(List<Labels> labels) {
      this.labels = labels;
      this.refs = new long[labels.size()];
      this.values = new long[labels.size()];
      java.util.Arrays.fill(values, 123_456_789L);
    }

    long scrape(Tsdb db, int scrapes, long base) {
      long ts = base;
      long n = 0;
      Appender app = db.appender();
      for (int i = 0; i < scrapes; i++) {
        ts += STEP_MS;
        for (int k = 0; k < refs.length; k++) {
          values[k] += 1000;
          refs[k] = app.append(refs[k], labels.get(k), ts, values[k]);
          n++;
        }
        app.commit();
      }
      return n;
    }
  }
}
