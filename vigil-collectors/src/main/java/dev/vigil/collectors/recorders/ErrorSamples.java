package dev.vigil.collectors.recorders;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Deduplicated stack-trace samples of recorded errors, one per fingerprint, with the cause chain,
 * first and last seen and a count (Dream.OS "add stack traces, track error chains").
 *
 * {@snippet :
 * ErrorSamples samples = new ErrorSamples(ErrorSamples.Limits.DEFAULTS);
 * samples.add("db_timeout", "orders", exception, System.currentTimeMillis());
 * List<ErrorSamples.Sample> recent = samples.samples("db_timeout", 10);
 * }
 *
 * <p>Thread-safe: {@link #add} reads the stack trace outside the lock, then takes one short lock to
 * update or insert the sample. Memory is bounded: at most {@link Limits#maxFingerprints} samples in
 * all and {@link Limits#maxPerType} per error type, each with at most {@link Limits#maxCauses}
 * causes of at most {@link Limits#maxFrames} frames; a message is cut to {@link
 * ErrorLog#MAX_MESSAGE_CHARS}. When a bound is reached the least recently seen sample (of the type,
 * or of all) is evicted and counted in {@link #evicted()}.
 *
 * <p>Messages may hold data (ids, paths, user input). They are kept unless {@link
 * Limits#keepMessages} is false, which keeps only the exception classes and frames; nothing is
 * redacted silently.
 */
public final class ErrorSamples {

  /*
   * Fingerprint: FNV-1a 64 over the error type, the class of every cause in the chain, and the top
   * FINGERPRINT_FRAMES frames of the root cause, each normalised to class.method (no line numbers,
   * which move with every release; no lambda and proxy numbers, which change between runs). Two
   * throws of the same bug from the same place share a fingerprint; messages never take part, so an
   * id in a message does not make a new sample per id.
   *
   * Eviction: the samples live in one access-ordered LinkedHashMap (LRU by last seen). The per-type
   * bound is checked on insert by counting the type's samples, cheap next to reading a stack trace.
   */

  /** Frames of the root cause that make up the fingerprint. */
  static final int FINGERPRINT_FRAMES = 5;

  private static final Pattern GENERATED = Pattern.compile("\\$\\$?(Lambda|Proxy)[^.]*");

  /**
   * The bounds of an {@link ErrorSamples}.
   *
   * @param maxFingerprints samples kept in all (default 200)
   * @param maxPerType samples kept per error type (default 10)
   * @param maxCauses causes kept per chain, outermost first (default 8)
   * @param maxFrames frames kept per cause (default 24)
   * @param keepMessages false to keep exception classes and frames only
   */
  public record Limits(
      int maxFingerprints, int maxPerType, int maxCauses, int maxFrames, boolean keepMessages) {
    /** 200 samples, 10 per type, 8 causes of 24 frames, messages kept. */
    public static final Limits DEFAULTS = new Limits(200, 10, 8, 24, true);

    /** Validates. */
    public Limits {
      positive("maxFingerprints", maxFingerprints);
      positive("maxPerType", maxPerType);
      positive("maxCauses", maxCauses);
      positive("maxFrames", maxFrames);
    }

    private static void positive(String name, int v) {
      if (v < 1) {
        throw new IllegalArgumentException("error samples: " + name + " must be >= 1, got " + v);
      }
    }
  }

  /**
   * One exception of a chain.
   *
   * @param className the exception class, e.g. {@code java.net.SocketTimeoutException}
   * @param message its message, or null (none, or messages dropped)
   * @param frames its top frames as {@code class.method(File.java:12)}, without those a cause
   *     shares with the exception wrapping it
   * @param framesOmitted frames not kept: shared with the wrapping exception or beyond the bound
   */
  public record Cause(String className, String message, List<String> frames, int framesOmitted) {
    Cause withMessage(String m) {
      return java.util.Objects.equals(m, message)
          ? this
          : new Cause(className, m, frames, framesOmitted);
    }
  }

  /**
   * One deduplicated error.
   *
   * @param fingerprint 16 hex digits, stable across runs and releases (see the class notes)
   * @param type the recorded error type
   * @param service the service of the last occurrence
   * @param chain the exception and its causes, outermost first: the last occurrence's messages, the
   *     first occurrence's frames
   * @param firstSeenMillis first occurrence, epoch milliseconds
   * @param lastSeenMillis last occurrence, epoch milliseconds
   * @param count occurrences
   */
  public record Sample(
      String fingerprint,
      String type,
      String service,
      List<Cause> chain,
      long firstSeenMillis,
      long lastSeenMillis,
      long count) {}

  private static final class Entry {
    final String fingerprint;
    final String type;
    final long firstSeen;
    String service;
    List<Cause> chain;
    long lastSeen;
    long count;

    Entry(String fingerprint, String type, long firstSeen) {
      this.fingerprint = fingerprint;
      this.type = type;
      this.firstSeen = firstSeen;
    }

    Sample snapshot() {
      return new Sample(fingerprint, type, service, chain, firstSeen, lastSeen, count);
    }
  }

  private final Limits limits;
  private final LinkedHashMap<String, Entry> entries =
      new LinkedHashMap<>(64, 0.75f, true); // guarded by this
  private final AtomicLong evicted = new AtomicLong();

  /** Creates an empty sample store with these bounds. */
  public ErrorSamples(Limits limits) {
    this.limits = limits;
  }

  /** Returns the bounds. */
  public Limits limits() {
    return limits;
  }

  /**
   * Adds one occurrence of {@code error}: counts it in its fingerprint's sample, or starts a
   * sample.
   *
   * @return the fingerprint
   */
  public String add(String type, String service, Throwable error, long nowMillis) {
    List<Throwable> throwables = chainOf(error, limits.maxCauses);
    int last = throwables.size() - 1;
    StackTraceElement[] rootStack = throwables.get(last).getStackTrace();
    String fingerprint = fingerprint(type, throwables, rootStack);
    List<Cause> known;
    synchronized (this) {
      Entry e = entries.get(fingerprint);
      known = e == null || e.chain.size() != throwables.size() ? null : e.chain; // (collision)
    }
    // A known fingerprint keeps its frames (only the top ones are sure to match) and takes the new
    // messages: reading and formatting every cause's frames again doubled the cost of a repeat
    // (measured: ~120 -> ~70 us over the exception's own creation, 3 causes, loaded 2-core box).
    List<Cause> chain = new ArrayList<>(throwables.size());
    StackTraceElement[] enclosing = null;
    for (int i = 0; i < throwables.size(); i++) {
      Throwable t = throwables.get(i);
      if (known != null) {
        chain.add(known.get(i).withMessage(message(t)));
      } else {
        StackTraceElement[] st = i == last ? rootStack : t.getStackTrace();
        chain.add(cause(t, st, enclosing));
        enclosing = st;
      }
    }
    List<Cause> frozen = List.copyOf(chain);
    synchronized (this) {
      Entry e = entries.get(fingerprint);
      if (e == null) {
        makeRoomFor(type);
        e = new Entry(fingerprint, type, nowMillis);
        entries.put(fingerprint, e);
      }
      e.service = service;
      e.chain = frozen;
      e.lastSeen = Math.max(e.lastSeen, nowMillis);
      e.count++;
    }
    return fingerprint;
  }

  // guarded by this
  private void makeRoomFor(String type) {
    int ofType = 0;
    Entry oldestOfType = null;
    for (Entry e : entries.values()) { // access order: least recently seen first
      if (e.type.equals(type)) {
        if (oldestOfType == null) {
          oldestOfType = e;
        }
        ofType++;
      }
    }
    if (ofType >= limits.maxPerType) {
      entries.remove(oldestOfType.fingerprint);
      evicted.incrementAndGet();
    }
    if (entries.size() >= limits.maxFingerprints) {
      Iterator<Entry> it = entries.values().iterator();
      it.next();
      it.remove();
      evicted.incrementAndGet();
    }
  }

  /**
   * Returns samples, most recently seen first.
   *
   * @param type only this error type, or null for all
   * @param limit at most this many (at least 1)
   */
  public List<Sample> samples(String type, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, got " + limit);
    }
    List<Sample> out = new ArrayList<>();
    synchronized (this) {
      for (Entry e : entries.values()) {
        if (type == null || e.type.equals(type)) {
          out.add(e.snapshot());
        }
      }
    }
    out.sort(
        Comparator.comparingLong(Sample::lastSeenMillis)
            .reversed()
            .thenComparing(Sample::fingerprint));
    return out.size() > limit ? List.copyOf(out.subList(0, limit)) : List.copyOf(out);
  }

  /** Returns the number of samples kept. */
  public synchronized int size() {
    return entries.size();
  }

  /** Returns samples evicted to stay within the bounds. */
  public long evicted() {
    return evicted.get();
  }

  // ---- chain, causes, fingerprint ----

  private static List<Throwable> chainOf(Throwable error, int max) {
    List<Throwable> out = new ArrayList<>();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
      if (out.size() == max) {
        // Keep the root cause: it is where the fingerprint's frames come from.
        Throwable root = t;
        while (root.getCause() != null && seen.add(root.getCause())) {
          root = root.getCause();
        }
        out.set(max - 1, root);
        break;
      }
      out.add(t);
    }
    return out;
  }

  /**
   * One cause: its top frames, without those it shares with the exception that wraps it (as the JVM
   * prints "... n more"), at most {@link Limits#maxFrames}.
   */
  private Cause cause(Throwable t, StackTraceElement[] st, StackTraceElement[] enclosing) {
    int own = st.length;
    if (enclosing != null) {
      int j = enclosing.length - 1;
      while (own > 0 && j >= 0 && st[own - 1].equals(enclosing[j])) {
        own--;
        j--;
      }
    }
    int n = Math.min(own, limits.maxFrames);
    List<String> frames = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      frames.add(st[i].toString());
    }
    return new Cause(t.getClass().getName(), message(t), List.copyOf(frames), st.length - n);
  }

  private String message(Throwable t) {
    String m = limits.keepMessages ? t.getMessage() : null;
    if (m != null && m.length() > ErrorLog.MAX_MESSAGE_CHARS) {
      m = m.substring(0, ErrorLog.MAX_MESSAGE_CHARS);
    }
    return m;
  }

  static String fingerprint(String type, List<Throwable> chain) {
    return fingerprint(type, chain, chain.get(chain.size() - 1).getStackTrace());
  }

  private static String fingerprint(String type, List<Throwable> chain, StackTraceElement[] root) {
    long h = 0xcbf29ce484222325L;
    h = fnv(h, type);
    for (Throwable t : chain) {
      h = fnv(h, t.getClass().getName());
    }
    for (int i = 0; i < Math.min(FINGERPRINT_FRAMES, root.length); i++) {
      h = fnv(h, normalise(root[i].getClassName()));
      h = fnv(h, normalise(root[i].getMethodName()));
    }
    String hex = Long.toHexString(h);
    return "0".repeat(16 - hex.length()) + hex;
  }

  /**
   * Drops the run-specific numbers of lambdas and proxies: {@code Foo$$Lambda/0x1234} →
   * Foo$$Lambda.
   */
  static String normalise(String name) {
    return name.indexOf('$') < 0 ? name : GENERATED.matcher(name).replaceAll("\\$\\$$1");
  }

  private static long fnv(long h, String s) {
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    h ^= 0xff; // separator: "ab","c" differs from "a","bc"
    h *= 0x100000001b3L;
    return h;
  }
}
