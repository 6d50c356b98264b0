package dev.vigil.notify.nflog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The notification log: per aggregation group ({@code groupKey}) and receiver, what was last
 * delivered (the hashes of the firing and resolved alerts), when, and the outcome of the last
 * attempt; persisted in the data directory so that after a restart the notifier neither re-sends a
 * resolved notification nor forgets a pending one (Alertmanager's {@code nflog}).
 *
 * <pre>{@code
 * NotificationLog nflog = NotificationLog.open(dataDir.resolve("notify/nflog.log"), clock,
 *     NotificationLog.DEFAULT_RETENTION);
 * nflog.record(groupKey, "team-x/webhook/0", firingHashes, resolvedHashes, null); // delivered
 * nflog.record(groupKey, "team-x/webhook/0", firingHashes, resolvedHashes, "500 from …"); // failed
 * Optional<NotificationLog.Entry> last = nflog.query(groupKey, "team-x/webhook/0");
 * }</pre>
 *
 * <p>Thread safety: all methods may be called from any thread.
 */
/*
 * Design: a map of the latest entry per (groupKey, receiver); each record() appends that entry to
 * a RecordLog without fsync (a completed write survives kill -9; a power cut may lose the last
 * sends, which at worst repeats a notification, as Alertmanager's 15-min snapshots do). The file
 * is rewritten from the map when it holds twice as many records as live entries, and on gc().
 * Entries expire `retention` after their last delivery (Alertmanager's --data.retention, 120 h).
 */
public final class NotificationLog implements AutoCloseable {
  /** Alertmanager's {@code --data.retention} default. */
  public static final Duration DEFAULT_RETENTION = Duration.ofHours(120);

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * The log's state for one group and receiver.
   *
   * @param groupKey the aggregation group's key (as in the webhook payload)
   * @param receiver the receiver integration, as the notifier names it (e.g. {@code
   *     team/webhook/0})
   * @param delivered when the last successful delivery happened (null if none yet)
   * @param firingAlerts hashes of the alerts firing in the last successful delivery
   * @param resolvedAlerts hashes of the alerts resolved in the last successful delivery
   * @param lastAttempt when the last attempt happened, successful or not
   * @param lastError the last attempt's error, null if it succeeded
   * @param expiresAt when the entry is dropped
   */
  public record Entry(
      String groupKey,
      String receiver,
      Instant delivered,
      Set<Long> firingAlerts,
      Set<Long> resolvedAlerts,
      Instant lastAttempt,
      String lastError,
      Instant expiresAt) {
    public Entry {
      firingAlerts = Set.copyOf(firingAlerts);
      resolvedAlerts = Set.copyOf(resolvedAlerts);
    }

    /** Whether the last attempt succeeded. */
    public boolean succeeded() {
      return lastError == null;
    }

    /** Whether the last delivery said every alert was resolved (nothing firing). */
    public boolean allResolved() {
      return delivered != null && firingAlerts.isEmpty();
    }
  }

  private record Key(String groupKey, String receiver) {}

  private final RecordLog log;
  private final Clock clock;
  private final Duration retention;
  private final Map<Key, Entry> entries = new LinkedHashMap<>();

  private NotificationLog(RecordLog log, Clock clock, Duration retention) {
    this.log = log;
    this.clock = clock;
    this.retention = retention;
  }

  /** Opens (or creates) the log stored in {@code file}, dropping expired entries. */
  public static NotificationLog open(Path file, Clock clock, Duration retention)
      throws IOException {
    RecordLog rl = RecordLog.open(file, false);
    NotificationLog n = new NotificationLog(rl, clock, retention);
    for (String r : rl.records()) {
      Entry e;
      try {
        e = decode(r);
      } catch (IOException | RuntimeException ex) {
        throw new IOException(
            file + ": a log record with a valid checksum does not parse: " + ex.getMessage(), ex);
      }
      n.entries.put(new Key(e.groupKey(), e.receiver()), e);
    }
    n.gc();
    return n;
  }

  /**
   * Records an attempt to notify {@code receiver} of group {@code groupKey} now.
   *
   * @param firing hashes of the firing alerts sent
   * @param resolved hashes of the resolved alerts sent
   * @param error null if delivered; else why it failed (the last delivery stays as it was)
   * @return the entry now in the log
   */
  public synchronized Entry record(
      String groupKey,
      String receiver,
      Collection<Long> firing,
      Collection<Long> resolved,
      String error) {
    Instant now = clock.instant();
    Key k = new Key(groupKey, receiver);
    Entry prev = entries.get(k);
    Entry e;
    if (error == null) {
      e =
          new Entry(
              groupKey,
              receiver,
              now,
              Set.copyOf(firing),
              Set.copyOf(resolved),
              now,
              null,
              now.plus(retention));
    } else if (prev != null) {
      e =
          new Entry(
              groupKey,
              receiver,
              prev.delivered(),
              prev.firingAlerts(),
              prev.resolvedAlerts(),
              now,
              error,
              prev.expiresAt());
    } else {
      e = new Entry(groupKey, receiver, null, Set.of(), Set.of(), now, error, now.plus(retention));
    }
    entries.put(k, e);
    try {
      log.append(encode(e));
      if (log.appendedSinceRewrite() > Math.max(256, 2 * entries.size())) {
        rewrite();
      }
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot write " + log.file() + ": " + ex.getMessage(), ex);
    }
    return e;
  }

  /**
   * Bytes of a torn or corrupt tail cut from the file when it was opened (0 for a clean file), kept
   * in {@link RecordLog#cutFile}.
   */
  public long cutBytes() {
    return log.cutBytes();
  }

  /** The entry of this group and receiver, if any. */
  public synchronized Optional<Entry> query(String groupKey, String receiver) {
    return Optional.ofNullable(entries.get(new Key(groupKey, receiver)));
  }

  /** All entries, oldest first. */
  public synchronized List<Entry> entries() {
    return List.copyOf(entries.values());
  }

  /**
   * Drops expired entries and rewrites the file. Runs on open; call it periodically.
   *
   * @return how many entries were dropped
   */
  public synchronized int gc() {
    Instant now = clock.instant();
    int before = entries.size();
    entries.values().removeIf(e -> e.expiresAt().isBefore(now));
    int dropped = before - entries.size();
    if (dropped > 0 || log.appendedSinceRewrite() > 0 || log.cutBytes() > 0) {
      try {
        rewrite();
      } catch (IOException ex) {
        throw new UncheckedIOException("cannot write " + log.file() + ": " + ex.getMessage(), ex);
      }
    }
    return dropped;
  }

  private void rewrite() throws IOException {
    List<String> rs = new ArrayList<>(entries.size());
    for (Entry e : entries.values()) {
      rs.add(encode(e));
    }
    log.rewrite(rs);
  }

  private static String encode(Entry e) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("groupKey", e.groupKey());
    o.put("receiver", e.receiver());
    if (e.delivered() != null) {
      o.put("delivered", e.delivered().toEpochMilli());
    }
    ArrayNode f = o.putArray("firing");
    new TreeSet<>(e.firingAlerts()).forEach(f::add);
    ArrayNode r = o.putArray("resolved");
    new TreeSet<>(e.resolvedAlerts()).forEach(r::add);
    o.put("lastAttempt", e.lastAttempt().toEpochMilli());
    if (e.lastError() != null) {
      o.put("lastError", e.lastError());
    }
    o.put("expiresAt", e.expiresAt().toEpochMilli());
    return o.toString();
  }

  private static Entry decode(String s) throws IOException {
    JsonNode o = MAPPER.readTree(s);
    List<Long> f = new ArrayList<>();
    o.get("firing").forEach(n -> f.add(n.asLong()));
    List<Long> r = new ArrayList<>();
    o.get("resolved").forEach(n -> r.add(n.asLong()));
    return new Entry(
        o.get("groupKey").asText(),
        o.get("receiver").asText(),
        o.has("delivered") ? Instant.ofEpochMilli(o.get("delivered").asLong()) : null,
        Set.copyOf(f),
        Set.copyOf(r),
        Instant.ofEpochMilli(o.get("lastAttempt").asLong()),
        o.has("lastError") ? o.get("lastError").asText() : null,
        Instant.ofEpochMilli(o.get("expiresAt").asLong()));
  }

  @Override
  public synchronized void close() throws IOException {
    log.close();
  }
}
