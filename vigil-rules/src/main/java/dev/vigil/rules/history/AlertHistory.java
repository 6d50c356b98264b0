package dev.vigil.rules.history;

import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.rules.AlertEvent;
import dev.vigil.rules.AlertListener;
import dev.vigil.rules.AlertState;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Every state change of every alert, kept on disk and queryable, and which alerts are flapping.
 *
 * <pre>{@code
 * AlertHistory h = AlertHistory.builder(dataDir.resolve("alert-history"))
 *     .retention(Duration.ofDays(15)).flapping(6, Duration.ofHours(1)).open();
 * RuleManager m = RuleManager.builder(db, db).listener(h).build();
 * h.query(List.of(), start, end, 100); // newest first
 * }</pre>
 *
 * <p>Thread-safe: one lock guards the log, the in-memory index and the flapping state.
 */
/*
 * Design: state changes are rare (a few per alert per hour; a rule with a thousand alerts flapping
 * every minute is 60,000 records an hour), so each is one JSON record in an append-only log
 * (HistoryLog) written under the lock before onStateChange returns: a change the API has shown is
 * in the file, and a killed process loses none. Every record kept on disk is also held in memory,
 * ordered by evaluation time: the disk bound (maxBytes, whole segments dropped oldest first) and the
 * retention bound the memory too, and a query is a backward walk that stops at its limit or its
 * start time. Flapping counts changes per alert in a sliding window, rebuilt from the log at open.
 */
public final class AlertHistory implements AlertListener, Closeable {

  private final HistoryLog log;
  private final long retentionMs;
  private final long maxBytes;
  private final LongSupplier clock;
  private final Consumer<String> messages;
  private final Flapping flapping;
  private final Object lock = new Object();

  /** Ordered by timestamp; records of one timestamp in the order they were written. */
  private final ArrayList<Stored> entries = new ArrayList<>();

  /** The last recorded change of each alert that is pending or firing: what a restart restores. */
  private final Map<Labels, HistoryEntry> active = new HashMap<>();

  /** A restored alert's first change after a restart, until the next tells if it was new. */
  private final Map<Labels, AlertEvent> restoring = new HashMap<>();

  private final Map<String, long[]> changes = new HashMap<>();

  /** Distinct labels, annotations, groups and files kept for sharing (see canonical). */
  private static final int MAX_CANONICAL = 100_000;

  private final Map<Object, Object> canon = new HashMap<>();
  private final AtomicLong writeFailures = new AtomicLong();
  private final ScheduledExecutorService ticker;
  private long nextId = 1;
  private boolean closed;

  private record Stored(HistoryEntry entry, int segment) {}

  private AlertHistory(Builder b, List<HistoryLog.Record> records) throws IOException {
    this.log = b.log;
    this.retentionMs = b.retention.toMillis();
    this.maxBytes = b.maxBytes;
    this.clock = b.clock;
    this.messages = b.messages;
    this.flapping = new Flapping(b.flappingChanges, b.flappingWindow.toMillis());
    int skipped = 0;
    for (HistoryLog.Record r : records) {
      HistoryEntry e;
      try {
        e = HistoryCodec.decode(r.payload());
      } catch (IOException | RuntimeException ex) {
        skipped++;
        continue;
      }
      if (e == null) {
        try {
          HistoryCodec.Notified n = HistoryCodec.decodeNotified(r.payload());
          if (n != null) {
            attach(n);
          }
        } catch (IOException | RuntimeException ex) {
          skipped++;
        }
        continue; // else a record kind this version does not know
      }
      e = canonical(e);
      insert(new Stored(e, r.segment()));
      track(e);
      flapping.record(e.labels(), e.timestampMs());
      nextId = Math.max(nextId, e.id() + 1);
    }
    if (skipped > 0) {
      messages.accept("alert history: skipped " + skipped + " unreadable records");
    }
    synchronized (lock) {
      trim();
    }
    long tick = Math.max(1000, b.fsyncInterval.toMillis());
    ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("vigil-alert-history").unstarted(r));
    ticker.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
  }

  /** A history kept in {@code dir} (created if needed). */
  public static Builder builder(Path dir) {
    return new Builder(dir);
  }

  /** Records one change: written to the log before this returns. */
  @Override
  public void onStateChange(AlertEvent e) {
    synchronized (lock) {
      if (closed) {
        return;
      }
      AlertEvent held = restoring.remove(e.labels());
      HistoryEntry last = active.get(e.labels());
      if (held != null && !sameActiveAt(last, e)) {
        record(held); // not a restore: the alert ended unseen while Vigil was down
      }
      if (last != null && e.from() == AlertState.INACTIVE && !sameActiveAt(last, e)) {
        // After a restart the engine's first evaluation makes an active alert pending as new and
        // restores its activeAt afterwards; the next change tells which it was.
        restoring.put(e.labels(), e);
        return;
      }
      if (!restated(e)) {
        record(e);
      }
    }
  }

  /**
   * Records that the alert with these labels was notified: a {@code notified} record referring to
   * its latest change is written before this returns, and {@link HistoryEntry#notified} of that
   * change lists {@code receiver/integration@time}.
   *
   * @param integration the receiver's integration, e.g. {@code webhook/0}
   * @return false when no change of this alert is held (an alert not from the rules, or expired)
   */
  public boolean notified(Labels alert, String receiver, String integration, long timestampMs) {
    synchronized (lock) {
      if (closed) {
        return false;
      }
      HistoryEntry latest = null;
      for (int i = entries.size() - 1; i >= 0; i--) {
        HistoryEntry e = entries.get(i).entry;
        if (e.labels().equals(alert)) {
          latest = e; // entries are in time order: the first from the end is the latest
          break;
        }
      }
      if (latest == null) {
        return false;
      }
      HistoryCodec.Notified n =
          new HistoryCodec.Notified(latest.id(), timestampMs, receiver, integration);
      try {
        log.append(HistoryCodec.encode(n));
      } catch (IOException ex) {
        if (writeFailures.getAndIncrement() == 0) {
          messages.accept("alert history: cannot write a record: " + ex);
        }
      }
      attach(n);
      return true;
    }
  }

  /** Adds a notification to the change it refers to, if that change is still held. */
  private void attach(HistoryCodec.Notified n) {
    // Notifications follow their change closely: the scan from the newest end is short.
    for (int i = entries.size() - 1; i >= 0; i--) {
      Stored s = entries.get(i);
      HistoryEntry e = s.entry;
      if (e.id() != n.ref()) {
        continue;
      }
      List<String> who = new ArrayList<>(e.notified());
      who.add(n.who());
      HistoryEntry withWho =
          new HistoryEntry(
              e.id(),
              e.labels(),
              e.annotations(),
              e.value(),
              e.from(),
              e.to(),
              e.timestampMs(),
              e.activeAt(),
              e.group(),
              e.file(),
              e.flapping(),
              who);
      entries.set(i, new Stored(withWho, s.segment()));
      if (active.get(e.labels()) == e) {
        active.put(e.labels(), withWho);
      }
      return;
    }
  }

  private static boolean sameActiveAt(HistoryEntry last, AlertEvent e) {
    // ALERTS_FOR_STATE, what the engine restores from, keeps whole seconds.
    return last != null && last.activeAt() / 1000 == e.activeAt() / 1000;
  }

  private void record(AlertEvent e) {
    boolean flaps = flapping.record(e.labels(), e.timestampMs());
    HistoryEntry h =
        canonical(
            new HistoryEntry(
                nextId++,
                e.labels(),
                e.annotations(),
                e.value(),
                e.from(),
                e.to(),
                e.timestampMs(),
                e.activeAt(),
                e.group(),
                e.file(),
                flaps,
                List.of()));
    int segment;
    try {
      segment = log.append(HistoryCodec.encode(h));
    } catch (IOException ex) {
      if (writeFailures.getAndIncrement() == 0) {
        messages.accept("alert history: cannot write a record: " + ex);
      }
      segment = log.currentSegment();
    }
    insert(new Stored(h, segment));
    track(h);
    changes
        .computeIfAbsent(h.alertname(), k -> new long[AlertState.values().length])[
        h.to().ordinal()]++;
    trim();
  }

  /**
   * Whether the change only restates what the history already holds: after a restart the rule
   * engine restores an active alert (pending, then firing) with the activeAt it had. The history
   * keeps the alert as it was, so a restart does not show a firing alert as new.
   */
  private boolean restated(AlertEvent e) {
    HistoryEntry last = active.get(e.labels());
    return e.to() != AlertState.INACTIVE
        && last != null
        && e.to().ordinal() <= last.to().ordinal()
        && sameActiveAt(last, e);
  }

  private void track(HistoryEntry e) {
    if (e.to() == AlertState.INACTIVE) {
      active.remove(e.labels());
    } else {
      active.put(e.labels(), e);
    }
  }

  /**
   * The entry with labels, annotations, group and file shared with earlier entries equal to them:
   * the changes of one alert repeat them. A reopened history of 100,000 changes (50 alert names on
   * 1,000 instances) took 76 MB of heap without sharing, 25 MB with it, and 45 MB when every
   * change's annotations differ (a $value in them).
   */
  private HistoryEntry canonical(HistoryEntry e) {
    if (canon.size() > MAX_CANONICAL) {
      canon.clear(); // entries keep what they share; only new ones stop sharing with them
    }
    return new HistoryEntry(
        e.id(),
        canonical(e.labels()),
        canonical(e.annotations()),
        e.value(),
        e.from(),
        e.to(),
        e.timestampMs(),
        e.activeAt(),
        canonical(e.group()),
        canonical(e.file()),
        e.flapping(),
        e.notified());
  }

  @SuppressWarnings("unchecked")
  private <T> T canonical(T v) {
    Object c = canon.putIfAbsent(v, v);
    return c == null ? v : (T) c;
  }

  private void insert(Stored s) {
    int i = entries.size();
    while (i > 0 && entries.get(i - 1).entry.timestampMs() > s.entry.timestampMs()) {
      i--;
    }
    entries.add(i, s);
  }

  /**
   * The changes whose alert labels match any of the matcher lists (all changes when there are
   * none), with {@code startMs <= timestamp <= endMs}, newest first, at most {@code limit}.
   */
  public List<HistoryEntry> query(
      List<List<LabelMatcher>> matchers, long startMs, long endMs, int limit) {
    List<HistoryEntry> out = new ArrayList<>();
    synchronized (lock) {
      long from = Math.max(startMs, clock.getAsLong() - retentionMs);
      for (int i = entries.size() - 1; i >= 0 && out.size() < limit; i--) {
        HistoryEntry e = entries.get(i).entry;
        if (e.timestampMs() > endMs) {
          continue;
        }
        if (e.timestampMs() < from) {
          break;
        }
        if (matches(matchers, e.labels())) {
          out.add(e);
        }
      }
    }
    return out;
  }

  private static boolean matches(List<List<LabelMatcher>> sets, Labels l) {
    if (sets.isEmpty()) {
      return true;
    }
    for (List<LabelMatcher> set : sets) {
      boolean all = true;
      for (LabelMatcher m : set) {
        if (!m.matches(l)) {
          all = false;
          break;
        }
      }
      if (all) {
        return true;
      }
    }
    return false;
  }

  /** Whether the alert with these labels changed state more than the limit in the last window. */
  public boolean isFlapping(Labels alert) {
    synchronized (lock) {
      return flapping.isFlapping(alert, clock.getAsLong());
    }
  }

  /**
   * Changes recorded since this history was opened, by alert name and the state changed to (indexed
   * by {@link AlertState#ordinal()}).
   */
  public Map<String, long[]> changesByAlertname() {
    Map<String, long[]> out = new TreeMap<>();
    synchronized (lock) {
      changes.forEach((k, v) -> out.put(k, v.clone()));
    }
    return out;
  }

  /** Records that could not be written to the log (they stay queryable until a restart). */
  public long writeFailures() {
    return writeFailures.get();
  }

  /** Changes held (on disk and in memory). */
  public int size() {
    synchronized (lock) {
      return entries.size();
    }
  }

  /** The log's size on disk. */
  public long bytes() {
    synchronized (lock) {
      return log.totalBytes();
    }
  }

  /** Drops what retention and the size bound exclude. Holds the lock. */
  private void trim() {
    long cutoff = clock.getAsLong() - retentionMs;
    int expired = 0;
    while (expired < entries.size() && entries.get(expired).entry.timestampMs() < cutoff) {
      expired++;
    }
    if (expired > 0) {
      entries.subList(0, expired).clear();
    }
    try {
      // A segment goes when no entry of it is left (retention) or the log is over its bound.
      while (true) {
        int oldest = log.oldestSegment();
        boolean unused = entries.isEmpty() || entries.get(0).segment > oldest;
        boolean over = log.totalBytes() > maxBytes;
        if (!(unused || over) || !log.dropOldest()) {
          break;
        }
        entries.removeIf(s -> s.segment <= oldest);
      }
    } catch (IOException ex) {
      messages.accept("alert history: cannot drop an old segment: " + ex);
    }
  }

  private void tick() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      try {
        log.sync();
      } catch (IOException ex) {
        messages.accept("alert history: fsync failed: " + ex);
      }
      trim();
      flapping.expire(clock.getAsLong());
    }
  }

  @Override
  public void close() throws IOException {
    ticker.shutdownNow();
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      log.close();
    }
  }

  /** Configures an {@link AlertHistory}. */
  public static final class Builder {
    private final Path dir;
    private Duration retention = Duration.ofDays(15);
    private long maxBytes = 16L << 20;
    private Duration fsyncInterval = Duration.ofSeconds(1);
    private int flappingChanges = 6;
    private Duration flappingWindow = Duration.ofHours(1);
    private LongSupplier clock = System::currentTimeMillis;
    private Consumer<String> messages = m -> {};
    private HistoryLog log;

    private Builder(Path dir) {
      this.dir = Objects.requireNonNull(dir);
    }

    /** How long changes are kept (default 15 d, the store's default retention). */
    public Builder retention(Duration d) {
      if (d.toMillis() <= 0) {
        throw new IllegalArgumentException("retention must be positive, got " + d);
      }
      retention = d;
      return this;
    }

    /** The log's size bound: the oldest segments go past it (default 16 MiB). */
    public Builder maxBytes(long n) {
      if (n < 4096) {
        throw new IllegalArgumentException("maxBytes must be at least 4096, got " + n);
      }
      maxBytes = n;
      return this;
    }

    /** How often written records are fsynced; zero fsyncs each record (default 1 s). */
    public Builder fsyncInterval(Duration d) {
      fsyncInterval = Objects.requireNonNull(d);
      return this;
    }

    /** An alert with more than {@code changes} state changes within {@code window} is flapping. */
    public Builder flapping(int changes, Duration window) {
      if (changes < 1 || window.toMillis() <= 0) {
        throw new IllegalArgumentException(
            "flapping needs changes >= 1 and a positive window, got " + changes + " in " + window);
      }
      flappingChanges = changes;
      flappingWindow = window;
      return this;
    }

    /** Milliseconds since the epoch, for retention and the flapping window (default: system). */
    public Builder clock(LongSupplier c) {
      clock = Objects.requireNonNull(c);
      return this;
    }

    /** Where problems (torn tail cut, write failures) are reported. */
    public Builder messages(Consumer<String> m) {
      messages = Objects.requireNonNull(m);
      return this;
    }

    /** Opens the log (reading it, cutting a torn tail) and starts the fsync ticker. */
    public AlertHistory open() throws IOException {
      long segmentBytes = Math.max(1024, maxBytes / 8);
      log = new HistoryLog(dir, segmentBytes, fsyncInterval.isZero(), messages);
      List<HistoryLog.Record> records = log.open();
      try {
        return new AlertHistory(this, records);
      } catch (IOException | RuntimeException e) {
        log.close();
        throw e;
      }
    }
  }
}
