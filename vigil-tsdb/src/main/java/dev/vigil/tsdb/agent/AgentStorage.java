package dev.vigil.tsdb.agent;

import dev.vigil.model.Appendable;
import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.tsdb.wal.FsyncPolicy;
import dev.vigil.tsdb.wal.RecordDecoder;
import dev.vigil.tsdb.wal.RecordEncoder;
import dev.vigil.tsdb.wal.RecordType;
import dev.vigil.tsdb.wal.Wal;
import dev.vigil.tsdb.wal.WalEvents;
import dev.vigil.tsdb.wal.WalFiles;
import dev.vigil.tsdb.wal.WalReader;
import dev.vigil.tsdb.wal.WalReaders;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The agent's storage: a WAL and nothing else, as Prometheus' agent mode keeps. Appends become
 * SERIES and SAMPLES records (docs/format/wal.md) for the remote write queues to read; nothing is
 * kept for queries. Memory is one entry per live series (its labels, WAL ref and newest time).
 *
 * <pre>{@code
 * AgentStorage s = AgentStorage.open(dir, log::info);
 * Appender a = s.appender();
 * a.append(0, labels, t, v);
 * a.commit();              // in the WAL: the queues send it
 * s.checkpoint();          // periodically: drop what every queue has sent
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class AgentStorage implements Appendable, AutoCloseable {
  /*
   * Commits are serialized (one lock): a commit logs the SERIES record of each series it creates
   * in the same write as, and before, the samples that use it, so no reader meets a ref before its
   * labels. Scrape commits are per target and small, so the lock is not contended in practice.
   *
   * checkpoint(): rolls the WAL, writes checkpoint.N with the SERIES records of the series seen
   * in the last hour (the others are forgotten; a series that comes back gets a new ref), and
   * deletes the segments up to N that no queue still needs (WalReaders). A sample older than its
   * series' newest is dropped (and counted), as Prometheus' agent does.
   *
   * Refs: append hands back the WAL ref of a series committed before, and a commit resolves a ref
   * through a primitive table (RefTable) instead of hashing and comparing the labels, into
   * scratch arrays kept between commits: a scrape loop that keeps the refs (ScrapeCache) appends
   * a steady target without a label lookup and without allocating per sample
   * (AgentStorageTest). A forgotten series' ref is not in the table: the labels given with it
   * create the series again under a new ref.
   */
  private static final long SERIES_TTL_MS = 3_600_000;
  private static final long SEGMENT_BYTES = 64L << 20;

  private static final class Series {
    final long ref;
    final Labels labels;
    long lastT = Long.MIN_VALUE;

    Series(long ref, Labels labels) {
      this.ref = ref;
      this.labels = labels;
    }
  }

  private final Path dir;
  private final Wal wal;
  private final Consumer<String> log;
  private final ConcurrentHashMap<Labels, Series> series = new ConcurrentHashMap<>();
  private final Object commitLock = new Object();
  private final RecordEncoder enc = new RecordEncoder();
  private final LongAdder appended = new LongAdder();
  private final LongAdder outOfOrder = new LongAdder();
  private long nextRef = 1;
  private long maxT = Long.MIN_VALUE;
  // Under commitLock: the series by ref, and a commit's scratch arrays (kept between commits).
  private RefTable<Series> byRef;
  private Series[] ss = new Series[64];
  private long[] before = new long[64];
  private boolean[] keep = new boolean[64];
  private final List<Series> created = new ArrayList<>();

  private AgentStorage(Path dir, Consumer<String> log) throws IOException {
    this.dir = dir;
    this.log = log;
    Path walDir = dir.resolve("wal");
    Map<Long, Series> byRef = new HashMap<>();
    long records =
        WalReader.replay(
            walDir,
            (type, b, off, len) -> {
              RecordDecoder d = new RecordDecoder(b, off, len);
              if (type == RecordType.SERIES) {
                while (d.hasMore()) {
                  long ref = d.uvarint();
                  Series s = new Series(ref, d.labels());
                  series.put(s.labels, s);
                  byRef.put(ref, s);
                  nextRef = Math.max(nextRef, ref + 1);
                }
              } else if (type == RecordType.SAMPLES) {
                int n = d.count("samples", 10);
                long r0 = d.uvarint();
                long t0 = d.varint();
                for (int i = 0; i < n; i++) {
                  Series s = byRef.get(r0 + d.varint());
                  long t = t0 + d.varint();
                  d.long64();
                  if (s != null && t > s.lastT) {
                    s.lastT = t;
                    maxT = Math.max(maxT, t);
                  }
                }
              }
            },
            log);
    if (records > 0) {
      log.accept("agent WAL: replayed " + records + " records, " + series.size() + " series");
    }
    this.byRef = index(series.values());
    this.wal = Wal.open(walDir, FsyncPolicy.INTERVAL, 1000, SEGMENT_BYTES, WalEvents.NONE);
  }

  /** Opens (creating, or replaying the WAL of) the agent store in {@code dir}. */
  public static AgentStorage open(Path dir, Consumer<String> log) throws IOException {
    Files.createDirectories(dir);
    return new AgentStorage(dir, log);
  }

  /** The store's directory (its WAL is {@code wal/} in it). */
  public Path dir() {
    return dir;
  }

  /** Series known (live in the last hour, or since the last checkpoint). */
  public int seriesCount() {
    return series.size();
  }

  /** Samples logged since start. */
  public long samplesAppended() {
    return appended.sum();
  }

  /** Samples dropped for being older than their series' newest. */
  public long samplesOutOfOrder() {
    return outOfOrder.sum();
  }

  @Override
  public Appender appender() {
    return new Appender() {
      private Labels[] labels = new Labels[64];
      private long[] refs = new long[64];
      private long[] ts = new long[64];
      private double[] vs = new double[64];
      private int n;

      @Override
      public long append(long ref, Labels l, long t, double v) {
        if (ref == 0) {
          if (l == null) {
            throw new IllegalArgumentException("append needs the series' labels or its ref");
          }
          // A series known from an earlier commit hands its ref back: the next append of it
          // (the next scrape) skips hashing and comparing its labels.
          Series s = series.get(l);
          if (s != null) {
            ref = s.ref;
          }
        }
        if (n == ts.length) {
          labels = Arrays.copyOf(labels, n * 2);
          refs = Arrays.copyOf(refs, n * 2);
          ts = Arrays.copyOf(ts, n * 2);
          vs = Arrays.copyOf(vs, n * 2);
        }
        labels[n] = l;
        refs[n] = ref;
        ts[n] = t;
        vs[n] = v;
        n++;
        return ref;
      }

      @Override
      public void commit() {
        try {
          if (n > 0) {
            write(labels, refs, ts, vs, n);
          }
        } finally {
          rollback();
        }
      }

      @Override
      public void rollback() {
        Arrays.fill(labels, 0, n, null);
        n = 0;
      }
    };
  }

  private void write(Labels[] labels, long[] refs, long[] ts, double[] vs, int n) {
    synchronized (commitLock) {
      enc.reset();
      if (ss.length < n) {
        int cap = Math.max(n, ss.length * 2);
        ss = new Series[cap];
        before = new long[cap];
        keep = new boolean[cap];
      }
      created.clear();
      try {
        boolean anyNew = false;
        for (int i = 0; i < n; i++) {
          Series s = refs[i] == 0 ? null : byRef.get(refs[i]);
          if (s == null) {
            if (labels[i] == null) {
              throw new IllegalArgumentException(
                  "unknown series ref "
                      + refs[i]
                      + " (forgotten after an hour without samples, or not from this store):"
                      + " append the series with its labels");
            }
            s = series.get(labels[i]);
          }
          if (s == null) {
            if (!anyNew) {
              enc.begin(RecordType.SERIES);
              anyNew = true;
            }
            s = new Series(nextRef++, labels[i]);
            series.put(s.labels, s);
            byRef.put(s.ref, s);
            created.add(s);
            enc.series(s.ref, s.labels);
          }
          ss[i] = s;
          before[i] = s.lastT;
        }
        if (anyNew) {
          enc.end();
        }
        int kept = 0;
        int first = -1;
        for (int i = 0; i < n; i++) {
          Series s = ss[i];
          keep[i] = ts[i] > s.lastT;
          if (!keep[i]) {
            outOfOrder.increment(); // older than (or a repeat of) the series' newest sample
            continue;
          }
          if (first < 0) {
            first = i;
          }
          kept++;
          s.lastT = ts[i];
          maxT = Math.max(maxT, ts[i]);
        }
        if (kept > 0) {
          long r0 = ss[first].ref;
          long t0 = ts[first];
          enc.begin(RecordType.SAMPLES);
          enc.uvarint(kept);
          enc.uvarint(r0);
          enc.varint(t0);
          for (int i = 0; i < n; i++) {
            if (keep[i]) {
              enc.varint(ss[i].ref - r0);
              enc.varint(ts[i] - t0);
              enc.long64(Double.doubleToRawLongBits(vs[i]));
            }
          }
          enc.end();
        }
        if (enc.length() > 0) {
          wal.write(enc.buffer(), enc.length());
        }
        appended.add(kept);
      } catch (RuntimeException e) {
        // Nothing of the commit is in the WAL: undo what it did to the series.
        for (int i = n - 1; i >= 0; i--) {
          if (ss[i] != null) {
            ss[i].lastT = before[i];
          }
        }
        for (Series c : created) {
          series.remove(c.labels);
        }
        if (!created.isEmpty()) {
          byRef = index(series.values());
        }
        throw e;
      } finally {
        Arrays.fill(ss, 0, n, null);
        created.clear();
      }
    }
  }

  private static RefTable<Series> index(java.util.Collection<Series> all) {
    RefTable<Series> t = new RefTable<>(all.size());
    for (Series s : all) {
      t.put(s.ref, s);
    }
    return t;
  }

  /**
   * Rolls the WAL and writes a checkpoint of the live series' labels, then deletes the segments
   * every remote write queue has read. Returns the number of series forgotten.
   */
  public int checkpoint() throws IOException {
    int seg;
    List<Series> live = new ArrayList<>();
    int forgotten = 0;
    synchronized (commitLock) {
      seg = wal.roll();
      for (var it = series.values().iterator(); it.hasNext(); ) {
        Series s = it.next();
        if (s.lastT != Long.MIN_VALUE && s.lastT < maxT - SERIES_TTL_MS) {
          it.remove();
          forgotten++;
        } else {
          live.add(s);
        }
      }
      if (forgotten > 0) {
        byRef = index(live);
      }
    }
    Path walDir = wal.dir();
    Path tmp = walDir.resolve(WalFiles.checkpointPath(walDir, seg).getFileName() + ".tmp");
    RecordEncoder e = new RecordEncoder();
    try (FileOutputStream out = new FileOutputStream(tmp.toFile())) {
      for (int i = 0; i < live.size(); i += 1000) {
        e.reset();
        e.begin(RecordType.SERIES);
        for (Series s : live.subList(i, Math.min(live.size(), i + 1000))) {
          e.series(s.ref, s.labels);
        }
        e.end();
        out.write(e.buffer(), 0, e.length());
      }
      out.getFD().sync();
    } catch (IOException | RuntimeException ex) {
      Files.deleteIfExists(tmp);
      throw ex;
    }
    Files.move(tmp, WalFiles.checkpointPath(walDir, seg), StandardCopyOption.ATOMIC_MOVE);
    WalFiles.fsyncDir(walDir);
    int held = WalReaders.in(dir).lowestSegment();
    WalFiles.deleteUpTo(walDir, Math.min(seg, held == Integer.MAX_VALUE ? seg : held - 1), seg);
    if (forgotten > 0) {
      log.accept("agent WAL checkpoint " + seg + ": forgot " + forgotten + " series idle for 1h");
    }
    return forgotten;
  }

  @Override
  public void close() throws IOException {
    wal.close();
  }
}
