package dev.vigil.collectors.recorders;

import java.util.Iterator;
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
    // Case-insensitive matching in place: lower-casing the header would allocate on every start.
    String ua = userAgent;
    if (has(ua, "bot") || has(ua, "spider") || has(ua, "crawl")) {
      return "bot";
    }
    if (ua.regionMatches(true, 0, "curl", 0, 4) || ua.regionMatches(true, 0, "wget", 0, 4)) {
      return "curl";
    }
    if (has(ua, "edg/") || has(ua, "edge/")) {
      return "edge";
    }
    if (has(ua, "chrome/") || has(ua, "chromium/")) {
      return "chrome";
    }
    if (has(ua, "firefox/")) {
      return "firefox";
    }
    if (has(ua, "safari/")) {
      return "safari";
    }
    return "other";
  }

  private static boolean has(String s, String lowerNeedle) {
    int n = lowerNeedle.length();
    for (int i = 0, last = s.length() - n; i <= last; i++) {
      if (s.regionMatches(true, i, lowerNeedle, 0, n)) {
        return true;
      }
    }
    return false;
  }
}
