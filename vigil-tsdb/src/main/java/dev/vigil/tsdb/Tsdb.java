package dev.vigil.tsdb;

import dev.vigil.model.Appendable;
import dev.vigil.model.Appender;
import dev.vigil.model.ExemplarQueryable;
import dev.vigil.model.LabelMatcher;
import dev.vigil.model.OutOfOrderException;
import dev.vigil.model.Querier;
import dev.vigil.model.Queryable;
import dev.vigil.model.SeriesExemplars;
import dev.vigil.tsdb.block.Block;
import dev.vigil.tsdb.block.BlockId;
import dev.vigil.tsdb.head.AppendCounters;
import dev.vigil.tsdb.head.Head;
import dev.vigil.tsdb.wal.FsyncPolicy;
import dev.vigil.tsdb.wal.Wal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * Vigil's embedded time-series store: a WAL-backed head in memory, immutable blocks on disk,
 * compaction, retention, deletion, snapshots and rollups.
 *
 * <pre>{@code
 * try (Tsdb db = Tsdb.builder(Path.of("data")).retention(Duration.ofDays(15)).open()) {
 *   Appender app = db.appender();
 *   app.append(0, Labels.of("__name__", "up"), System.currentTimeMillis(), 1);
 *   app.commit();
 *   try (Querier q = db.querier(0, Long.MAX_VALUE)) { ... }
 * }
 * }</pre>
 *
 * <p>Thread-safe. Appenders may run on many threads at once; queriers see a consistent view.
 */
public final class Tsdb implements Queryable, ExemplarQueryable, Appendable, AutoCloseable {
  /*
   * Locks. commitLock: commits hold it shared while they apply to the head and log what it
   * accepted (the protocol is in head.HeadAppender); the head compactor takes it exclusively for
   * the instants it raises the minimum valid time and rolls the WAL, so no commit straddles those. viewLock: a querier takes it shared to capture
   * the block list and the head's readable start together; publishing a block takes it
   * exclusively. A head truncation waits for queriers opened before the publish to close, since
   * they may still read the head chunks it drops.
   */
  final TsdbOptions opts;
  final Path dir;
  final Head head;
  final Wal wal;
  final ExemplarStore exemplars;
  final TsdbMetrics metrics = new TsdbMetrics();
  private final AppendCounters appendCounters =
      new AppendCounters(
          metrics.samplesAppended, metrics.outOfOrderRejected, metrics.duplicateRejected);
  final ReentrantReadWriteLock commitLock = new ReentrantReadWriteLock();
  final ReentrantReadWriteLock viewLock = new ReentrantReadWriteLock();
  private final FileChannel lockChannel;
  private final FileLock fileLock;
  private final Set<TsdbQuerier> openQueriers = ConcurrentHashMap.newKeySet();
  private final List<String> startupReport = new ArrayList<>();
  private final ScheduledExecutorService background;
  private final HeadCompactor headCompactor;
  private final BlockCompactor blockCompactor;
  volatile List<Block> blocks;

  /** Raw blocks whose samples span too little for rollups (by id), so backfill reads them once. */
  final Set<String> tooShortForRollups = ConcurrentHashMap.newKeySet();

  volatile long headReadMin = Long.MIN_VALUE;
  private volatile boolean closed;

  private Tsdb(TsdbOptions o) throws IOException {
    this.opts = o;
    this.dir = o.dir;
    Files.createDirectories(dir);
    lockChannel =
        FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock l;
    try {
      l = lockChannel.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      l = null;
    }
    if (l == null) {
      lockChannel.close();
      throw new StoreInUseException(dir);
    }
    fileLock = l;
    exemplars = new ExemplarStore(o.maxExemplars);
    try {
      blocks = loadBlocks();
      head = new Head(dir.resolve("chunks_head"), o.outOfOrderWindow, o.maxAheadMs, o.clock);
      StorageEventLog storageEvents = new StorageEventLog(metrics, o.log);
      head.chunkFile().onWriteFailure(storageEvents::writeFailed);
      long maxBlock = Long.MIN_VALUE;
      for (Block b : blocks) {
        if (b.meta().resolution() == 0) {
          maxBlock = Math.max(maxBlock, b.meta().maxTime());
        }
      }
      head.setMinValidTime(maxBlock);
      headReadMin = maxBlock;
      if (o.walEnabled) {
        report(
            WalReplay.replay(
                dir.resolve("wal"), head, exemplars, this::report, o.walReplayProgress));
        wal =
            Wal.open(
                dir.resolve("wal"), o.fsync, o.fsyncIntervalMs, o.walSegmentBytes, storageEvents);
      } else {
        wal = null;
      }
    } catch (IOException | RuntimeException e) {
      fileLock.release();
      lockChannel.close();
      throw e;
    }
    metrics.gauges(
        head::numSeries,
        () -> blocks.size(),
        () -> blocks.stream().mapToLong(Block::sizeBytes).sum());
    metrics.exemplars(exemplars);
    metrics.retentionLimit(o.retentionBytes);
    headCompactor = new HeadCompactor(this);
    blockCompactor = new BlockCompactor(this);
    if (o.backgroundIntervalMs > 0) {
      background =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "vigil-tsdb-compactor");
                t.setDaemon(true);
                return t;
              });
      background.scheduleWithFixedDelay(
          this::maintainQuietly,
          o.backgroundIntervalMs,
          o.backgroundIntervalMs,
          TimeUnit.MILLISECONDS);
    } else {
      background = null;
    }
  }

  /** Starts configuring a store in {@code dir} (created when missing). */
  public static Builder builder(Path dir) {
    return new Builder(dir);
  }

  private List<Block> loadBlocks() throws IOException {
    List<Block> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.sorted().toList()) {
        String name = p.getFileName().toString();
        if (name.endsWith(".tmp") && BlockId.is(name.substring(0, name.length() - 4))) {
          dev.vigil.tsdb.block.BlockWriter.deleteTree(p); // an unfinished write from a crash
          report("removed unfinished block " + p);
          continue;
        }
        if (!Files.isDirectory(p) || !BlockId.is(name)) {
          continue;
        }
        try {
          Block b = Block.open(p);
          b.damage().forEach(this::report);
          out.add(b);
        } catch (IOException | RuntimeException e) {
          quarantine(p, e);
        }
      }
    }
    out.sort(Comparator.comparingLong(b -> b.meta().minTime()));
    return List.copyOf(dropCompactedSources(out));
  }

  /**
   * A crash between writing a compacted block and deleting its sources leaves both: the sources are
   * recognised by their ids in the newer block's sources and deleted now.
   */
  private List<Block> dropCompactedSources(List<Block> blocks) {
    List<Block> keep = new ArrayList<>();
    for (Block b : blocks) {
      boolean covered = false;
      for (Block o : blocks) {
        covered |=
            o != b
                && o.meta().resolution() == b.meta().resolution()
                && o.meta().level() > b.meta().level()
                && o.meta().sources().containsAll(b.meta().sources());
      }
      if (covered) {
        dev.vigil.tsdb.block.BlockWriter.deleteTree(b.dir());
        report("deleted block " + b.meta().id() + ": already compacted into a newer block");
      } else {
        keep.add(b);
      }
    }
    return keep;
  }

  private void quarantine(Path p, Exception why) throws IOException {
    Path q = dir.resolve("corrupted");
    Files.createDirectories(q);
    Path to = q.resolve(p.getFileName());
    Files.move(p, to, StandardCopyOption.REPLACE_EXISTING);
    metrics.blocksQuarantined.increment();
    report("corrupt block " + p.getFileName() + " moved to " + to + ": " + why.getMessage());
  }

  void report(String msg) {
    synchronized (startupReport) {
      startupReport.add(msg);
    }
    opts.log.accept(msg);
  }

  /** Messages from opening (WAL replay summary, torn records cut, blocks quarantined). */
  public List<String> startupReport() {
    synchronized (startupReport) {
      return List.copyOf(startupReport);
    }
  }

  @Override
  public Appender appender() {
    return head.appender(wal, commitLock.readLock(), exemplars, appendCounters);
  }

  @Override
  public List<SeriesExemplars> selectExemplars(
      long mint, long maxt, List<List<LabelMatcher>> matcherSets) {
    return exemplars.select(mint, maxt, matcherSets);
  }

  /** How many exemplars the store keeps (0: exemplar storage disabled). */
  public int maxExemplars() {
    return exemplars.capacity();
  }

  @Override
  public Querier querier(long mint, long maxt) {
    viewLock.readLock().lock();
    try {
      TsdbQuerier q = new TsdbQuerier(this, mint, maxt, blocks, head, headReadMin);
      openQueriers.add(q);
      return q;
    } finally {
      viewLock.readLock().unlock();
    }
  }

  void querierClosed(TsdbQuerier q) {
    openQueriers.remove(q);
  }

  /** Waits (up to 30 s) until the given queriers are closed. */
  void awaitQueriers(Set<TsdbQuerier> before) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!before.isEmpty() && System.nanoTime() < deadline) {
      before.retainAll(openQueriers);
      if (!before.isEmpty()) {
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  Set<TsdbQuerier> openQueriersNow() {
    Set<TsdbQuerier> s = ConcurrentHashMap.newKeySet();
    s.addAll(openQueriers);
    return s;
  }

  /**
   * Runs what the background thread runs: cuts the head into blocks when it spans more than 1.5
   * block ranges, compacts blocks, writes rollups that raw blocks lack (when rollups are on),
   * applies retention. Returns the number of blocks written.
   */
  public synchronized int maintain() {
    try {
      int n = headCompactor.compactIfNeeded();
      n += blockCompactor.compact();
      n += RollupBackfill.run(this);
      Retention.apply(this);
      return n;
    } catch (IOException e) {
      throw new UncheckedIOException("maintenance of " + dir + " failed", e);
    }
  }

  private void maintainQuietly() {
    try {
      maintain();
    } catch (RuntimeException e) {
      report("background maintenance failed: " + e);
    }
  }

  /** Persists the whole head into a block now (for backfill and tests); WAL checkpointed. */
  public synchronized void flushHead() {
    try {
      headCompactor.flushAll();
    } catch (IOException e) {
      throw new UncheckedIOException("flushing the head of " + dir + " failed", e);
    }
  }

  /** Applies retention by age and size now; returns the ids of removed blocks. */
  public synchronized List<String> applyRetention() {
    try {
      return Retention.apply(this);
    } catch (IOException e) {
      throw new UncheckedIOException("retention in " + dir + " failed", e);
    }
  }

  /**
   * Deletes the samples in {@code [mint, maxt]} of every series matching the matchers: hidden from
   * queries at once, durable (WAL and block tombstones), removed from disk at compaction.
   */
  public synchronized void delete(long mint, long maxt, List<LabelMatcher> matchers) {
    try {
      Deletion.delete(this, mint, maxt, matchers);
    } catch (IOException e) {
      throw new UncheckedIOException("delete in " + dir + " failed", e);
    }
  }

  /**
   * Writes a consistent copy of the store into {@code target} (created, must be empty) while
   * writing continues: blocks hard-linked (copied when links fail), the head as a new block.
   */
  public synchronized void snapshot(Path target) {
    try {
      Snapshot.write(this, target);
    } catch (IOException e) {
      throw new UncheckedIOException("snapshot of " + dir + " into " + target + " failed", e);
    }
  }

  /** The blocks loaded now (raw and rollups), by start time. */
  public List<Block> blocks() {
    return blocks;
  }

  /** Number of series in the head. */
  public int headSeries() {
    return head.numSeries();
  }

  /**
   * The head's statistics now: series, label pairs, chunks, time range and the series count of
   * every label pair (for {@code /api/v1/status/tsdb}). Walks every head series once; not for hot
   * paths.
   */
  public HeadStats headStats() {
    java.util.Map<String, java.util.Map<String, Long>> pairs = new java.util.HashMap<>();
    long[] numPairs = {0};
    head.postings()
        .forEachSorted(
            (name, value, ids) -> {
              long n = ids.getLongCardinality();
              if (n > 0) {
                pairs.computeIfAbsent(name, k -> new java.util.HashMap<>()).put(value, n);
                numPairs[0]++;
              }
            });
    boolean empty = head.isEmpty();
    return new HeadStats(
        head.numSeries(),
        numPairs[0],
        head.chunkCount(),
        empty ? Long.MAX_VALUE : head.minTime(),
        empty ? Long.MIN_VALUE : head.maxTime(),
        pairs);
  }

  /** Self-metrics. */
  public TsdbMetrics metrics() {
    return metrics;
  }

  public Path dir() {
    return dir;
  }

  /** Publishes a new block list (and head readable start), under the view lock. */
  void publish(List<Block> newBlocks, long newHeadReadMin) {
    viewLock.writeLock().lock();
    try {
      List<Block> sorted = new ArrayList<>(newBlocks);
      sorted.sort(Comparator.comparingLong(b -> b.meta().minTime()));
      blocks = List.copyOf(sorted);
      headReadMin = Math.max(headReadMin, newHeadReadMin);
    } finally {
      viewLock.writeLock().unlock();
    }
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (background != null) {
      background.shutdown(); // no interrupt: a compaction in progress finishes its files
      try {
        background.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (this) {
      try {
        if (wal != null) {
          wal.close();
        }
        head.close();
      } finally {
        fileLock.release();
        lockChannel.close();
      }
    }
  }

  /** Configures and opens a {@link Tsdb}. */
  public static final class Builder {
    private final TsdbOptions o = new TsdbOptions();

    private Builder(Path dir) {
      o.dir = Objects.requireNonNull(dir);
    }

    /** Time range of blocks cut from the head (default 2 h). */
    public Builder blockRange(java.time.Duration d) {
      o.blockRangeMs = positive(d.toMillis(), "block range");
      return this;
    }

    /** Raw blocks entirely older than this are deleted (default: keep forever). */
    public Builder retention(java.time.Duration d) {
      o.retentionMs = d.toMillis();
      return this;
    }

    /** Oldest blocks are deleted while the blocks take more than this many bytes (0: no limit). */
    public Builder retentionBytes(long bytes) {
      o.retentionBytes = bytes;
      return this;
    }

    /** Rollup blocks entirely older than this are deleted (default: keep forever). */
    public Builder rollupRetention(java.time.Duration d) {
      o.rollupRetentionMs = d.toMillis();
      return this;
    }

    /** WAL fsync policy (default {@link FsyncPolicy#INTERVAL} every 1000 ms). */
    public Builder fsync(FsyncPolicy p, java.time.Duration interval) {
      o.fsync = p;
      o.fsyncIntervalMs = positive(interval.toMillis(), "fsync interval");
      return this;
    }

    public Builder walSegmentBytes(long bytes) {
      o.walSegmentBytes = positive(bytes, "WAL segment size");
      return this;
    }

    /** Disables the WAL (backfill into a fresh store only: a crash loses the head). */
    public Builder withoutWal() {
      o.walEnabled = false;
      return this;
    }

    /** How far behind a series' newest sample an append is still accepted (default 0). */
    public Builder outOfOrderWindow(java.time.Duration d) {
      o.outOfOrderWindow = d.toMillis();
      return this;
    }

    /**
     * How far ahead of the clock a sample may lie (default 10 minutes, Prometheus' remote-write
     * limit, or half the block range when that is less; at most half the block range, so a cut
     * never ends after the present). Later samples are refused with an {@link OutOfOrderException}
     * naming the limit, and WAL replay skips them.
     */
    public Builder maxAheadTime(java.time.Duration d) {
      long ms = d.toMillis();
      if (ms < 0) {
        throw new IllegalArgumentException("max ahead time must not be negative, got " + d);
      }
      o.maxAheadMs = ms;
      return this;
    }

    /**
     * How many exemplars are kept in memory, newest first, across all series (default 100000 as in
     * Prometheus; 0 disables exemplar storage). Logged in the WAL, so they survive restarts.
     */
    public Builder maxExemplars(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("max exemplars must not be negative, got " + n);
      }
      o.maxExemplars = n;
      return this;
    }

    /** Whether 5 m and 1 h rollups are written beside raw blocks (default true). */
    public Builder rollups(boolean on) {
      o.rollups = on;
      return this;
    }

    /** Period of background compaction and retention; zero disables the thread. */
    public Builder backgroundInterval(java.time.Duration d) {
      o.backgroundIntervalMs = d.toMillis();
      return this;
    }

    /**
     * Wall clock in ms: retention ages blocks by it and appends are refused beyond it plus the max
     * ahead time. For tests.
     */
    public Builder clock(LongSupplier millis) {
      o.clock = Objects.requireNonNull(millis);
      return this;
    }

    /** Where the WAL replay at opening reports its progress (segment numbers). */
    public Builder walReplayProgress(WalReplayProgress p) {
      o.walReplayProgress = p;
      return this;
    }

    /** Where problems and start-up reports go (default stderr). */
    public Builder log(Consumer<String> log) {
      o.log = Objects.requireNonNull(log);
      return this;
    }

    /**
     * Opens the store: takes the lock file, loads blocks (quarantining corrupt ones), replays the
     * WAL (cutting a torn tail).
     *
     * @throws IOException when the directory is locked by another store or cannot be read
     */
    public Tsdb open() throws IOException {
      TsdbOptions c = o.copy();
      if (c.maxAheadMs < 0) {
        c.maxAheadMs = Math.min(Head.DEFAULT_MAX_AHEAD_MS, c.blockRangeMs / 2);
      } else if (c.maxAheadMs > c.blockRangeMs / 2) {
        throw new IllegalArgumentException(
            "max ahead time "
                + c.maxAheadMs
                + " ms is more than half the block range ("
                + o.blockRangeMs
                + " ms): a head cut could end after the present and refuse present samples");
      }
      return new Tsdb(c);
    }

    private static long positive(long v, String what) {
      if (v <= 0) {
        throw new IllegalArgumentException(what + " must be positive, got " + v);
      }
      return v;
    }
  }
}
