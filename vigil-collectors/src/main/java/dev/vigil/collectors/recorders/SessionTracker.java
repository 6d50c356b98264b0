package dev.vigil.collectors.recorders;

import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleConsumer;
import java.util.function.LongSupplier;

/**
 * Active user sessions: start, end, and expiry of sessions idle longer than a timeout.
 *
 * {@snippet :
 * SessionTracker s = new SessionTracker(System::nanoTime, Duration.ofMinutes(30).toNanos(), 100_000);
 * s.start("session_123", "Mozilla/5.0 ...");
 * double seconds = s.end("session_123");
 * }
 *
 * <p>Thread-safe (a concurrent map keyed by session id). At most {@code maxSessions} are tracked:
 * beyond that a start is refused ({@link #start} returns false) so a flood of ids cannot exhaust
 * the heap. User agents are reduced to a small fixed set of families ({@link #agentFamily}) so they
 * can be a label.
 */
public final class SessionTracker {

  private final LongSupplier nanoClock;
  private final long idleTimeoutNanos;
  private final int maxSessions;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();

  private static final class Session {
    final long startNanos;
    volatile long lastSeenNanos;

    Session(long now) {
      this.startNanos = now;
      this.lastSeenNanos = now;
    }
  }

  /**
   * Creates a tracker.
   *
   * @param nanoClock a monotonic clock, e.g. {@code System::nanoTime}
   * @param idleTimeoutNanos sessions not seen for this long are expired by {@link #expireIdle}
   * @param maxSessions the most sessions tracked at once
   */
  public SessionTracker(LongSupplier nanoClock, long idleTimeoutNanos, int maxSessions) {
    if (idleTimeoutNanos <= 0 || maxSessions < 1) {
      throw new IllegalArgumentException(
          "session idle timeout and max sessions must be positive: "
              + idleTimeoutNanos
              + "ns, "
              + maxSessions);
    }
    this.nanoClock = nanoClock;
    this.idleTimeoutNanos = idleTimeoutNanos;
    this.maxSessions = maxSessions;
  }

  /**
   * Starts tracking a session; starting an active id again only marks it seen.
   *
   * @return true when a new session was started, false when it was already active or the limit is
   *     reached
   */
  public boolean start(String id) {
    long now = nanoClock.getAsLong();
    Session existing = sessions.get(id);
    if (existing != null) {
      existing.lastSeenNanos = now;
      return false;
    }
    if (sessions.size() >= maxSessions) {
      return false;
    }
    return sessions.putIfAbsent(id, new Session(now)) == null;
  }

  /** Marks a session active now; returns false when it is not tracked. */
  public boolean touch(String id) {
    Session s = sessions.get(id);
    if (s == null) {
      return false;
    }
    s.lastSeenNanos = nanoClock.getAsLong();
    return true;
  }

  /**
   * Ends a session.
   *
   * @return its duration in seconds, or NaN when it was not active (never started, already ended or
   *     expired)
   */
  public double end(String id) {
    Session s = sessions.remove(id);
    if (s == null) {
      return Double.NaN;
    }
    return (nanoClock.getAsLong() - s.startNanos) / 1e9;
  }

  /**
   * Ends every session idle longer than the timeout.
   *
   * @param durationSeconds receives each expired session's duration (start to last seen)
   * @return how many expired
   */
  public int expireIdle(DoubleConsumer durationSeconds) {
    long now = nanoClock.getAsLong();
    int n = 0;
    for (Iterator<Map.Entry<String, Session>> it = sessions.entrySet().iterator(); it.hasNext(); ) {
      Session s = it.next().getValue();
      if (now - s.lastSeenNanos > idleTimeoutNanos) {
        it.remove();
        durationSeconds.accept((s.lastSeenNanos - s.startNanos) / 1e9);
        n++;
      }
    }
    return n;
  }

  /** Returns the number of active sessions. */
  public int active() {
    return sessions.size();
  }

  /**
   * Reduces a User-Agent header to one of {@code bot, curl, edge, chrome, firefox, safari, other,
   * unknown}.
   */
  public static String agentFamily(String userAgent) {
    if (userAgent == null || userAgent.isBlank()) {
      return "unknown";
    }
    // Applications see few distinct user agents: classifying one costs ~1 us of matching, a cache
    // hit ~20 ns (the header string caches its hash). Bounded so odd headers cannot fill the heap.
    String family = FAMILIES.get(userAgent);
    if (family == null) {
      family = classify(userAgent.toLowerCase(Locale.ROOT));
      if (FAMILIES.size() < MAX_CACHED_AGENTS) {
        FAMILIES.put(userAgent, family);
      }
    }
    return family;
  }

  private static final int MAX_CACHED_AGENTS = 1024;
  private static final Map<String, String> FAMILIES = new ConcurrentHashMap<>();

  private static String classify(String ua) {
    if (ua.contains("bot") || ua.contains("spider") || ua.contains("crawl")) {
      return "bot";
    }
    if (ua.startsWith("curl") || ua.startsWith("wget")) {
      return "curl";
    }
    if (ua.contains("edg/") || ua.contains("edge/")) {
      return "edge";
    }
    if (ua.contains("chrome/") || ua.contains("chromium/")) {
      return "chrome";
    }
    if (ua.contains("firefox/")) {
      return "firefox";
    }
    if (ua.contains("safari/")) {
      return "safari";
    }
    return "other";
  }
}
