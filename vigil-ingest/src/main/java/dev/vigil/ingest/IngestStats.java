package dev.vigil.ingest;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of what push ingest accepted and rejected, by protocol and reason: the source of {@code
 * vigil_ingest_samples_total{protocol}} and {@code vigil_ingest_rejected_total{protocol,reason}}.
 * The server's registry reads {@link #rejected()} and {@link #accepted()} at exposition time.
 *
 * <p>Thread-safe; increments are {@link LongAdder}s, so concurrent requests do not contend.
 */
public final class IngestStats {
  /** Protocol label values. */
  public static final String REMOTE_WRITE = "remote_write";

  public static final String REMOTE_WRITE_V2 = "remote_write_v2";
  public static final String INFLUX = "influx_line";
  public static final String OTLP = "otlp";

  /** One counter key. */
  public record Key(String protocol, String reason) implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      int c = protocol.compareTo(o.protocol);
      return c != 0 ? c : reason.compareTo(o.reason);
    }
  }

  private final ConcurrentHashMap<Key, LongAdder> rejected = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, LongAdder> accepted = new ConcurrentHashMap<>();

  /** Counts {@code n} rejected samples (or requests, for whole-request rejections). */
  public void reject(String protocol, RejectReason reason, long n) {
    if (n > 0) {
      rejected.computeIfAbsent(new Key(protocol, reason.label()), k -> new LongAdder()).add(n);
    }
  }

  /** Counts {@code n} samples committed to storage. */
  public void accept(String protocol, long n) {
    if (n > 0) {
      accepted.computeIfAbsent(protocol, k -> new LongAdder()).add(n);
    }
  }

  /** A sorted snapshot of the rejection counters. */
  public Map<Key, Long> rejected() {
    Map<Key, Long> m = new TreeMap<>();
    rejected.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }

  /** Rejections so far for one protocol and reason. */
  public long rejected(String protocol, RejectReason reason) {
    LongAdder a = rejected.get(new Key(protocol, reason.label()));
    return a == null ? 0 : a.sum();
  }

  /** A sorted snapshot of samples accepted per protocol. */
  public Map<String, Long> accepted() {
    Map<String, Long> m = new TreeMap<>();
    accepted.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }

  /** Samples accepted so far for one protocol. */
  public long accepted(String protocol) {
    LongAdder a = accepted.get(protocol);
    return a == null ? 0 : a.sum();
  }
}
