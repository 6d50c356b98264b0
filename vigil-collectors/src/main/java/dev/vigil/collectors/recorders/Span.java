package dev.vigil.collectors.recorders;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A timed operation with trace and span ids and attributes the caller adds before it closes
 * (VIBEZEN's {@code measure_duration}, AgentOS's {@code trace_operation}).
 *
 * {@snippet :
 * try (Span span = recorders.measureDuration("code_generation", Map.of("provider", "openai"))) {
 *   generate();
 *   span.attribute("lines_generated", 100);
 * }
 * }
 *
 * <p>A span started while another is open on the same thread becomes its child (same trace id). Not
 * thread-safe: one thread opens, annotates and closes it. {@link #close()} is idempotent.
 */
public final class Span implements AutoCloseable {

  private static final ThreadLocal<Span> CURRENT = new ThreadLocal<>();

  private final String name;
  private final long traceIdHigh;
  private final long traceIdLow;
  private final long spanId;
  private final long parentSpanId;
  private final long startEpochMillis;
  private final long startNanos;
  private final Span parent;
  private final Consumer<Span> onEnd;
  private final boolean sampled;
  private Map<String, Object> attributes;
  private long durationNanos = -1;
  private boolean error;

  Span(String name, Map<String, ?> attributes, long epochMillis, long nanos, Consumer<Span> onEnd) {
    this(name, attributes, epochMillis, nanos, Sampler.ALL, onEnd);
  }

  Span(
      String name,
      Map<String, ?> attributes,
      long epochMillis,
      long nanos,
      Sampler sampler,
      Consumer<Span> onEnd) {
    this.name = name;
    this.parent = CURRENT.get();
    // A trace is kept or dropped whole: a child follows its parent's decision.
    this.sampled = parent != null ? parent.sampled : sampler.sample();
    ThreadLocalRandom r = ThreadLocalRandom.current();
    if (parent != null) {
      traceIdHigh = parent.traceIdHigh;
      traceIdLow = parent.traceIdLow;
      parentSpanId = parent.spanId;
    } else {
      traceIdHigh = r.nextLong();
      traceIdLow = r.nextLong() | 1; // an all-zero trace id is invalid in W3C trace context
      parentSpanId = 0;
    }
    this.spanId = r.nextLong() | 1;
    this.startEpochMillis = epochMillis;
    this.startNanos = nanos;
    this.onEnd = onEnd;
    if (attributes != null && !attributes.isEmpty()) {
      this.attributes = new LinkedHashMap<>(attributes);
    }
    CURRENT.set(this);
  }

  /** Returns the span open on this thread, or null. */
  public static Span current() {
    return CURRENT.get();
  }

  /** Adds or replaces an attribute; returns this span. */
  public Span attribute(String key, Object value) {
    if (attributes == null) {
      attributes = new LinkedHashMap<>();
    }
    attributes.put(key, value);
    return this;
  }

  /** Marks the operation failed: the duration is recorded with {@code status="error"}. */
  public Span error() {
    this.error = true;
    return this;
  }

  /** Returns the operation name. */
  public String name() {
    return name;
  }

  /** Returns the 32-hex-digit trace id. */
  public String traceId() {
    return hex(traceIdHigh) + hex(traceIdLow);
  }

  /** Returns the 16-hex-digit span id. */
  public String spanId() {
    return hex(spanId);
  }

  /** Returns the parent's span id, or null for a root span. */
  public String parentSpanId() {
    return parentSpanId == 0 ? null : hex(parentSpanId);
  }

  /** Returns when it started, epoch milliseconds. */
  public long startEpochMillis() {
    return startEpochMillis;
  }

  /** Returns the duration in seconds, or NaN while open. */
  public double durationSeconds() {
    return durationNanos < 0 ? Double.NaN : durationNanos / 1e9;
  }

  /**
   * Returns whether the span is sampled: kept in the recent-spans log and eligible for an exemplar
   * (its duration is recorded either way).
   */
  public boolean sampled() {
    return sampled;
  }

  /** Returns whether {@link #error()} was called. */
  public boolean failed() {
    return error;
  }

  /** Returns the attributes (unmodifiable). */
  public Map<String, Object> attributes() {
    return attributes == null ? Map.of() : Collections.unmodifiableMap(attributes);
  }

  /** Ends the span: measures its duration and hands it to the recorder; later calls do nothing. */
  @Override
  public void close() {
    if (durationNanos >= 0) {
      return;
    }
    durationNanos = Math.max(0, System.nanoTime() - startNanos);
    if (CURRENT.get() == this) {
      if (parent == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(parent);
      }
    }
    onEnd.accept(this);
  }

  private static String hex(long v) {
    String s = Long.toHexString(v);
    return "0".repeat(16 - s.length()) + s;
  }

  @Override
  public String toString() {
    return "Span["
        + name
        + " trace="
        + traceId()
        + " span="
        + spanId()
        + " "
        + durationSeconds()
        + "s]";
  }
}
