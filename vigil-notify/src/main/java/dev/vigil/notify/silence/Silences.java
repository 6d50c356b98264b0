package dev.vigil.notify.silence;

import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.notify.nflog.RecordLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The silences of the built-in notifier, with Alertmanager 0.25's rules for setting, updating and
 * expiring them, persisted in the data directory.
 *
 * <pre>{@code
 * try (Silences silences = Silences.open(dataDir.resolve("notify/silences.log"), Clock.systemUTC(),
 *     Silences.DEFAULT_RETENTION)) {
 *   String id = silences.set(new Silence(null, Matchers.parse("alertname=Disk"), now,
 *       now.plus(Duration.ofHours(2)), null, "ops", "disk swap"));
 *   List<String> muting = silences.mutes(alert.labels(), now); // [id]
 *   silences.expire(id);
 * }
 * }</pre>
 *
 * <p>Thread safety: all methods may be called from any thread; {@link #mutes} reads an immutable
 * snapshot without locking.
 */
/*
 * Design: the live set is an immutable list swapped under the lock on each change (copy on
 * write), since silences change rarely (a person types them) and are read for every alert of
 * every notification. Each change appends the silence's new value to a RecordLog (fsync'd: a
 * silence someone set must survive a power cut); the log is rewritten from the live set when it
 * holds more stale records than live ones, and on gc(). Alertmanager snapshots every 15 min and
 * loses the last changes on a crash; appending per change loses none.
 *
 * Update rules, as Alertmanager's Silences.Set: a silence may be changed in place only if its
 * matchers are the same and, when active, its start stays and its end is not in the past; when
 * pending, the new start is not in the past. Otherwise the old one is expired (unless already)
 * and a new silence with a new id is created. A new silence starting in the past starts now.
 */
public final class Silences implements AutoCloseable {
  /** Alertmanager's {@code --data.retention} default: expired silences are kept 120 h. */
  public static final Duration DEFAULT_RETENTION = Duration.ofHours(120);

  private final RecordLog log;
  private final Clock clock;
  private final Duration retention;
  private final Object lock = new Object();
  private volatile List<Silence> live;

  /** The live set indexed for {@link #mutes}, replaced with it (readers use one or the other). */
  private volatile Index index;

  private Silences(RecordLog log, Clock clock, Duration retention, List<Silence> live) {
    this.log = log;
    this.clock = clock;
    this.retention = retention;
    setLive(live);
  }

  private void setLive(List<Silence> next) {
    live = next;
    index = Index.of(next);
  }

  /**
   * Each silence under the first of its equality matchers with a non-empty value (only alerts with
   * that label value can match it), the others in {@code rest}: {@link #mutes} checks the silences
   * filed under the alert's label pairs and the rest, not every silence kept (expired ones stay 120
   * h).
   */
  private record Index(Map<String, Map<String, List<Silence>>> byEquality, List<Silence> rest) {
    static Index of(List<Silence> silences) {
      Map<String, Map<String, List<Silence>>> by = new java.util.HashMap<>();
      List<Silence> rest = new ArrayList<>();
      for (Silence s : silences) {
        LabelMatcher key = null;
        for (LabelMatcher m : s.matchers()) {
          if (m.type() == LabelMatcher.Type.EQUAL && !m.value().isEmpty()) {
            key = m;
            break;
          }
        }
        if (key == null) {
          rest.add(s);
        } else {
          by.computeIfAbsent(key.name(), k -> new java.util.HashMap<>())
              .computeIfAbsent(key.value(), k -> new ArrayList<>())
              .add(s);
        }
      }
      return new Index(by, rest);
    }
  }

  /**
   * Opens the silences stored in {@code file} (created if absent), dropping those expired for
   * longer than {@code retention}.
   *
   * @throws IOException if the file cannot be read or written
   */
  public static Silences open(Path file, Clock clock, Duration retention) throws IOException {
    RecordLog log = RecordLog.open(file, true);
    Map<String, Silence> byId = new LinkedHashMap<>();
    for (String r : log.records()) {
      Silence s;
      try {
        s = SilenceJson.decode(r);
      } catch (IOException | RuntimeException e) {
        throw new IOException(
            file + ": a silence record with a valid checksum does not parse: " + e.getMessage(), e);
      }
      byId.put(s.id(), s);
    }
    Silences s = new Silences(log, clock, retention, List.copyOf(byId.values()));
    s.gc();
    return s;
  }

  /**
   * Bytes of a torn or corrupt tail cut from the file when it was opened (0 for a clean file), kept
   * in {@link RecordLog#cutFile}.
   */
  public long cutBytes() {
    return log.cutBytes();
  }

  /** The clock's current time. */
  public Instant now() {
    return clock.instant();
  }

  /**
   * Creates a silence (null or empty id) or updates the one with the given id, with Alertmanager's
   * rules: a change that cannot be made in place expires the old silence and creates a new one.
   *
   * @return the id of the silence now in force
   * @throws SilenceException if the id is unknown ({@link SilenceException#notFound()}) or the
   *     silence is invalid (no matchers, end before start)
   */
  public String set(Silence in) {
    synchronized (lock) {
      Instant now = clock.instant();
      String id = in.id() == null || in.id().isEmpty() ? null : in.id();
      Silence prev = id == null ? null : find(id);
      if (id != null && prev == null) {
        throw SilenceException.notFound(id);
      }
      validate(in);
      if (prev != null) {
        if (canUpdate(prev, in, now)) {
          Silence upd = in.withId(prev.id()).withTimes(in.startsAt(), in.endsAt(), now);
          store(upd);
          return upd.id();
        }
        if (prev.state(now) != Silence.State.EXPIRED) {
          expireLocked(prev, now);
        }
      }
      Instant start = in.startsAt().isBefore(now) ? now : in.startsAt();
      Silence created = in.withId(UUID.randomUUID().toString()).withTimes(start, in.endsAt(), now);
      validate(created);
      store(created);
      return created.id();
    }
  }

  private static void validate(Silence s) {
    if (s.matchers().isEmpty()) {
      throw SilenceException.invalid("at least one matcher required");
    }
    boolean allMatchEmpty = true;
    for (LabelMatcher m : s.matchers()) {
      allMatchEmpty &= m.matchesEmpty();
    }
    if (allMatchEmpty) {
      throw SilenceException.invalid("at least one matcher must not match the empty string");
    }
    if (s.startsAt() == null) {
      throw SilenceException.invalid("invalid zero start timestamp");
    }
    if (s.endsAt() == null) {
      throw SilenceException.invalid("invalid zero end timestamp");
    }
    if (s.endsAt().isBefore(s.startsAt())) {
      throw SilenceException.invalid("end time must not be before start time");
    }
  }

  private static boolean canUpdate(Silence a, Silence b, Instant now) {
    if (!a.matchers().equals(b.matchers())) {
      return false;
    }
    return switch (a.state(now)) {
      case ACTIVE -> b.startsAt().equals(a.startsAt()) && !b.endsAt().isBefore(now);
      case PENDING -> !b.startsAt().isBefore(now);
      case EXPIRED -> false;
    };
  }

  /**
   * Expires a silence now: a pending one gets start and end now, an active one ends now.
   *
   * <p>An already expired silence stays as it is (Alertmanager 0.25 answers 200 as well).
   *
   * @throws SilenceException if unknown ({@link SilenceException#notFound()})
   */
  public void expire(String id) {
    synchronized (lock) {
      Silence s = find(id);
      if (s == null) {
        throw SilenceException.notFound(id);
      }
      Instant now = clock.instant();
      if (s.state(now) == Silence.State.EXPIRED) {
        return;
      }
      expireLocked(s, now);
    }
  }

  private void expireLocked(Silence s, Instant now) {
    Instant start = s.state(now) == Silence.State.PENDING ? now : s.startsAt();
    store(s.withTimes(start, now, now));
  }

  /** The silence with this id, in any state (until garbage-collected). */
  public Optional<Silence> get(String id) {
    return Optional.ofNullable(find(id));
  }

  private Silence find(String id) {
    for (Silence s : live) {
      if (s.id().equals(id)) {
        return s;
      }
    }
    return null;
  }

  /** All silences, in any state, in no particular order. */
  public List<Silence> list() {
    return live;
  }

  /**
   * The silences passing API v2's {@code filter} matchers (see {@link SilenceJson#passesFilter}),
   * in Alertmanager's order: active by end, then pending by start, then expired, most recently
   * ended first.
   */
  public List<Silence> query(List<LabelMatcher> filter) {
    Instant now = clock.instant();
    List<Silence> out = new ArrayList<>();
    for (Silence s : live) {
      if (SilenceJson.passesFilter(s, filter)) {
        out.add(s);
      }
    }
    out.sort(order(now));
    return out;
  }

  static Comparator<Silence> order(Instant now) {
    return (a, b) -> {
      Silence.State sa = a.state(now);
      Silence.State sb = b.state(now);
      if (sa != sb) {
        return Integer.compare(rank(sa), rank(sb));
      }
      return switch (sa) {
        case ACTIVE -> a.endsAt().compareTo(b.endsAt());
        case PENDING -> a.startsAt().compareTo(b.startsAt());
        case EXPIRED -> b.endsAt().compareTo(a.endsAt());
      };
    };
  }

  private static int rank(Silence.State s) {
    return switch (s) {
      case ACTIVE -> 0;
      case PENDING -> 1;
      case EXPIRED -> 2;
    };
  }

  /**
   * The ids of the silences active at {@code at} whose matchers all match these labels, sorted;
   * empty if none mutes the alert.
   */
  public List<String> mutes(Labels alertLabels, Instant at) {
    Index ix = index;
    List<String> ids = null;
    if (!ix.byEquality().isEmpty()) {
      for (int i = 0; i < alertLabels.size(); i++) {
        Map<String, List<Silence>> byValue = ix.byEquality().get(alertLabels.name(i));
        List<Silence> filed = byValue == null ? null : byValue.get(alertLabels.value(i));
        if (filed != null) {
          ids = muting(filed, alertLabels, at, ids);
        }
      }
    }
    ids = muting(ix.rest(), alertLabels, at, ids);
    if (ids == null) {
      return List.of();
    }
    ids.sort(null);
    return List.copyOf(ids);
  }

  private static List<String> muting(
      List<Silence> candidates, Labels alertLabels, Instant at, List<String> ids) {
    for (Silence s : candidates) {
      if (s.state(at) == Silence.State.ACTIVE && s.matches(alertLabels)) {
        if (ids == null) {
          ids = new ArrayList<>(2);
        }
        ids.add(s.id());
      }
    }
    return ids;
  }

  /**
   * Drops the silences that expired longer than the retention ago and rewrites the file with the
   * rest. Runs on open; call it periodically (Alertmanager does every 15 min).
   *
   * @return how many silences were dropped
   */
  public int gc() {
    synchronized (lock) {
      Instant cutoff = clock.instant().minus(retention);
      List<Silence> keep = new ArrayList<>();
      for (Silence s : live) {
        if (!s.endsAt().isBefore(cutoff)) {
          keep.add(s);
        }
      }
      int dropped = live.size() - keep.size();
      setLive(List.copyOf(keep));
      if (dropped > 0 || log.appendedSinceRewrite() > 0 || log.cutBytes() > 0) {
        rewrite();
      }
      return dropped;
    }
  }

  private void store(Silence s) {
    List<Silence> next = new ArrayList<>(live.size() + 1);
    boolean replaced = false;
    for (Silence o : live) {
      if (o.id().equals(s.id())) {
        next.add(s);
        replaced = true;
      } else {
        next.add(o);
      }
    }
    if (!replaced) {
      next.add(s);
    }
    try {
      log.append(SilenceJson.encode(s));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + log.file() + ": " + e.getMessage(), e);
    }
    setLive(List.copyOf(next));
    if (log.appendedSinceRewrite() > Math.max(64, 2 * next.size())) {
      rewrite();
    }
  }

  private void rewrite() {
    List<String> records = new ArrayList<>(live.size());
    for (Silence s : live) {
      records.add(SilenceJson.encode(s));
    }
    try {
      log.rewrite(records);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + log.file() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    synchronized (lock) {
      log.close();
    }
  }
}
